package dev.plinth.http.transport;

import dev.plinth.http.core.Endpoint;
import dev.plinth.http.core.HttpConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSession;

/**
 * One socket, driven by its {@link EventLoop}: reads into the loop's shared buffer and keeps only what the connection
 * left unconsumed; sends its {@link Outbound} queue as the socket takes it, asking the selector for the interest ops
 * this needs; closes gracefully (output shut down first, then the rest of the input drained briefly) so a client
 * reading an error page is not reset.
 *
 * <p>A thread has the connection while it holds {@link #lock}: the loop for every event, and a worker that answers
 * through {@link #runOrExecute} while the connection is free. Reading and the loop's buffers stay on the loop's thread.
 */
final class NioEndpoint implements Endpoint {

    private static final System.Logger LOG = System.getLogger(NioEndpoint.class.getName());
    private static final AtomicIntegerFieldUpdater<NioEndpoint> QUEUED =
            AtomicIntegerFieldUpdater.newUpdater(NioEndpoint.class, "queued");
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** The state an operator sees of a connection in its TLS handshake: nothing of HTTP has happened yet. */
    static final String HANDSHAKE = "tls handshake";

    private final SocketChannel channel;
    private final EventLoop loop;
    private final long writeTimeoutNanos;
    private final Counters counters;
    private final Outbound outbound = new Outbound();
    private final Runnable onClosed;
    private final ReentrantLock lock = new ReentrantLock();
    private final long acceptedNanos = System.nanoTime();
    /** The connection's TLS, or null for plain HTTP. */
    private final TlsWire tls;

    private final long handshakeTimeoutNanos;
    /** Tasks queued on the loop for this connection and not run yet: {@link #runOrExecute} must not overtake them. */
    private volatile int queued;

    private SelectionKey key;
    private HttpConnection connection;
    private ByteBuffer pending;
    private long lastWriteProgress;
    private boolean reading = true;
    private boolean inputEnded;
    private boolean closeAfterWriting;
    private boolean lingering;
    private boolean closed;
    private long lingerSince;

    /**
     * @param channel a connected, non-blocking socket
     * @param loop the loop that will own it
     * @param writeTimeoutMillis how long queued output may wait for the client to take some
     * @param counters the server's counters
     * @param onClosed run once when it closes
     * @param tlsSetup how to speak TLS on it, or null for plain HTTP
     * @throws IOException if TLS cannot begin
     */
    NioEndpoint(
            SocketChannel channel,
            EventLoop loop,
            long writeTimeoutMillis,
            Counters counters,
            Runnable onClosed,
            TlsSetup tlsSetup)
            throws IOException {
        this.channel = channel;
        this.loop = loop;
        this.writeTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(writeTimeoutMillis);
        this.counters = counters;
        this.onClosed = onClosed;
        if (tlsSetup == null) {
            tls = null;
            handshakeTimeoutNanos = 0;
        } else {
            tls = new TlsWire(
                    tlsSetup.engines().newEngine(),
                    channel,
                    tlsSetup.buffers(),
                    tlsSetup.tasks(),
                    counters,
                    () -> execute(this::tlsTasksDone));
            handshakeTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(tlsSetup.handshakeTimeoutMillis());
        }
    }

    /**
     * Registers with the loop's selector. Called on the loop's thread.
     *
     * @param httpConnection the exchange state machine to drive
     * @throws IOException if the socket cannot be registered
     */
    void open(HttpConnection httpConnection) throws IOException {
        connection = httpConnection;
        key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
    }

    /** The selector says the socket is ready. */
    void ready(SelectionKey readyKey) {
        lock.lock();
        try {
            handleReady(readyKey);
        } finally {
            lock.unlock();
        }
    }

    private void handleReady(SelectionKey readyKey) {
        if (!readyKey.isValid()) {
            close();
            return;
        }
        int ops = readyKey.readyOps();
        if ((ops & SelectionKey.OP_WRITE) != 0) {
            long before = outbound.pendingBytes();
            flush();
            if (!closed && outbound.pendingBytes() < before) {
                connection.onWritable();
            }
        }
        if (!closed && ((ops & SelectionKey.OP_READ) != 0 || tls != null && tls.hasBufferedInput())) {
            read();
        }
    }

    /** The handshake's delegated tasks are done: take it on, and read what waited for them. Runs as a task. */
    private void tlsTasksDone() {
        if (closed) {
            return;
        }
        tls.tasksDone();
        read();
        if (!closed) {
            flush();
        }
    }

    private void read() {
        if (lingering) {
            drainAfterClose();
            return;
        }
        readOnce();
        // TLS may hold whole records already read from the socket: no readiness event will come for those
        while (tls != null && !closed && reading && !inputEnded && pending == null && tls.hasBufferedInput()) {
            readOnce();
        }
        if (tls != null) {
            updateInterest(); // the handshake may wait for its tasks, or have records to send
        }
    }

    private void readOnce() {
        if (!reading || inputEnded) {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ); // input came while paused: stop now
            return;
        }
        ByteBuffer buffer;
        if (pending == null) {
            buffer = loop.readBuffer;
            buffer.clear();
        } else {
            buffer = pending;
            buffer.compact(); // to write mode, keeping the unconsumed bytes at the start
            if (!buffer.hasRemaining()) {
                buffer.flip();
                return; // the connection holds a full buffer it does not consume: wait for it
            }
        }
        int n;
        try {
            n = tls == null ? channel.read(buffer) : tls.read(buffer);
        } catch (IOException e) {
            fail();
            return;
        }
        buffer.flip();
        if (n < 0) {
            inputEnded = true;
            updateInterest();
            keepUnconsumed(buffer);
            if (pending == null) {
                connection.onInputEnd();
            } // else input kept while paused is unread: the refeed queued when reading resumed offers it, then the end
            return;
        }
        if (n > 0) {
            counters.bytesIn.add(n);
            connection.onInput(buffer);
        }
        keepUnconsumed(buffer);
    }

    private void keepUnconsumed(ByteBuffer buffer) {
        if (closed) {
            pending = null; // closing released the pending buffer already: releasing it again would pool it twice
            return;
        }
        if (!buffer.hasRemaining()) {
            if (buffer != loop.readBuffer) {
                loop.release(buffer);
            }
            pending = null;
        } else if (buffer == loop.readBuffer) {
            ByteBuffer copy = loop.acquire(buffer.remaining());
            copy.put(buffer).flip();
            pending = copy;
        } else {
            pending = buffer;
        }
    }

    /** Feeds input that was left unconsumed, after the connection resumed reading. Runs as a task: has the lock. */
    private void refeed() {
        if (closed || !reading) {
            return;
        }
        if (pending != null && pending.hasRemaining()) {
            ByteBuffer buffer = pending;
            connection.onInput(buffer);
            keepUnconsumed(buffer);
        }
        if (!closed && reading && inputEnded && pending == null) {
            connection.onInputEnd();
        } else if (!closed && reading && pending == null && tls != null && tls.hasBufferedInput()) {
            read(); // records that arrived while paused, already off the socket
        }
    }

    @Override
    public void write(ByteBuffer... data) {
        if (closed) {
            return;
        }
        if (outbound.isEmpty()) {
            lastWriteProgress = System.nanoTime();
        }
        for (ByteBuffer buffer : data) {
            outbound.add(buffer);
        }
        notePeak();
        flushUnlessWaiting();
    }

    @Override
    public void writeFile(FileChannel file, long position, long count) {
        if (closed) {
            Outbound.closeQuietly(file);
            return;
        }
        if (outbound.isEmpty()) {
            lastWriteProgress = System.nanoTime();
        }
        outbound.addFile(file, position, count);
        flushUnlessWaiting();
    }

    private void flushUnlessWaiting() {
        if ((key.interestOps() & SelectionKey.OP_WRITE) == 0) {
            flush(); // when OP_WRITE is set the socket is full: the selector will say when to go on
        }
    }

    private void flush() {
        long before = outbound.pendingBytes();
        long sentBefore = tls == null ? 0 : tls.sentBytes();
        boolean failed = false;
        try {
            if (tls == null) {
                outbound.writeTo(channel);
            } else if (outbound.isEmpty()) {
                tls.flush(); // records encrypted before: the end of an answer, a handshake message, close_notify
            } else {
                outbound.writeTo(tls);
                notePeak(); // encrypted records may outweigh the plain bytes they replaced
            }
        } catch (IOException e) {
            failed = true;
        }
        long written = before - outbound.pendingBytes();
        if (written > 0 || tls != null && tls.sentBytes() > sentBefore) {
            lastWriteProgress = System.nanoTime();
            counters.bytesOut.add(written);
        }
        if (failed) {
            fail();
            return;
        }
        if (closeAfterWriting && !lingering && allSent()) {
            shutdownOutput();
            return;
        }
        updateInterest();
    }

    /** Records the most bytes held in memory for the client: the queue's buffers, and records not sent yet. */
    private void notePeak() {
        counters.peakQueued.accumulate(outbound.heapBytes() + (tls == null ? 0 : tls.pendingBytes()));
    }

    /** @return whether nothing is left to send: the queue is empty, and over TLS every record is out */
    private boolean allSent() {
        return outbound.isEmpty() && (tls == null || tls.pendingBytes() == 0);
    }

    /** @return bytes queued, plus over TLS the records encrypted and not sent yet */
    @Override
    public long pendingBytes() {
        return tls == null ? outbound.pendingBytes() : outbound.pendingBytes() + tls.pendingBytes();
    }

    @Override
    public void setReading(boolean wanted) {
        if (closed || wanted == reading) {
            return;
        }
        reading = wanted;
        updateInterest();
        if (wanted && (pending != null || inputEnded)) {
            execute(this::refeed);
        }
    }

    private void updateInterest() {
        if (closed || !key.isValid()) {
            return;
        }
        int current = key.interestOps();
        int ops = 0;
        if (lingering || reading && !inputEnded) {
            ops |= SelectionKey.OP_READ;
        } else if (!inputEnded && (current & SelectionKey.OP_READ) != 0) {
            // a pause is applied lazily: most end before the client sends more, and each change is a syscall
            ops |= SelectionKey.OP_READ;
        }
        if (!outbound.isEmpty()) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (tls != null) {
            ops = tlsInterest(ops);
        }
        if (current != ops) {
            key.interestOps(ops);
            if (!loop.inLoop()) {
                loop.wakeUp(); // a blocked select would not see the change before its timeout
            }
        }
    }

    /** TLS has its own needs: records to send whatever the connection wants, and nothing while its tasks run. */
    private int tlsInterest(int ops) {
        if (tls.waitingForTasks()) {
            return 0; // the task's end resumes the connection; meanwhile a ready socket would only spin the loop
        }
        if (tls.pendingBytes() > 0) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (!tls.handshaken() && !inputEnded) {
            ops |= SelectionKey.OP_READ; // the handshake reads whatever the connection wants
        }
        return ops;
    }

    @Override
    public void closeAfterWriting() {
        if (closed) {
            return;
        }
        closeAfterWriting = true;
        if (allSent()) {
            shutdownOutput();
        }
    }

    /**
     * Everything is sent: send FIN, then read and drop what the client still sends for a moment, so that closing
     * with unread input does not make the kernel reset the connection and destroy the response at the client.
     */
    private void shutdownOutput() {
        try {
            if (tls != null && !tls.closeOutput() && !inputEnded) {
                updateInterest(); // close_notify waits for the socket: the next flush comes back here
                return;
            }
        } catch (IOException e) {
            close();
            return;
        }
        if (inputEnded) {
            close();
            return;
        }
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            close();
            return;
        }
        lingering = true;
        lingerSince = System.nanoTime();
        updateInterest();
    }

    private void drainAfterClose() {
        ByteBuffer scratch = loop.readBuffer;
        try {
            scratch.clear();
            if (channel.read(scratch) < 0) {
                close();
            }
        } catch (IOException e) {
            close();
        }
    }

    /**
     * Checks timeouts: the lingering close, a write the client does not take, and the connection's own.
     *
     * @param now the current {@link System#nanoTime()}
     */
    void tick(long now) {
        if (!lock.tryLock()) {
            return; // a worker is writing to it right now: not idle, and the next sweep comes soon
        }
        try {
            checkTimeouts(now);
        } finally {
            lock.unlock();
        }
    }

    private void checkTimeouts(long now) {
        if (closed) {
            return;
        }
        if (lingering) {
            if (now - lingerSince > LINGER_NANOS) {
                close();
            }
            return;
        }
        if (pendingBytes() > 0 && now - lastWriteProgress > writeTimeoutNanos) {
            fail(); // the client takes nothing: drop what it will never read
            return;
        }
        if (tls != null && !tls.handshaken() && now - acceptedNanos > handshakeTimeoutNanos) {
            counters.tlsHandshakeTimeouts.increment();
            close(); // a client that connects and never finishes its handshake holds nothing for long
            return;
        }
        connection.onTick(now);
    }

    /**
     * Describes this connection for operators. Called on the loop's thread; waits, like any task, for a worker
     * that is writing its answer.
     *
     * @param now the current {@link System#nanoTime()}
     * @return the description, or null if the connection is closed
     */
    ConnectionInfo describe(long now) {
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            return new ConnectionInfo(
                    remoteAddress(),
                    Duration.ofNanos(now - acceptedNanos),
                    connection.requestsServed(),
                    lingering ? "closing" : tls != null && !tls.handshaken() ? HANDSHAKE : connection.state(),
                    outbound.pendingBytes());
        } finally {
            lock.unlock();
        }
    }

    /** The server is stopping: finish the exchange in progress, then close. */
    void shutdown() {
        lock.lock();
        try {
            if (!closed) {
                connection.shutdown();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes after the socket failed or stalled. Output still queued will never reach the client: that is a
     * connection closed mid-response, which {@link ServerStats#errors()} counts.
     */
    private void fail() {
        if (!outbound.isEmpty()) {
            counters.transportErrors.increment();
        }
        close();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closeLocked();
        } finally {
            lock.unlock();
        }
    }

    private void closeLocked() {
        if (closed) {
            return;
        }
        closed = true;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        outbound.clear();
        if (tls != null) {
            tls.release();
        }
        ByteBuffer leftover = pending;
        pending = null;
        if (loop.inLoop()) {
            if (leftover != null) {
                loop.release(leftover);
            }
        } else {
            // the pool is the loop's; and a cancelled key's socket is released by the loop's next select
            loop.execute(() -> {
                if (leftover != null) {
                    loop.release(leftover);
                }
            });
        }
        onClosed.run();
        if (connection != null) {
            connection.onClose();
        }
    }

    @Override
    public void execute(Runnable task) {
        QUEUED.incrementAndGet(this);
        loop.execute(() -> {
            lock.lock();
            try {
                QUEUED.decrementAndGet(this);
                task.run();
            } finally {
                lock.unlock();
            }
        });
    }

    @Override
    public void runOrExecute(Runnable task) {
        // an interrupted thread would close the file channels it sends from (ClosedByInterruptException)
        if (!lock.isHeldByCurrentThread() && !Thread.currentThread().isInterrupted() && lock.tryLock()) {
            try {
                // the shutdown flag is read with the lock held: seen set, the shutdown task is queued ahead
                if (queued == 0 && !loop.shuttingDown()) {
                    runHere(task);
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
        execute(task);
    }

    @Override
    public boolean tasksQueued() {
        return queued > 0;
    }

    private static void runHere(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "connection task failed on " + Thread.currentThread().getName(),
                    e);
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return address(true);
    }

    @Override
    public InetSocketAddress localAddress() {
        return address(false);
    }

    @Override
    public SSLSession tlsSession() {
        return tls == null ? null : tls.session();
    }

    /** The channel caches both addresses; asking it keeps them out of every idle connection's footprint here. */
    private InetSocketAddress address(boolean remote) {
        try {
            return (InetSocketAddress) (remote ? channel.getRemoteAddress() : channel.getLocalAddress());
        } catch (IOException closed) {
            return new InetSocketAddress(0);
        }
    }
}

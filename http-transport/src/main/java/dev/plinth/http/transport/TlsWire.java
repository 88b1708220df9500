package dev.plinth.http.transport;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * One connection's TLS, between its {@link NioEndpoint} and its socket: reads decrypt, writes encrypt, and the
 * handshake happens on the way, driven by whichever of the two the socket is ready for. Like the socket it stands
 * for, it never blocks: a read returns what could be decrypted now, a write takes what could be encrypted now.
 *
 * <p>Memory stays bounded per connection: at most one buffer of received records not yet decrypted (the rest waits
 * in the kernel), one of encrypted records not yet sent (the rest of the answer waits in the connection's queue, so
 * the core's ceiling holds), and one of decrypted bytes its reader had no room for. Each is taken from
 * {@link TlsBuffers} when bytes arrive and given back when they are gone.
 *
 * <p>The handshake's slow steps (the JDK's delegated tasks: key exchange, signatures, certificate checks) run on
 * {@code tasks}, off the selector thread; meanwhile the connection neither reads nor writes, and when they are done
 * {@code resume} is called on the task's thread to hand the connection back to its owner.
 *
 * <p>Only the thread that has the connection calls it, as with the socket.
 */
final class TlsWire implements ByteChannel, GatheringByteChannel {

    private static final System.Logger LOG = System.getLogger(TlsWire.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final byte[] PLAIN_HTTP_ANSWER = plainHttpAnswer();

    private final SSLEngine engine;
    private final SocketChannel socket;
    private final TlsBuffers buffers;
    private final Executor tasks;
    private final Counters counters;
    private final Runnable resume;
    /** The most plaintext one record carries: a reader's buffer with less room gets it through {@link #plainIn}. */
    private final int recordPlaintext;
    /** The room one encrypted record needs. */
    private final int recordPacket;

    private HandshakeStatus status;
    /** Received bytes not decrypted yet, read mode; null when none. */
    private ByteBuffer netIn;
    /** Encrypted bytes not sent yet, read mode; null when none. */
    private ByteBuffer netOut;
    /** Decrypted bytes not read yet, read mode; null when none. */
    private ByteBuffer plainIn;
    /** {@link #netIn} holds no complete record: only the socket can help. */
    private boolean starved;

    private boolean handshaken;
    private boolean tasksRunning;
    private boolean inputClosed;
    private boolean outputClosed;
    private boolean firstBytes = true;
    private long sentBytes;

    /**
     * @param engine a server-mode engine for this connection, before its handshake
     * @param socket the connection's non-blocking socket
     * @param buffers where the buffers come from
     * @param tasks runs the handshake's delegated tasks
     * @param counters the server's counters
     * @param resume called on a task thread when delegated tasks are done; it must hand the connection back to the
     *        thread that owns it, which then reads and flushes again
     * @throws SSLException if the engine cannot begin
     */
    TlsWire(
            SSLEngine engine,
            SocketChannel socket,
            TlsBuffers buffers,
            Executor tasks,
            Counters counters,
            Runnable resume)
            throws SSLException {
        this.engine = engine;
        this.socket = socket;
        this.buffers = buffers;
        this.tasks = tasks;
        this.counters = counters;
        this.resume = resume;
        SSLSession session = engine.getSession();
        this.recordPlaintext = session.getApplicationBufferSize();
        this.recordPacket = session.getPacketBufferSize();
        engine.beginHandshake();
        status = engine.getHandshakeStatus();
    }

    /**
     * Decrypts what has arrived into {@code dst}, reading the socket at most once, and takes the handshake as far as
     * the bytes allow.
     *
     * @return bytes put into {@code dst}; -1 once the client has closed (close_notify or end of stream) and every
     *         decrypted byte has been read
     * @throws IOException if the socket fails, or the client breaks the protocol (the connection must close)
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        int before = dst.position();
        try {
            movePlain(dst);
            boolean filled = false;
            while (dst.hasRemaining() && !tasksRunning && !inputClosed) {
                if (step(dst)) {
                    continue;
                }
                if (filled || !fill()) {
                    break;
                }
                filled = true;
            }
        } catch (SSLException e) {
            throw refused(e);
        }
        int n = dst.position() - before;
        return n == 0 && inputClosed && plainIn == null ? -1 : n;
    }

    /**
     * Takes one step: a handshake message to send, delegated tasks to start, or one record to decrypt.
     *
     * @return whether it made progress; false when it waits for the socket or for tasks
     */
    private boolean step(ByteBuffer dst) throws IOException {
        if (status == HandshakeStatus.NEED_TASK) {
            startTasks();
            return false;
        }
        if (status == HandshakeStatus.NEED_WRAP) {
            return flush() && status != HandshakeStatus.NEED_WRAP; // flushing wraps what the handshake has to say
        }
        if (netIn == null || starved) {
            return false;
        }
        ByteBuffer target = dst.remaining() >= recordPlaintext ? dst : plainTarget();
        SSLEngineResult result = engine.unwrap(netIn, target);
        if (target == plainIn) {
            plainIn.flip();
        }
        if (!netIn.hasRemaining()) {
            buffers.release(netIn);
            netIn = null;
        }
        switch (result.getStatus()) {
            case BUFFER_UNDERFLOW:
                starved = true;
                break;
            case CLOSED:
                inputClosed = true;
                break;
            case BUFFER_OVERFLOW:
                throw new SSLException("a record larger than the session allows");
            default:
                break;
        }
        handshakeStatus(result.getHandshakeStatus());
        if (target == plainIn) {
            movePlain(dst);
        }
        if (result.bytesConsumed() > 0 || status == HandshakeStatus.NEED_TASK || status == HandshakeStatus.NEED_WRAP) {
            return true;
        }
        starved = true; // nothing taken: only more bytes from the socket can help
        return false;
    }

    /** @return {@link #plainIn} emptied for writing, taken if not held; only used when it holds nothing unread */
    private ByteBuffer plainTarget() {
        if (plainIn == null) {
            plainIn = buffers.acquire();
        }
        return plainIn.clear();
    }

    private void movePlain(ByteBuffer dst) {
        if (plainIn == null) {
            return;
        }
        int n = Math.min(plainIn.remaining(), dst.remaining());
        dst.put(dst.position(), plainIn, plainIn.position(), n).position(dst.position() + n);
        plainIn.position(plainIn.position() + n);
        if (!plainIn.hasRemaining()) {
            buffers.release(plainIn);
            plainIn = null;
        }
    }

    /**
     * Reads the socket once into {@link #netIn}.
     *
     * @return whether bytes arrived (or the stream ended)
     */
    private boolean fill() throws IOException {
        if (netIn == null) {
            netIn = buffers.acquire().flip();
        }
        netIn.compact();
        int n;
        try {
            n = socket.read(netIn);
        } finally {
            netIn.flip();
        }
        if (n < 0) {
            inputClosed = true; // without close_notify: HTTP's own framing says whether anything is missing
            releaseIfEmpty();
            return true;
        }
        if (n == 0) {
            releaseIfEmpty();
            return false;
        }
        starved = false;
        if (firstBytes) {
            firstBytes = false;
            if (isAsciiLetter(netIn.get(0))) { // a TLS record starts with its type, a byte below 32
                answerPlainHttp();
                return true;
            }
        }
        return true;
    }

    private void releaseIfEmpty() {
        if (netIn != null && !netIn.hasRemaining()) {
            buffers.release(netIn);
            netIn = null;
        }
    }

    private static boolean isAsciiLetter(byte b) {
        return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z';
    }

    /**
     * A client spoke plain HTTP to this port: answer in plain HTTP what went wrong, as nginx does, and end as if it
     * had closed. The answer is short enough for any socket's empty send buffer.
     */
    private void answerPlainHttp() throws IOException {
        counters.tlsPlainHttp.increment();
        socket.write(ByteBuffer.wrap(PLAIN_HTTP_ANSWER));
        buffers.release(netIn);
        netIn = null;
        inputClosed = true;
        outputClosed = true;
    }

    private static byte[] plainHttpAnswer() {
        String body = "This port speaks HTTPS: the request was sent as plain HTTP. Use an https:// address.\n";
        return ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                        + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    private void handshakeStatus(HandshakeStatus now) throws SSLException {
        if (now == HandshakeStatus.FINISHED) {
            status = engine.getHandshakeStatus(); // FINISHED is said once; what follows (a ticket to send) is asked
            if (!handshaken) {
                handshaken = true;
                counters.tlsHandshakes.increment();
            }
            return;
        }
        status = now;
        if (handshaken && now != HandshakeStatus.NOT_HANDSHAKING && renegotiable()) {
            throw new RenegotiationRefused();
        }
    }

    /** TLS 1.3 has no renegotiation: after its handshake only key updates and tickets, which are fine. */
    private boolean renegotiable() {
        return !"TLSv1.3".equals(engine.getSession().getProtocol());
    }

    private void startTasks() {
        tasksRunning = true;
        try {
            tasks.execute(this::runTasks);
        } catch (RejectedExecutionException stopping) {
            runTasks(); // the server is stopping: finish here rather than leave the connection hanging
        }
    }

    private void runTasks() {
        try {
            for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                task.run();
            }
        } finally {
            resume.run(); // a task that failed left the engine failed: the next step says so
        }
    }

    /** The delegated tasks are done: called by the thread that has the connection again, before it reads. */
    void tasksDone() {
        tasksRunning = false;
        status = engine.getHandshakeStatus();
    }

    /** Encrypts as many records as one buffer takes, sends them, and goes on while the socket takes them all. */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long consumed = 0;
        try {
            while (canWrap() && remaining(srcs, offset, length) > 0) {
                ByteBuffer out = buffers.acquire();
                try {
                    do {
                        SSLEngineResult result = engine.wrap(srcs, offset, length, out);
                        consumed += result.bytesConsumed();
                        if (result.getStatus() != SSLEngineResult.Status.OK) {
                            throw new ClosedChannelException();
                        }
                        handshakeStatus(result.getHandshakeStatus());
                    } while (status == HandshakeStatus.NOT_HANDSHAKING
                            && out.remaining() >= recordPacket
                            && remaining(srcs, offset, length) > 0);
                } finally {
                    netOut = out.flip();
                }
            }
        } catch (SSLException e) {
            throw refused(e);
        }
        return consumed;
    }

    /** @return whether application data may be encrypted now: all sent before, no handshake step pending */
    private boolean canWrap() throws IOException {
        if (!flush()) {
            return false;
        }
        if (status == HandshakeStatus.NEED_TASK && !tasksRunning) {
            startTasks();
        }
        return handshaken && !tasksRunning && !outputClosed;
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    /**
     * Sends part of a file, read through one buffer of at most two records: nothing of the file is held beyond the
     * encrypted records not sent yet. What was read but not encrypted is read again next time.
     *
     * @return bytes of the file consumed
     * @throws IOException if the file or the socket fails, or the file ends before the region does
     */
    long writeFile(FileChannel file, long position, long count) throws IOException {
        long consumed = 0;
        ByteBuffer chunk = buffers.acquire();
        ByteBuffer[] source = {chunk};
        try {
            while (consumed < count && canWrap()) {
                chunk.clear().limit((int) Math.min(Math.min(chunk.capacity(), 2L * recordPlaintext), count - consumed));
                if (file.read(chunk, position + consumed) < 0) {
                    throw new IOException("file shorter than the region announced");
                }
                chunk.flip();
                consumed += write(source, 0, 1);
                if (chunk.hasRemaining()) {
                    break; // the socket is full
                }
            }
        } finally {
            buffers.release(chunk);
        }
        return consumed;
    }

    /**
     * Sends the encrypted bytes queued; then, while the handshake has more to say, says it and sends that too.
     *
     * @return whether everything encrypted has been sent
     * @throws IOException if the socket fails
     */
    boolean flush() throws IOException {
        while (true) {
            if (netOut != null) {
                sentBytes += socket.write(netOut);
                if (netOut.hasRemaining()) {
                    return false;
                }
                buffers.release(netOut);
                netOut = null;
            }
            if (status != HandshakeStatus.NEED_WRAP || tasksRunning) {
                return true;
            }
            wrapControl();
        }
    }

    /** Wraps what the engine has to say on its own: a handshake message, an alert, close_notify. */
    private void wrapControl() throws SSLException {
        ByteBuffer out = buffers.acquire();
        try {
            SSLEngineResult result = engine.wrap(EMPTY, out);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                outputClosed = true;
            }
            handshakeStatus(result.getHandshakeStatus());
            if (result.bytesProduced() == 0 && status == HandshakeStatus.NEED_WRAP) {
                throw new SSLException("the engine asks to send but produces nothing"); // rather than spin
            }
        } finally {
            netOut = out.flip();
        }
    }

    /**
     * Says close_notify, after everything written so far.
     *
     * @return whether it has been sent; if not, {@link #flush} sends it when the socket can take it
     * @throws IOException if the socket fails
     */
    boolean closeOutput() throws IOException {
        if (!outputClosed) {
            engine.closeOutbound();
            status = engine.getHandshakeStatus();
            try {
                return flush();
            } catch (SSLException e) {
                return true; // nothing more can be said: the socket closes anyway
            }
        }
        return flush();
    }

    /** @return encrypted bytes not sent yet */
    long pendingBytes() {
        return netOut == null ? 0 : netOut.remaining();
    }

    /** @return encrypted bytes sent since the connection opened */
    long sentBytes() {
        return sentBytes;
    }

    /** @return whether the handshake is over and application data flows */
    boolean handshaken() {
        return handshaken;
    }

    /** @return whether delegated tasks are running: the connection must neither read nor write until they end */
    boolean waitingForTasks() {
        return tasksRunning;
    }

    /**
     * @return whether a read would make progress without the socket: decrypted bytes waiting, or received records
     *         not decrypted yet
     */
    boolean hasBufferedInput() {
        return plainIn != null
                || netIn != null && !starved && !tasksRunning && status != HandshakeStatus.NEED_WRAP && !inputClosed;
    }

    /** @return the negotiated session, or null before the handshake is over */
    SSLSession session() {
        return handshaken ? engine.getSession() : null;
    }

    /**
     * Counts a protocol failure, says it with an alert if the engine has one, and gives the exception back to end
     * the connection with.
     */
    private SSLException refused(SSLException e) {
        if (e instanceof RenegotiationRefused) {
            counters.tlsRenegotiations.increment();
        } else if (!handshaken) {
            counters.tlsHandshakeFailures.increment();
        }
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "TLS with " + peer() + " ended: " + e.getMessage());
        }
        try {
            engine.closeOutbound();
            status = engine.getHandshakeStatus();
            flush(); // the alert the engine prepared, if any: the client learns why
        } catch (IOException | RuntimeException ignored) {
            // the connection closes anyway
        }
        return e;
    }

    private String peer() {
        try {
            SocketAddress address = socket.getRemoteAddress();
            return String.valueOf(address);
        } catch (IOException e) {
            return "a closed connection";
        }
    }

    /** Gives back the buffers held; the connection has closed. */
    void release() {
        for (ByteBuffer buffer : new ByteBuffer[] {netIn, netOut, plainIn}) {
            if (buffer != null) {
                buffers.release(buffer);
            }
        }
        netIn = null;
        netOut = null;
        plainIn = null;
    }

    private static long remaining(ByteBuffer[] srcs, int offset, int length) {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            n += srcs[i].remaining();
        }
        return n;
    }

    /**
     * A TLS 1.2 client asked for a new handshake on a connection: renegotiation lets a client make the server do
     * expensive work at will, and HTTP/1.1 has no use for it (nginx refuses it too).
     */
    private static final class RenegotiationRefused extends SSLException {
        private static final long serialVersionUID = 1L;

        RenegotiationRefused() {
            super("client-initiated renegotiation refused");
        }
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    /** The endpoint closes the socket; this only gives the buffers back. */
    @Override
    public void close() {
        release();
    }
}

package dev.plinth.http.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

/**
 * An in-memory transport for one {@link HttpConnection}: the test thread plays the selector loop. Input is fed in any
 * split; output is collected; a "full socket" can be simulated so output stays queued.
 */
final class MemoryEndpoint implements Endpoint {

    private static final int READ_WINDOW = 16384;
    /** Far more loop tasks than any test needs between two checks: beyond, the loop is going round in circles. */
    private static final int MAX_LOOP_TASKS = 20_000;
    /**
     * The most one wait may take while things keep moving (a worker still busy). Only a worker that never finishes
     * meets it; generous, because a first request loads and compiles many classes on a loaded machine.
     */
    private static final Duration LIMIT = Duration.ofSeconds(5);

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final TestWorkers workers;
    private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>();
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private HttpConnection connection;
    private ByteBuffer pending = ByteBuffer.allocate(0);
    private long queuedBytes;
    boolean reading = true;
    boolean socketFull;
    boolean closeRequested;
    boolean closed;
    boolean inputEnded;

    /** @param workers the workers the connection's handlers run on, watched to tell when nothing more can happen */
    MemoryEndpoint(TestWorkers workers) {
        this.workers = workers;
    }

    void attach(HttpConnection httpConnection) {
        connection = httpConnection;
    }

    /** Appends input and offers it to the connection if it is reading. Runs on the test thread (the "loop"). */
    void feed(byte[] bytes) {
        ByteBuffer more = ByteBuffer.allocate(pending.remaining() + bytes.length);
        more.put(pending).put(bytes).flip();
        pending = more;
        offer();
    }

    void feed(String text) {
        feed(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void endInput() {
        inputEnded = true;
        if (reading && !pending.hasRemaining()) {
            connection.onInputEnd();
        }
    }

    /** Offers at most one read buffer's worth, as a socket read would; the rest comes on the next "select". */
    private void offer() {
        if (reading && !closed && pending.hasRemaining()) {
            ByteBuffer window = pending.slice();
            window.limit(Math.min(window.limit(), READ_WINDOW));
            connection.onInput(window);
            pending.position(pending.position() + window.position());
            if (reading && !closed && pending.hasRemaining()) {
                tasks.add(this::offer);
            }
        }
    }

    /** @return bytes fed but not yet consumed by the connection */
    int unconsumed() {
        return pending.remaining();
    }

    /**
     * Runs loop tasks until the condition holds. Fails at once when it cannot hold any more (no loop task queued, no
     * worker busy: nothing is left that could change anything), and when the loop goes round in circles without
     * reaching it: a broken connection fails its test fast instead of hanging it.
     */
    void runUntil(BooleanSupplier condition) {
        run(condition, "the condition was never reached");
    }

    /** Runs loop tasks until none is queued and no worker is busy: whatever was set going has played out. */
    void settle() {
        run(() -> false, null);
    }

    private void run(BooleanSupplier condition, String unreachable) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        int ran = 0;
        while (!condition.getAsBoolean()) {
            long seen = workers.events(); // before looking: a signal after this wakes the wait below
            Runnable task = tasks.poll();
            if (task != null) {
                task.run();
                if (++ran > MAX_LOOP_TASKS) {
                    throw failure(ran + " loop tasks run and " + (unreachable == null ? "still busy" : unreachable));
                }
                continue;
            }
            if (workers.idle() && tasks.isEmpty()) { // idle first: a worker queues its loop task before it finishes
                if (unreachable == null) {
                    return;
                }
                throw failure("nothing more can happen, and " + unreachable);
            }
            if (System.nanoTime() >= deadline) {
                throw failure("a worker is still busy after " + LIMIT + ", and "
                        + (unreachable == null ? "nothing settled" : unreachable));
            }
            workers.awaitSignalAfter(seen, deadline);
        }
    }

    private AssertionError failure(String why) {
        return new AssertionError(why + "; output so far:\n" + output());
    }

    /** The simulated socket takes everything queued. */
    void drainSocket() {
        socketFull = false;
        while (!queued.isEmpty()) {
            ByteBuffer b = queued.poll();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            sent.writeBytes(bytes);
        }
        queuedBytes = 0;
        connection.onWritable();
        finishCloseIfDue();
    }

    String output() {
        return sent.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void write(ByteBuffer... data) {
        if (closed) {
            return;
        }
        for (ByteBuffer b : data) {
            if (socketFull) {
                ByteBuffer copy = ByteBuffer.allocate(b.remaining());
                copy.put(b).flip();
                queued.add(copy);
                queuedBytes += copy.remaining();
            } else {
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                sent.writeBytes(bytes);
            }
        }
    }

    @Override
    public void writeFile(FileChannel file, long position, long count) {
        try (file) {
            ByteBuffer region = ByteBuffer.allocate((int) count);
            while (region.hasRemaining()) {
                if (file.read(region, position + region.position()) < 0) {
                    break;
                }
            }
            region.flip();
            write(region);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long pendingBytes() {
        return queuedBytes;
    }

    @Override
    public void setReading(boolean wanted) {
        if (wanted == reading) {
            return;
        }
        reading = wanted;
        if (wanted) {
            tasks.add(() -> {
                offer();
                if (reading && inputEnded && !pending.hasRemaining() && !closed) {
                    connection.onInputEnd();
                }
            });
        }
    }

    @Override
    public void closeAfterWriting() {
        closeRequested = true;
        finishCloseIfDue();
    }

    private void finishCloseIfDue() {
        if (closeRequested && queued.isEmpty() && !closed) {
            closed = true;
            connection.onClose();
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            queued.clear();
            connection.onClose();
        }
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        workers.signal();
    }

    @Override
    public boolean tasksQueued() {
        return !tasks.isEmpty();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 8080);
    }
}

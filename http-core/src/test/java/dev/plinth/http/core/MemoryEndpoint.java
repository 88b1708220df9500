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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * An in-memory transport for one {@link HttpConnection}: the test thread plays the selector loop. Input is fed in any
 * split; output is collected; a "full socket" can be simulated so output stays queued.
 */
final class MemoryEndpoint implements Endpoint {

    private static final int READ_WINDOW = 16384;

    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
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

    /** Runs loop tasks until the condition holds, failing after the timeout. */
    void runUntil(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("condition not reached in " + timeout + "; output so far:\n" + output());
            }
            try {
                Runnable task = tasks.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
                if (task != null) {
                    task.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Runs every task queued now and any they queue, until none is left for a short while. */
    void settle() {
        try {
            Runnable task;
            while ((task = tasks.poll(100, TimeUnit.MILLISECONDS)) != null) {
                task.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

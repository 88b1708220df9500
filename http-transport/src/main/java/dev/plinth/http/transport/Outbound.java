package dev.plinth.http.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;

/**
 * What one connection has queued for its client, in order: heap buffers and file regions. It writes as much as the
 * socket takes, consecutive heap buffers in one gathering write and file regions without copying them through the
 * heap, and keeps two counts: all bytes still queued (what the core's outbound ceiling is compared with) and the heap
 * bytes among them (what that ceiling protects).
 *
 * <p>Used only by the thread that has the connection, so it has no locking of its own. The queue is its own ring
 * rather than an {@code ArrayDeque}: one object fewer per connection, and gathering needs no iterator.
 */
final class Outbound {

    /** Heap buffers handed to one gathering write at most. */
    static final int MAX_GATHER = 64;

    /** Buffers and {@link FileRegion}s from {@link #first} on, wrapping; the length is a power of two. */
    private Object[] items = new Object[4]; // a head and a body, usually

    private int first;
    private int size;
    private long pendingBytes;
    private long heapBytes;

    /** @return whether nothing is queued */
    boolean isEmpty() {
        return size == 0;
    }

    /** @return bytes queued, file regions included */
    long pendingBytes() {
        return pendingBytes;
    }

    /** @return bytes of heap buffers queued */
    long heapBytes() {
        return heapBytes;
    }

    /**
     * Queues the bytes between the buffer's position and limit, unless there are none.
     *
     * @param buffer the bytes; owned by the queue from now on
     */
    void add(ByteBuffer buffer) {
        int bytes = buffer.remaining();
        if (bytes > 0) {
            push(buffer);
            pendingBytes += bytes;
            heapBytes += bytes;
        }
    }

    /**
     * Queues a file region.
     *
     * @param file an open channel, closed by the queue once the region is sent or dropped
     * @param position where the region starts
     * @param count its length
     */
    void addFile(FileChannel file, long position, long count) {
        push(new FileRegion(file, position, count));
        pendingBytes += count;
    }

    /**
     * Writes, in order, until the channel takes no more or nothing is left. What was written is gone from the
     * counts even when this throws.
     *
     * @param channel a non-blocking socket
     * @throws IOException if the channel fails, or a file turns out shorter than its region
     */
    void writeTo(GatheringByteChannel channel) throws IOException {
        while (size > 0) {
            if (items[first] instanceof FileRegion file) {
                pendingBytes -= file.sendTo(channel);
                if (file.remaining > 0) {
                    return; // the socket is full
                }
                removeFirst();
                closeQuietly(file.channel);
            } else {
                ByteBuffer[] batch = gather();
                long written = channel.write(batch);
                pendingBytes -= written;
                heapBytes -= written;
                while (size > 0 && items[first] instanceof ByteBuffer buffer && !buffer.hasRemaining()) {
                    removeFirst();
                }
                if (batch[batch.length - 1].hasRemaining()) {
                    return; // the socket is full
                }
            }
        }
    }

    /** Drops everything queued, closing the files. */
    void clear() {
        for (; size > 0; removeFirst()) {
            if (items[first] instanceof FileRegion file) {
                closeQuietly(file.channel);
            }
        }
        first = 0;
        pendingBytes = 0;
        heapBytes = 0;
    }

    /** @return the heap buffers at the front, up to the first file region and at most {@link #MAX_GATHER} */
    private ByteBuffer[] gather() {
        int n = 0;
        while (n < size && n < MAX_GATHER && items[slot(n)] instanceof ByteBuffer) {
            n++;
        }
        ByteBuffer[] batch = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            batch[i] = (ByteBuffer) items[slot(i)];
        }
        return batch;
    }

    private int slot(int index) {
        return (first + index) & (items.length - 1);
    }

    private void push(Object item) {
        if (size == items.length) {
            Object[] grown = new Object[items.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = items[slot(i)];
            }
            items = grown;
            first = 0;
        }
        items[slot(size)] = item;
        size++;
    }

    private void removeFirst() {
        items[first] = null;
        first = slot(1);
        size--;
    }

    /**
     * Closes a file channel that nothing more will be sent from.
     *
     * @param file the channel
     */
    static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // nothing more to send from it
        }
    }

    /** A file region still to send. */
    private static final class FileRegion {
        final FileChannel channel;
        long position;
        long remaining;

        FileRegion(FileChannel channel, long position, long remaining) {
            this.channel = channel;
            this.position = position;
            this.remaining = remaining;
        }

        /** @return bytes sent now; the socket is full when some remain */
        long sendTo(GatheringByteChannel target) throws IOException {
            // TLS encrypts in the heap, a record at a time: no zero-copy there
            long sent = target instanceof TlsWire tls
                    ? tls.writeFile(channel, position, remaining)
                    : channel.transferTo(position, remaining, target);
            position += sent;
            remaining -= sent;
            if (remaining > 0 && sent == 0 && position >= channel.size()) {
                throw new IOException("file shorter than the region announced");
            }
            return sent;
        }
    }
}

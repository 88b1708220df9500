package dev.plinth.http.transport;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The buffers TLS connections hold only while bytes pass through them: received records not yet decrypted, records
 * not yet sent, decrypted bytes the connection has no room for yet. A connection between two exchanges holds none.
 *
 * <p>Spares are kept per thread, because a connection's buffers are taken and given back by whichever thread has it
 * (its selector thread, or a worker writing an answer): almost always the same thread within one write or read, so a
 * per-thread stack needs no locking and rarely misses.
 */
final class TlsBuffers {

    /** Spares one thread keeps; more are left to the garbage collector. */
    private static final int MAX_SPARES = 4;

    private static final ThreadLocal<ArrayDeque<ByteBuffer>> SPARES = ThreadLocal.withInitial(ArrayDeque::new);

    private final int size;

    /**
     * @param size bytes per buffer: room for at least one record, encrypted or decrypted
     */
    TlsBuffers(int size) {
        this.size = size;
    }

    /** @return bytes per buffer */
    int size() {
        return size;
    }

    /** @return an empty buffer in write mode */
    ByteBuffer acquire() {
        ByteBuffer spare = SPARES.get().poll();
        return spare != null && spare.capacity() == size ? spare.clear() : ByteBuffer.allocate(size);
    }

    /**
     * @param buffer a buffer from {@link #acquire} that nothing refers to any more
     */
    void release(ByteBuffer buffer) {
        ArrayDeque<ByteBuffer> spares = SPARES.get();
        if (spares.size() < MAX_SPARES) {
            spares.push(buffer);
        }
    }
}

package dev.plinth.handlers.upload;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the request body bytes a handler holds: received from the server and not yet written to a file. With one
 * part requested at a time per upload, this stays below one part (the server's read buffer, 64 KiB by default) per
 * upload in progress, however large the uploads. Thread-safe.
 */
final class InFlight {

    private final AtomicLong now = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    /** @param bytes received */
    void add(long bytes) {
        long held = now.addAndGet(bytes);
        peak.accumulateAndGet(held, Math::max);
    }

    /** @param bytes written, or dropped */
    void remove(long bytes) {
        now.addAndGet(-bytes);
    }

    /** @return the bytes held now */
    long now() {
        return now.get();
    }

    /** @return the most bytes held at once since the handler started */
    long peak() {
        return peak.get();
    }
}

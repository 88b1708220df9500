package dev.plinth.handlers.upload;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what became of each upload, and lets a test wait for it, briefly and without sleeping. */
class Recorder implements UploadEvents {

    /** How long an event may take: milliseconds normally, but build machines are shared and loaded. */
    static final long WAIT_MILLIS = 5_000;

    /**
     * One settled upload.
     *
     * @param status 201 for a stored upload (204 is not told apart here), else the refusal's status
     * @param reason the refusal's reason; empty when stored
     * @param deleted the files deleted
     * @param files the files stored
     */
    record Outcome(int status, String reason, int deleted, List<Stored> files) {}

    private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    private long written;

    @Override
    public synchronized void written(long total) {
        written = Math.max(written, total);
        notifyAll();
    }

    @Override
    public void stored(List<Stored> files) {
        outcomes.add(new Outcome(201, "", 0, files));
    }

    @Override
    public void discarded(int status, String reason, int deleted) {
        outcomes.add(new Outcome(status, reason, deleted, List.of()));
    }

    /** @return the most body bytes an upload has written */
    synchronized long written() {
        return written;
    }

    /** @return the next upload settled; fails if none comes in time */
    Outcome next() throws InterruptedException {
        Outcome outcome = outcomes.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        if (outcome == null) {
            throw new AssertionError("no upload settled within " + WAIT_MILLIS + " ms");
        }
        return outcome;
    }

    /** @return whether no upload settled since the last {@link #next} */
    boolean quiet() {
        return outcomes.isEmpty();
    }

    /** Waits until an upload has written at least {@code bytes} of its body. */
    synchronized void awaitWritten(long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (written < bytes) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("only " + written + " of " + bytes + " bytes written in time");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}

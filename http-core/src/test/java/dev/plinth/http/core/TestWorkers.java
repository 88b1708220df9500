package dev.plinth.http.core;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The worker threads of a connection test, watched: they count the tasks given to them and those still to finish, and
 * signal every change, so a test can wait for an event rather than for time and can tell when nothing more can happen
 * (no worker busy, no loop task queued). {@link MemoryEndpoint} signals here too when a task is queued for its loop.
 */
final class TestWorkers implements Executor, AutoCloseable {

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private int unfinished;
    private long submitted;
    /** Grows on every signal: a waiter compares it with what it saw before it looked for work. */
    private long events;

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            unfinished++;
            submitted++;
        }
        try {
            pool.execute(() -> {
                try {
                    task.run();
                } finally {
                    finished();
                }
            });
        } catch (RejectedExecutionException stopped) {
            finished();
            throw stopped;
        }
    }

    private synchronized void finished() {
        unfinished--;
        events++;
        notifyAll();
    }

    /** Something happened that a waiting test may want to look at. */
    synchronized void signal() {
        events++;
        notifyAll();
    }

    /** @return the count of signals so far, to pass to {@link #awaitSignalAfter} */
    synchronized long events() {
        return events;
    }

    /** @return whether every task given to the workers has finished */
    synchronized boolean idle() {
        return unfinished == 0;
    }

    /** @return how many tasks were given to the workers */
    synchronized long submitted() {
        return submitted;
    }

    /**
     * Waits until a signal after {@code seen}, or until the deadline.
     *
     * @param seen what {@link #events()} returned before the caller found nothing to do
     * @param deadline a {@link System#nanoTime()}
     */
    synchronized void awaitSignalAfter(long seen, long deadline) {
        try {
            for (long left = deadline - System.nanoTime();
                    events == seen && left > 0;
                    left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}

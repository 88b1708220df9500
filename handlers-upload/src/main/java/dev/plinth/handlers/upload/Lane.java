package dev.plinth.handlers.upload;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs one upload's file work one task at a time, in order, on the handler's small pool of I/O threads: a write, the
 * next write, the publication or the clean-up never overlap, and no thread is reserved for an upload that waits for
 * its client.
 */
final class Lane implements Executor {

    private static final System.Logger LOG = System.getLogger(Lane.class.getName());

    private final Executor threads;
    private final Queue<Runnable> tasks = new ArrayDeque<>(2);
    private boolean running;

    /** @param threads the handler's I/O threads */
    Lane(Executor threads) {
        this.threads = threads;
    }

    /**
     * @param task what to run after the tasks given before; dropped if the handler's threads are gone (it stopped,
     *        and every upload it had was settled before)
     */
    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            threads.execute(this::drain);
        } catch (RejectedExecutionException stopped) {
            synchronized (tasks) {
                running = false;
                tasks.clear();
            }
        }
    }

    private void drain() {
        while (true) {
            Runnable task;
            synchronized (tasks) {
                task = tasks.poll();
                if (task == null) {
                    running = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException | Error failure) {
                LOG.log(System.Logger.Level.ERROR, "an upload task failed", failure);
            }
        }
    }
}

package dev.plinth.http.core;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in order, on a shared executor: the server's calls into one exchange's handler code never
 * overlap, yet no thread is reserved for the exchange.
 */
final class SerialExecutor implements Executor {

    private final Executor workers;
    /** Small: an exchange rarely has more than a signal or two waiting; it grows when it must. */
    private final Queue<Runnable> tasks = new ArrayDeque<>(2);

    private boolean running;

    SerialExecutor(Executor workers) {
        this.workers = workers;
    }

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
            workers.execute(this::drain);
        } catch (RuntimeException rejected) {
            synchronized (tasks) {
                running = false;
                tasks.clear();
            }
            throw rejected;
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
                // a handler's own bug must not stop the exchange's other signals; the caller wraps what it must report
                Thread thread = Thread.currentThread();
                thread.getUncaughtExceptionHandler().uncaughtException(thread, failure);
            }
        }
    }
}

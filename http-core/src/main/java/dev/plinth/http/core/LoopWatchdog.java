package dev.plinth.http.core;

import dev.plinth.http.handler.Handler;
import java.lang.System.Logger.Level;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Watches the handler calls made on I/O threads (Vert.x's blocked-thread checker, for Plinth's
 * {@linkplain Handler#NONBLOCKING non-blocking} handlers). Each thread that calls a handler inline has a
 * {@link Call} slot; a daemon thread looks at every slot four times per threshold, and a call still running after the
 * threshold is reported at once with the handler's name and the stuck thread's stack, while it is stuck.
 *
 * <p>The stack is the evidence. A call caught loading or initialising classes is warming up (the first use of a code
 * path, typically the first requests after a bundle starts): it is reported, but not held against the handler. A
 * call caught doing anything else is {@linkplain Call#blocking() blocking}: the connection that made it tells the
 * glue, which demotes a repeat offender to the workers. A call over the threshold that the sampler did not catch
 * (it ended within a quarter of the threshold past it) is counted, but is no evidence.
 *
 * <p>Without {@link #start} nothing samples: calls are still timed when they return.
 */
public final class LoopWatchdog implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LoopWatchdog.class.getName());
    private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /**
     * The longest pause between two samples while no handler call is made: an idle server wakes the sampler a few
     * times a second, not hundreds. A call that then blocks is caught at most this late.
     */
    static final long IDLE_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final ThreadLocal<Call> calls = ThreadLocal.withInitial(this::register);
    private final Consumer<Stuck> sink;
    private final CopyOnWriteArrayList<Call> slots = new CopyOnWriteArrayList<>();
    private volatile long thresholdNanos;
    private volatile boolean running;
    private volatile Thread sampler;
    /** The sampler's current pause, for tests. */
    private volatile long periodNanos;

    /**
     * A watchdog that logs each stuck call as a warning with the thread's stack.
     *
     * @param thresholdMillis how long one call may hold an I/O thread before it is reported; at least 1
     */
    public LoopWatchdog(long thresholdMillis) {
        this(thresholdMillis, LoopWatchdog::log);
    }

    /**
     * @param thresholdMillis how long one call may hold an I/O thread before it is reported; at least 1
     * @param sink receives each stuck call once, on the sampling thread, while the call is still running
     */
    public LoopWatchdog(long thresholdMillis, Consumer<Stuck> sink) {
        threshold(thresholdMillis);
        this.sink = sink;
    }

    /**
     * A handler call found holding an I/O thread past the threshold.
     *
     * @param handler the handler
     * @param thread the I/O thread it holds
     * @param heldNanos how long it had held it when sampled
     * @param stack the thread's stack when sampled
     */
    public record Stuck(Handler handler, Thread thread, long heldNanos, StackTraceElement[] stack) {

        /** @return whether the thread was loading or initialising classes: warming up, not blocking */
        public boolean loadingClasses() {
            for (StackTraceElement frame : stack) {
                String method = frame.getMethodName();
                if (method.equals("<clinit>")
                        || frame.getClassName().equals("java.lang.ClassLoader")
                                && (method.startsWith("loadClass") || method.startsWith("defineClass"))
                        || frame.getClassName().equals("java.lang.invoke.MethodHandleNatives")) {
                    return true;
                }
            }
            return false;
        }
    }

    private static void log(Stuck stuck) {
        Throwable where = new Throwable("stack of " + stuck.thread().getName() + " while in the handler");
        where.setStackTrace(stuck.stack());
        String held = "handler " + stuck.handler() + " declared itself non-blocking but has held the I/O thread "
                + stuck.thread().getName() + " for " + TimeUnit.NANOSECONDS.toMillis(stuck.heldNanos()) + " ms";
        if (stuck.loadingClasses()) {
            LOG.log(
                    Level.INFO,
                    held + " loading classes (the first use of this code path; not held against it)",
                    where);
        } else {
            LOG.log(Level.WARNING, held + "; connections on that thread wait", where);
        }
    }

    /**
     * Changes the threshold; calls in progress are judged by the new one.
     *
     * @param millis at least 1
     */
    public void threshold(long millis) {
        if (millis < 1) {
            throw new IllegalArgumentException("the blocked-loop threshold must be at least 1 ms");
        }
        thresholdNanos = TimeUnit.MILLISECONDS.toNanos(millis);
        Thread thread = sampler;
        if (thread != null) {
            LockSupport.unpark(thread); // so that it samples at the new pace now, not after its current pause
        }
    }

    /** @return the threshold in nanoseconds */
    public long thresholdNanos() {
        return thresholdNanos;
    }

    /**
     * Starts the sampling thread.
     *
     * @param name the thread's name
     */
    public synchronized void start(String name) {
        if (sampler != null) {
            return;
        }
        running = true;
        sampler = new Thread(this::sample, name);
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Stops the sampling thread and waits for it (briefly). */
    @Override
    public synchronized void close() {
        running = false;
        Thread thread = sampler;
        sampler = null;
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Marks the start of a handler call on the current thread.
     *
     * @param handler the handler about to be called
     * @return the current thread's slot; {@link Call#exit()} it when the call returns
     */
    Call enter(Handler handler) {
        Call call = calls.get();
        call.handler = handler;
        call.entered++;
        call.since = System.nanoTime(); // volatile: publishes the fields above to the sampler
        return call;
    }

    private Call register() {
        Call call = new Call(Thread.currentThread());
        slots.add(call);
        return call;
    }

    /**
     * Samples every quarter of the threshold while handler calls are made; while none is, the pause doubles up to
     * {@link #IDLE_PERIOD_NANOS}.
     */
    private void sample() {
        long period = busyPeriod(thresholdNanos);
        long seenCalls = -1;
        while (running) {
            periodNanos = period;
            LockSupport.parkNanos(this, period);
            long threshold = thresholdNanos; // read after the pause: a threshold changed meanwhile applies now
            long now = System.nanoTime();
            long calls = 0;
            boolean inCall = false;
            for (Call call : slots) {
                inCall |= call.since != 0;
                calls += call.entered;
                Stuck stuck = call.checkAt(now, threshold);
                if (stuck != null) {
                    try {
                        sink.accept(stuck);
                    } catch (RuntimeException failure) {
                        LOG.log(Level.WARNING, "reporting a stuck handler call failed", failure);
                    }
                }
            }
            long busy = busyPeriod(threshold);
            period = inCall || calls != seenCalls ? busy : Math.max(busy, Math.min(2 * period, IDLE_PERIOD_NANOS));
            seenCalls = calls;
        }
    }

    private static long busyPeriod(long thresholdNanos) {
        return Math.max(MIN_PERIOD_NANOS, thresholdNanos / 4);
    }

    /** @return how long the sampler pauses between two samples now; 0 before it starts */
    long periodNanos() {
        return periodNanos;
    }

    /** One I/O thread's handler call in progress, if any. */
    static final class Call {
        private final Thread thread;
        /** When the call began; 0 between calls. The sampler reads it first and again after the other fields. */
        private volatile long since;

        private Handler handler;
        /** Calls entered on this thread; read without a lock by the sampler, which only compares it. */
        private int entered;
        /** The {@link #since} of the call the sampler reported: a report names its call, not just "the slot". */
        private volatile long reportedSince;
        /** The {@link #since} of the call the sampler caught blocking (not loading classes). */
        private volatile long blockingSince;
        /** The {@link #since} of the call that ended last, for {@link #reported()}. */
        private long ended;

        private Call(Thread thread) {
            this.thread = thread;
        }

        /**
         * Marks the end of the call.
         *
         * @return how long it held the thread, in nanoseconds
         */
        long exit() {
            ended = since;
            long held = System.nanoTime() - ended;
            since = 0;
            handler = null;
            return held;
        }

        /** @return whether the sampler reported the call that ended last, with its stack */
        boolean reported() {
            return reportedSince == ended;
        }

        /** @return whether the sampler caught the call that ended last blocking: evidence against its handler */
        boolean blocking() {
            return blockingSince == ended;
        }

        /** @return the call if it is stuck and not reported yet, else null */
        private Stuck checkAt(long now, long threshold) {
            long started = since;
            if (started == 0 || reportedSince == started || now - started <= threshold) {
                return null;
            }
            Handler stuck = handler;
            StackTraceElement[] stack = thread.getStackTrace();
            if (since != started || stuck == null) {
                return null; // that call ended meanwhile: the stack would belong to another
            }
            Stuck found = new Stuck(stuck, thread, now - started, stack);
            if (!found.loadingClasses()) {
                blockingSince = started;
            }
            reportedSince = started;
            return found;
        }
    }
}

package dev.plinth.http.core.compress;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The serialisation every publisher here needs (the "queue-drain" of Reactive Streams operators): signals from any
 * thread only record what happened and call {@link #drain}; whichever thread takes the work counter from 0 runs
 * {@link #run} until no signal is missed, so state owned by the loop is touched by one thread at a time and a signal
 * arriving meanwhile (such as {@code request} from within {@code onNext}) is taken up by the running loop.
 */
abstract class DrainLoop {

    private final AtomicInteger work = new AtomicInteger();
    private final AtomicLong demand = new AtomicLong();
    /** A breach of the Reactive Streams rules by the other side, to be signalled as an error. */
    final AtomicReference<Throwable> violation = new AtomicReference<>();

    /** Does all that can be done now; returns when waiting for something. Runs on one thread at a time. */
    abstract void run();

    /** Ends the stream after {@link #run} threw (a subscriber that throws has cancelled, §2.13). */
    abstract void abandon();

    /** Adds the subscriber's demand (unbounded at {@code Long.MAX_VALUE}, §3.17), or records a breach of §3.9. */
    final void demand(long n) {
        if (n <= 0) {
            violation.compareAndSet(null, new IllegalArgumentException("request(" + n + "), §3.9"));
        } else {
            demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
        }
        drain();
    }

    /** @return whether there is demand now */
    final boolean hasDemand() {
        return demand.get() != 0;
    }

    /** @return whether one unit of demand was taken (unbounded demand is never used up) */
    final boolean takeDemand() {
        while (true) {
            long current = demand.get();
            if (current == 0) {
                return false;
            }
            if (current == Long.MAX_VALUE || demand.compareAndSet(current, current - 1)) {
                return true;
            }
        }
    }

    /** Runs the loop on this thread, unless another thread is running it: that one then runs it once more. */
    final void drain() {
        if (work.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            try {
                run();
            } catch (RuntimeException | Error e) {
                abandon();
                throw e;
            }
            missed = work.addAndGet(-missed);
        } while (missed != 0);
    }
}

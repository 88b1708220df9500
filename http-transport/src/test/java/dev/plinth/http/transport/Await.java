package dev.plinth.http.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Bounded waits for events. On loopback every awaited event comes within milliseconds; the bound is short so that a
 * broken server (a mutant, say) fails the test at once instead of hanging it until a tool's time-out.
 */
final class Await {

    /** The longest a test waits for one event, unless it says why it needs longer. */
    static final long EVENT_MILLIS = 1_000;

    private Await() {}

    /**
     * Waits for a latch.
     *
     * @param latch the event
     * @param what what the event is, for the failure message
     */
    static void latch(CountDownLatch latch, String what) {
        try {
            assertTrue(
                    latch.await(EVENT_MILLIS, TimeUnit.MILLISECONDS), "no " + what + " within " + EVENT_MILLIS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while waiting for " + what);
        }
    }

    /**
     * Waits for a counter to reach a value. The counters have no listeners: they are polled briefly, not slept on.
     *
     * @param counter the counter
     * @param expected the value awaited
     */
    static void counter(LongSupplier counter, long expected) throws InterruptedException {
        counter(counter, expected, EVENT_MILLIS);
    }

    /**
     * Waits for a counter to reach a value, for longer than one event.
     *
     * @param counter the counter
     * @param expected the value awaited
     * @param millis how long at most
     */
    static void counter(LongSupplier counter, long expected, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (counter.getAsLong() != expected) {
            assertTrue(System.nanoTime() < deadline, "counter stuck at " + counter.getAsLong() + ", not " + expected);
            Thread.sleep(2);
        }
    }
}

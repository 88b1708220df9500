package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Handler;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The blocked-loop sampler: a stuck call is reported once, while stuck, with its stack; prompt calls never. */
@Timeout(20)
class LoopWatchdogTest {

    private final BlockingQueue<LoopWatchdog.Stuck> reports = new LinkedBlockingQueue<>();
    private final Handler handler = request -> CompletableFuture.failedStage(new UnsupportedOperationException());

    @Test
    void aCallPastTheThresholdIsReportedWhileStuckWithTheThreadsStackOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (LoopWatchdog watchdog = new LoopWatchdog(10, reports::add)) {
            watchdog.start("test-watchdog");
            Thread loop = new Thread(
                    () -> {
                        LoopWatchdog.Call call = watchdog.enter(handler);
                        try {
                            holdUntil(release);
                        } finally {
                            call.exit();
                        }
                    },
                    "test-loop");
            loop.start();
            try {
                // sampled four times per threshold: a report takes milliseconds, a second is ample on a busy machine
                LoopWatchdog.Stuck stuck = reports.poll(1, TimeUnit.SECONDS);
                assertTrue(stuck != null, "reported while the call is still running");
                assertEquals(1, release.getCount());
                assertSame(handler, stuck.handler());
                assertSame(loop, stuck.thread());
                assertTrue(stuck.heldNanos() > TimeUnit.MILLISECONDS.toNanos(10));
                assertTrue(
                        Arrays.stream(stuck.stack())
                                .anyMatch(frame -> frame.getMethodName().equals("holdUntil")),
                        Arrays.toString(stuck.stack()));
            } finally {
                release.countDown();
            }
            loop.join(1_000);
            assertFalse(loop.isAlive());
            assertTrue(reports.isEmpty(), "one report per call");
        }
    }

    @Test
    void promptCallsAreNeverReportedThoughTheSamplerLooksAtThemManyTimes() throws Exception {
        try (LoopWatchdog watchdog = new LoopWatchdog(20, reports::add)) {
            watchdog.start("test-watchdog");
            long threshold = TimeUnit.MILLISECONDS.toNanos(20);
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200); // about twenty samples
            long calls = 0;
            long longCalls = 0; // a preempted or paused test thread may make a call long: that one may be reported
            while (System.nanoTime() < end) {
                LoopWatchdog.Call call = watchdog.enter(handler);
                if (call.exit() > threshold) {
                    longCalls++;
                }
                calls++;
            }
            assertTrue(calls > 1000);
            assertTrue(reports.size() <= longCalls, reports.size() + " reports for " + longCalls + " long calls");
            reports.forEach(stuck -> assertTrue(stuck.heldNanos() > threshold));
        }
    }

    @Test
    void anIdleSamplerSlowsDownAndTheNextCallSpeedsItUpAgain() {
        try (LoopWatchdog watchdog = new LoopWatchdog(20, reports::add)) {
            watchdog.start("test-watchdog");
            awaitPeriod(watchdog, LoopWatchdog.IDLE_PERIOD_NANOS); // no call: 5, 10, 20 ... 250 ms
            watchdog.enter(handler).exit();
            // a quarter of the threshold at the next sample, then doubling again: 5, 10 ... 160 ms, about 300 ms below
            // the idle pause in all, where the 5 ms alone would be missed by a test thread descheduled that long
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (watchdog.periodNanos() >= LoopWatchdog.IDLE_PERIOD_NANOS) {
                assertTrue(System.nanoTime() < deadline, "a call did not bring the pause down from the idle one");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    /** Polls the sampler's pause, which no event announces, for up to 5 s. */
    private static void awaitPeriod(LoopWatchdog watchdog, long expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (watchdog.periodNanos() != expected) {
            assertTrue(System.nanoTime() < deadline, "the pause is " + watchdog.periodNanos() + " ns, not " + expected);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Test
    void theThresholdIsAtLeastOneMillisecondAndMayChange() {
        try (LoopWatchdog watchdog = new LoopWatchdog(5, reports::add)) {
            assertEquals(TimeUnit.MILLISECONDS.toNanos(5), watchdog.thresholdNanos());
            watchdog.threshold(1);
            assertEquals(TimeUnit.MILLISECONDS.toNanos(1), watchdog.thresholdNanos());
            assertThrows(IllegalArgumentException.class, () -> watchdog.threshold(0));
        }
        assertThrows(IllegalArgumentException.class, () -> new LoopWatchdog(0, reports::add));
    }

    private static void holdUntil(CountDownLatch release) {
        try {
            assertTrue(release.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

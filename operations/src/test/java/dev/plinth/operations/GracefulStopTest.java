package dev.plinth.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.transport.HttpServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.Bundle;

@Timeout(20)
class GracefulStopTest {

    private final Readiness readiness = new Readiness(Fakes.context(Bundle.ACTIVE));
    private final AtomicInteger stops = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ShutdownConfig quick =
            Fakes.config(ShutdownConfig.class, Map.of("delayMillis", 0L, "graceMillis", 700L, "onSignal", false));
    private final GracefulStop stop = new GracefulStop(quick, readiness, () -> {
        stops.incrementAndGet();
        stopped.countDown();
    });

    @Test
    void readinessTurnsFirstThenEveryListenerDrainsWithTheGraceThenTheFrameworkStops() {
        Fakes.DrainedListener main = new Fakes.DrainedListener(8080, readiness);
        Fakes.DrainedListener second = new Fakes.DrainedListener(8081, readiness);
        stop.addListener(main);
        stop.addListener(second);
        Map<String, HttpServer.Drained> outcome = stop.run("SIGTERM", true, quick);
        assertEquals(List.of(false), main.readyWhenDrained, "not ready before any listener stops accepting");
        assertEquals(List.of(false), second.readyWhenDrained);
        assertEquals(
                Map.of(
                        "127.0.0.1:8080", new HttpServer.Drained(3, 1, 0, 700),
                        "127.0.0.1:8081", new HttpServer.Drained(3, 1, 0, 700)),
                outcome);
        assertEquals(1, stops.get());
    }

    @Test
    void keepRunningDrainsWithoutStoppingAndALaterStopWaitsForIt() throws InterruptedException {
        Fakes.DrainedListener main = new Fakes.DrainedListener(8080, readiness);
        stop.addListener(main);
        assertTrue(stop.drain(GracefulStop.KEEP_RUNNING).startsWith("draining: readiness answers 503"));
        assertTrue(readiness.draining(), "not ready before the command returns");
        assertTrue(stop.drain().startsWith("a drain is under way already; the framework stops when it is over"));
        assertTrue(stopped.await(10, TimeUnit.SECONDS));
        assertEquals(1, stops.get(), "stopped once, by the second command, after the first drain");
        assertEquals(List.of(false), main.readyWhenDrained, "drained once");
        assertTrue(readiness.draining());
    }

    @Test
    void aConfigurationRefusedAtFirstMeansTheDefaults() {
        GracefulStop refused = new GracefulStop(Map.of("delayMillis", "soon", "onSignal", "false"), null, readiness);
        try {
            assertEquals(
                    "draining: readiness answers 503; serving 5000 ms more, then draining for at most 20000 ms\n",
                    refused.drain(GracefulStop.KEEP_RUNNING));
        } finally {
            refused.deactivate(); // the defaults trap SIGTERM: give it back to this JVM
        }
    }

    @Test
    void aConfigurationRefusedLaterLeavesThePreviousOne() {
        GracefulStop refused = new GracefulStop(Map.of("onSignal", false), null, readiness);
        try {
            refused.modified(Map.of(
                    "delayMillis",
                    1L,
                    "graceMillis",
                    2L,
                    "onSignal",
                    false,
                    "osgi.command.scope",
                    "plinth",
                    "osgi.command.function",
                    "drain"));
            refused.modified(Map.of("delayMillis", -1L, "onSignal", false));
            refused.modified(Map.of("delay", 3L, "onSignal", false));
            assertEquals(
                    "draining: readiness answers 503; serving 1 ms more, then draining for at most 2 ms\n",
                    refused.drain(GracefulStop.KEEP_RUNNING),
                    "the last good configuration");
        } finally {
            refused.deactivate();
        }
    }

    @Test
    void anUnknownOptionIsRefusedAndStartsNothing() {
        assertEquals("usage: plinth:drain [--keep-running]\n", stop.drain("--now"));
        assertEquals(false, readiness.draining());
    }
}

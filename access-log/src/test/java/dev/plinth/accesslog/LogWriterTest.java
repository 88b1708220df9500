package dev.plinth.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.ExchangeFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue and its writer thread: a full queue drops and counts instead of waiting, a line reaches the file when the
 * queue runs empty, stopping writes what is queued, and drops are reported at most once a minute. A writer "stuck on
 * the disk" is one held in its clock ({@link TestClock#holdNextReader}), which it reads before each write.
 */
@Timeout(20)
class LogWriterTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path folder;

    final TestClock clock = new TestClock(Instant.parse("2026-11-30T12:00:00Z"));
    final Counters counters = new Counters();
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final List<Long> warnedAt = new CopyOnWriteArrayList<>();

    /** Records the warnings, with the test clock's time when each was made. */
    final System.Logger capture = new System.Logger() {
        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            if (level.getSeverity() >= Level.WARNING.getSeverity()) {
                warnedAt.add(clock.peek());
                warnings.add(message);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            log(level, bundle, format, (Throwable) null);
        }
    };

    Path log() {
        return folder.resolve("access.log");
    }

    LogWriter writer(int queueLines) {
        return LogWriter.create(
                new Settings(log(), LineFormat.COMMON, false, 0, 14, queueLines, ZoneOffset.UTC),
                counters,
                clock,
                capture);
    }

    static ExchangeFacts request(String target) {
        return LinesTest.facts("GET", target, "HTTP/1.1", "-", "-", 200, 1);
    }

    /** @return the targets of the lines in the file, in order */
    List<String> targets() throws IOException {
        return Files.readAllLines(log()).stream()
                .map(line -> line.split(" ")[6])
                .collect(Collectors.toList());
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "within " + WAIT.toMillis() + " ms: " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfWaiting() throws IOException {
        LogWriter writer = writer(3); // not started yet: nothing takes lines from the queue
        assertTrue(writer.offer(request("/1")));
        assertTrue(writer.offer(request("/2")));
        assertTrue(writer.offer(request("/3")));
        assertFalse(writer.offer(request("/4")));
        assertFalse(writer.offer(request("/5")));
        assertEquals(2, counters.dropped.sum());
        assertEquals(3, writer.queued());

        writer.start(true);
        assertTrue(writer.stop(WAIT));
        assertEquals(List.of("/1", "/2", "/3"), targets());
        assertEquals(3, counters.written.sum());
        assertEquals(0, counters.failed.sum());
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).contains("2 lines dropped, the queue of 3 lines being full"), warnings::toString);
    }

    @Test
    void offersNeverWaitForAWriterStuckOnTheDisk() throws Exception {
        LogWriter writer = writer(2);
        writer.start(true);
        var stuck = clock.holdNextReader();
        assertTrue(writer.offer(request("/a")));
        assertTrue(stuck.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the writer took /a and is held");
        assertTrue(writer.offer(request("/b")));
        assertTrue(writer.offer(request("/c")));
        assertFalse(writer.offer(request("/d")), "the queue of 2 is full: dropped, not waited for");
        assertFalse(writer.offer(request("/e")));
        assertEquals(2, counters.dropped.sum());
        assertEquals(2, writer.queued());

        clock.release();
        assertTrue(writer.stop(WAIT));
        assertEquals(List.of("/a", "/b", "/c"), targets());
        assertEquals(3, counters.written.sum());
    }

    @Test
    void aLineReachesTheFileOnceTheQueueRunsEmpty() throws IOException {
        LogWriter writer = writer(16);
        writer.start(true);
        try {
            writer.offer(request("/now"));
            await("the line is flushed", () -> counters.written.sum() == 1);
            assertEquals(List.of("/now"), targets());
        } finally {
            writer.stop(WAIT);
        }
    }

    @Test
    void stopWritesEverythingQueuedThenClosesAndRefusesMore() throws IOException {
        LogWriter writer = writer(1000);
        for (int n = 0; n < 1000; n++) {
            assertTrue(writer.offer(request("/" + n)));
        }
        writer.start(true);
        assertTrue(writer.stop(WAIT));
        assertEquals(IntStream.range(0, 1000).mapToObj(n -> "/" + n).collect(Collectors.toList()), targets());
        assertEquals(1000, counters.written.sum());
        assertEquals(0, writer.queued());

        assertFalse(writer.offer(request("/late")));
        assertEquals(1, counters.dropped.sum());
        assertEquals(1000, Files.readAllLines(log()).size());
    }

    @Test
    void dropsAreReportedAtMostOnceAMinuteWithTheirCount() throws Exception {
        LogWriter writer = writer(1);
        writer.start(true);
        try {
            dropOneWhileStuck(writer, "/a");
            await("the first warning", () -> warnings.size() == 1);
            long first = warnedAt.get(0);
            assertTrue(warnings.get(0).contains("1 lines dropped"), warnings::toString);

            dropOneWhileStuck(writer, "/c"); // within the minute: counted, not yet reported
            await("/c and /c2 written", () -> counters.written.sum() == 4);
            clock.advance(LogWriter.WARN_INTERVAL_MILLIS);
            writer.offer(request("/e")); // the writer looks again once its queue is empty
            await("the second warning", () -> warnings.size() == 2);
            assertTrue(warnedAt.get(1) >= first + LogWriter.WARN_INTERVAL_MILLIS, "not before a minute had passed");
            assertTrue(
                    warnings.get(1).contains("1 lines dropped")
                            && warnings.get(1).contains("(2 in all)"),
                    warnings::toString);
        } finally {
            assertTrue(writer.stop(WAIT));
        }
        assertEquals(2, warnings.size(), warnings::toString);
        assertEquals(List.of("/a", "/a2", "/c", "/c2", "/e"), targets());
    }

    /** Holds the writer on {@code target}, queues one more and drops a third, then lets the writer go. */
    private void dropOneWhileStuck(LogWriter writer, String target) throws InterruptedException {
        var stuck = clock.holdNextReader();
        assertTrue(writer.offer(request(target)));
        assertTrue(stuck.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(writer.offer(request(target + "2")));
        assertFalse(writer.offer(request(target + "3")));
        clock.release();
    }
}

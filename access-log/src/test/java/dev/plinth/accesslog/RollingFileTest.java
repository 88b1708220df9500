package dev.plinth.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Rotation by size and by day, the names of rotated files, and the pruning to the newest {@code keep}. */
@Timeout(10)
class RollingFileTest {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @TempDir
    Path folder;

    final TestClock clock = new TestClock(Instant.parse("2026-11-30T12:00:00Z"));

    /** A line of exactly 25 bytes. */
    static String line(int n) {
        return String.format("line %03d ...............", n) + "\n";
    }

    Path log() {
        return folder.resolve("access.log");
    }

    Set<String> files() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    String read(String name) throws IOException {
        return Files.readString(folder.resolve(name));
    }

    static String lines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(RollingFileTest::line).collect(Collectors.joining());
    }

    @Test
    void sizeRotationKeepsEachFileUnderTheLimitAndEveryLineInOrder() throws IOException {
        assertEquals(25, line(1).length());
        try (RollingFile file = new RollingFile(log(), false, 100, 10, ZoneOffset.UTC, clock)) {
            for (int n = 1; n <= 10; n++) {
                file.write(line(n));
            }
        }
        assertEquals(Set.of("access.log", "access.log.2026-11-30", "access.log.2026-11-30.1"), files());
        assertEquals(lines(1, 4), read("access.log.2026-11-30"));
        assertEquals(lines(5, 8), read("access.log.2026-11-30.1"));
        assertEquals(lines(9, 10), read("access.log"));
    }

    @Test
    void keepLeavesTheNewestRotatedFilesAndNothingElseIsTouched() throws IOException {
        List<String> strangers = List.of(
                "access.log.gz",
                "access.log.2026-11-29.gz",
                "other.log.2026-11-01",
                "access.log.2026-13-45",
                "access.log.2026-11-30.x");
        for (String stranger : strangers) {
            Files.writeString(folder.resolve(stranger), "not ours\n");
        }
        Files.writeString(folder.resolve("access.log.2026-11-28"), "older\n");
        Files.writeString(folder.resolve("access.log.2026-11-29.12"), "old\n");
        try (RollingFile file = new RollingFile(log(), false, 100, 3, ZoneOffset.UTC, clock)) {
            for (int n = 1; n <= 18; n++) { // four rotations: .2026-11-30, then .1, .2, .3
                file.write(line(n));
            }
        }
        Set<String> expected = new TreeSet<>(strangers);
        expected.addAll(
                Set.of("access.log", "access.log.2026-11-30.1", "access.log.2026-11-30.2", "access.log.2026-11-30.3"));
        assertEquals(expected, files());
        assertEquals(lines(5, 8), read("access.log.2026-11-30.1"));
        assertEquals(lines(13, 16), read("access.log.2026-11-30.3"));
        assertEquals(lines(17, 18), read("access.log"));
    }

    @Test
    void keepZeroKeepsNoRotatedFile() throws IOException {
        try (RollingFile file = new RollingFile(log(), false, 50, 0, ZoneOffset.UTC, clock)) {
            for (int n = 1; n <= 5; n++) {
                file.write(line(n));
            }
        }
        assertEquals(Set.of("access.log"), files());
        assertEquals(line(5), read("access.log"));
    }

    @Test
    void dailyRotationAtMidnightInTheZone() throws IOException {
        clock.set(Instant.parse("2026-11-30T22:59:59Z")); // 23:59:59 in Paris
        try (RollingFile file = new RollingFile(log(), true, 0, 14, PARIS, clock)) {
            file.write(line(1));
            clock.set(Instant.parse("2026-11-30T23:00:01Z")); // 00:00:01 on 1 December in Paris
            file.write(line(2));
            clock.set(Instant.parse("2026-12-01T22:59:59Z"));
            file.write(line(3));
            clock.set(Instant.parse("2026-12-02T23:30:00Z")); // a day without lines in between
            file.write(line(4));
        }
        assertEquals(Set.of("access.log", "access.log.2026-11-30", "access.log.2026-12-01"), files());
        assertEquals(line(1), read("access.log.2026-11-30"));
        assertEquals(line(2) + line(3), read("access.log.2026-12-01"));
        assertEquals(line(4), read("access.log"));
    }

    @Test
    void theSameInstantsAreOneDayInUtc() throws IOException {
        clock.set(Instant.parse("2026-11-30T22:59:59Z"));
        try (RollingFile file = new RollingFile(log(), true, 0, 14, ZoneOffset.UTC, clock)) {
            file.write(line(1));
            clock.set(Instant.parse("2026-11-30T23:00:01Z"));
            file.write(line(2));
        }
        assertEquals(Set.of("access.log"), files());
    }

    @Test
    void noDailyRotationWhenItIsOff() throws IOException {
        try (RollingFile file = new RollingFile(log(), false, 0, 14, ZoneOffset.UTC, clock)) {
            file.write(line(1));
            clock.advance(3 * 86_400_000L);
            file.write(line(2));
        }
        assertEquals(Set.of("access.log"), files());
        assertEquals(lines(1, 2), read("access.log"));
    }

    @Test
    void sizeAndDayTogetherNumberTheFilesWithinTheDay() throws IOException {
        Files.writeString(folder.resolve("access.log.2026-11-30"), "from an earlier run\n");
        try (RollingFile file = new RollingFile(log(), true, 50, 14, ZoneOffset.UTC, clock)) {
            for (int n = 1; n <= 5; n++) {
                file.write(line(n));
            }
            clock.set(Instant.parse("2026-12-01T00:00:00Z"));
            file.write(line(6));
        }
        assertEquals(
                Set.of(
                        "access.log",
                        "access.log.2026-11-30",
                        "access.log.2026-11-30.1",
                        "access.log.2026-11-30.2",
                        "access.log.2026-11-30.3"),
                files());
        assertEquals("from an earlier run\n", read("access.log.2026-11-30"));
        assertEquals(lines(1, 2), read("access.log.2026-11-30.1"));
        assertEquals(lines(3, 4), read("access.log.2026-11-30.2"));
        assertEquals(line(5), read("access.log.2026-11-30.3"));
        assertEquals(line(6), read("access.log"));
    }

    @Test
    void aFileLeftFromAnEarlierDayIsRotatedAtTheFirstLineAndNamedAfterItsLastLine() throws IOException {
        Files.writeString(log(), "yesterday\n");
        Files.setLastModifiedTime(log(), FileTime.from(Instant.parse("2026-11-29T18:00:00Z")));
        try (RollingFile file = new RollingFile(log(), true, 0, 14, ZoneOffset.UTC, clock)) {
            file.write(line(1));
        }
        assertEquals("yesterday\n", read("access.log.2026-11-29"));
        assertEquals(line(1), read("access.log"));
    }

    @Test
    void linesAreAppendedToAFileOfTheSameDay() throws IOException {
        Files.writeString(log(), "earlier today\n");
        Files.setLastModifiedTime(log(), FileTime.from(Instant.parse("2026-11-30T01:00:00Z")));
        try (RollingFile file = new RollingFile(log(), true, 0, 14, ZoneOffset.UTC, clock)) {
            file.write(line(1));
        }
        assertEquals(Set.of("access.log"), files());
        assertEquals("earlier today\n" + line(1), read("access.log"));
    }

    @Test
    void anEmptyFileIsNeverRotatedAndALongLineStillGoesIn() throws IOException {
        try (RollingFile file = new RollingFile(log(), true, 10, 14, ZoneOffset.UTC, clock)) {
            clock.advance(86_400_000L);
            file.write(line(1)); // 25 bytes past a limit of 10, into an empty file
            file.write(line(2));
        }
        assertEquals(Set.of("access.log", "access.log.2026-12-01"), files());
        assertEquals(line(1), read("access.log.2026-12-01"));
        assertEquals(line(2), read("access.log"));
    }

    @Test
    void linesReachTheFileWhenFlushed() throws IOException {
        try (RollingFile file = new RollingFile(log(), true, 0, 14, ZoneOffset.UTC, clock)) {
            file.write(line(1));
            assertEquals(0, Files.size(log()), "buffered until flushed");
            file.flush();
            assertEquals(line(1), read("access.log"));
        }
    }

    @Test
    void theFoldersAreMade() throws IOException {
        Path deep = folder.resolve("logs/plinth/access.log");
        try (RollingFile file = new RollingFile(deep, true, 0, 14, ZoneOffset.UTC, clock)) {
            file.write(line(1));
            assertEquals(deep.toAbsolutePath(), file.path());
        }
        assertEquals(line(1), Files.readString(deep));
        assertFalse(Files.exists(folder.resolve("access.log")));
        assertTrue(Files.isDirectory(folder.resolve("logs/plinth")));
    }
}

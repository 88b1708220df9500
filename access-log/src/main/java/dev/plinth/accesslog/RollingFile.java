package dev.plinth.accesslog;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A log file that rotates itself, for one writer thread (not thread-safe).
 *
 * <p>Lines go to {@code path} (appended to what is there), through a buffer written out by {@link #flush}, when it
 * fills, and before a rotation. Before a line is written, the file is rotated (when it is not empty) if the day has
 * changed since its last line ({@code daily}), or if the line would take it past {@code maxBytes}: it is renamed
 * after the day of its last line, {@code access.log.2026-11-30}, or {@code access.log.2026-11-30.1}, {@code .2}...
 * when that day already has rotated files, so that within a day the higher number is the newer file; then the
 * oldest rotated files beyond {@code keep} are deleted, and a new file is started. Days are those of {@code zone};
 * the time is the {@code clock}'s.
 *
 * <p>A failure to write throws, and the next line opens the file again. A failed rename is logged, and the file
 * goes on growing; rotation is tried again a minute later.
 */
final class RollingFile implements Closeable {

    private static final System.Logger LOG = System.getLogger(RollingFile.class.getName());
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final long ROTATION_RETRY_MILLIS = 60_000;

    private final Path path;
    private final Path folder;
    private final Pattern rotatedName;
    private final boolean daily;
    private final long maxBytes;
    private final int keep;
    private final ZoneId zone;
    private final Clock clock;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int buffered;
    private FileOutputStream out;
    private long size;
    private LocalDate lastLineDay;
    private LocalDate today;
    private long todayStarts;
    private long todayEnds;
    private long noRotationBefore = Long.MIN_VALUE;

    /**
     * Opens (or creates, with its folders) the file.
     *
     * @param path the file
     * @param daily whether to rotate at the first line of a new day
     * @param maxBytes the size past which the file is rotated; 0 for no limit
     * @param keep how many rotated files to keep
     * @param zone the zone whose days count
     * @param clock the time
     * @throws IOException if the file cannot be opened
     */
    RollingFile(Path path, boolean daily, long maxBytes, int keep, ZoneId zone, Clock clock) throws IOException {
        this.path = path.toAbsolutePath();
        this.folder = this.path.getParent();
        this.rotatedName = Pattern.compile(
                Pattern.quote(this.path.getFileName().toString()) + "\\.(\\d{4}-\\d{2}-\\d{2})(?:\\.(\\d+))?");
        this.daily = daily;
        this.maxBytes = maxBytes;
        this.keep = keep;
        this.zone = zone;
        this.clock = clock;
        open();
    }

    /** @return the file written to */
    Path path() {
        return path;
    }

    /**
     * Appends a line, rotating the file first if it is due.
     *
     * @param line the line, line feed included, all of it ASCII (each char is written as one byte)
     * @throws IOException if the file cannot be written or opened again
     */
    void write(CharSequence line) throws IOException {
        long now = clock.millis();
        LocalDate day = day(now);
        if (out == null) {
            open();
        }
        int length = line.length();
        if (size > 0
                && now >= noRotationBefore
                && ((daily && !day.equals(lastLineDay)) || (maxBytes > 0 && size + length > maxBytes))) {
            rotate(now);
        }
        for (int i = 0; i < length; i++) {
            if (buffered == buffer.length) {
                drain();
            }
            buffer[buffered++] = (byte) line.charAt(i);
        }
        size += length;
        lastLineDay = day;
    }

    /**
     * Writes what is buffered to the file (to the operating system; no sync to the disk).
     *
     * @throws IOException if it cannot be written
     */
    void flush() throws IOException {
        if (buffered > 0) {
            drain();
        }
    }

    /** Flushes and closes the file. */
    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            closeQuietly();
        }
    }

    private void open() throws IOException {
        Files.createDirectories(folder);
        out = new FileOutputStream(path.toFile(), true);
        size = out.getChannel().size();
        lastLineDay = size == 0
                ? day(clock.millis())
                : LocalDate.ofInstant(Files.getLastModifiedTime(path).toInstant(), zone);
    }

    private void drain() throws IOException {
        int length = buffered;
        buffered = 0;
        try {
            out.write(buffer, 0, length);
        } catch (IOException e) {
            closeQuietly();
            throw e;
        }
    }

    private void closeQuietly() {
        buffered = 0;
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> "closing " + path + ": " + e);
            }
            out = null;
        }
    }

    private void rotate(long now) throws IOException {
        flush();
        closeQuietly();
        try {
            List<Rotated> rotated = rotatedFiles();
            int index = rotated.stream()
                    .filter(r -> r.day().equals(lastLineDay))
                    .mapToInt(r -> r.index() + 1)
                    .max()
                    .orElse(0);
            Path target = folder.resolve(path.getFileName() + "." + lastLineDay + (index == 0 ? "" : "." + index));
            Files.move(path, target);
            rotated.add(new Rotated(lastLineDay, index, target));
            prune(rotated);
        } catch (IOException e) {
            noRotationBefore = now + ROTATION_RETRY_MILLIS;
            LOG.log(Level.WARNING, "access log: cannot rotate " + path + " (trying again in a minute)", e);
        }
        open();
    }

    /** Deletes the oldest rotated files beyond {@code keep}. */
    private void prune(List<Rotated> rotated) {
        rotated.sort(Comparator.comparing(Rotated::day)
                .thenComparingInt(Rotated::index)
                .reversed());
        for (Rotated old : rotated.subList(Math.min(keep, rotated.size()), rotated.size())) {
            try {
                Files.deleteIfExists(old.file());
            } catch (IOException e) {
                LOG.log(Level.WARNING, "access log: cannot delete the old file " + old.file(), e);
            }
        }
    }

    private List<Rotated> rotatedFiles() throws IOException {
        List<Rotated> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                Matcher name = rotatedName.matcher(file.getFileName().toString());
                if (name.matches() && Files.isRegularFile(file)) {
                    try {
                        LocalDate day = LocalDate.parse(name.group(1));
                        int index = name.group(2) == null ? 0 : Integer.parseInt(name.group(2));
                        found.add(new Rotated(day, index, file));
                    } catch (DateTimeException | NumberFormatException e) {
                        // not a name this class gives (no such day, or a number out of range): not ours to delete
                    }
                }
            }
        }
        return found;
    }

    /** @return the day of {@code millis} in the zone; the current day's bounds are kept, as most calls fall in it */
    private LocalDate day(long millis) {
        if (today == null || millis < todayStarts || millis >= todayEnds) {
            today = LocalDate.ofInstant(Instant.ofEpochMilli(millis), zone);
            todayStarts = today.atStartOfDay(zone).toInstant().toEpochMilli();
            todayEnds = today.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        }
        return today;
    }

    /** A rotated file: the day of its last line, and its number within the day (0 for none). */
    private record Rotated(LocalDate day, int index, Path file) {}
}

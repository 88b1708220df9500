package dev.plinth.handlers.statics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One mount's files as responses need them: what a path maps to ({@link PathResolver}, which alone decides what may
 * be served), remembered for a short time ({@link LookupCache}), and the bytes of small files held in memory
 * ({@link HeldFiles}). Lookups and contents take a {@link Reach}: limited to memory, they never touch the file
 * system, and a lookup that would have to ask it gives {@code null} instead.
 */
final class DocRoot {

    /** How far one attempt at an answer may go for it. */
    enum Reach {
        /** Only what memory holds now: fresh cached lookups and held bytes. For the I/O thread. */
        MEMORY,
        /** Also the file system. For a worker. */
        DISK
    }

    private final PathResolver paths;
    private final LookupCache lookups;
    /** The bytes of found files, when lookups are cached. */
    private final HeldFiles memory;

    /**
     * @param paths resolves paths under the docroot
     * @param cacheMillis how long a lookup's result is reused; 0 for never (and then no file is held in memory)
     * @param memory which files are held in memory with their lookups
     * @param clock {@link System#nanoTime()}, or a test's clock
     * @throws IllegalArgumentException if {@code cacheMillis} is negative
     */
    DocRoot(PathResolver paths, long cacheMillis, HeldFiles.Limits memory, LongSupplier clock) {
        if (cacheMillis < 0) {
            throw new IllegalArgumentException("metadataCacheMillis must not be negative");
        }
        long cacheNanos = TimeUnit.MILLISECONDS.toNanos(cacheMillis);
        this.paths = paths;
        this.lookups = new LookupCache(cacheNanos, clock);
        this.memory = new HeldFiles(cacheMillis == 0 ? HeldFiles.Limits.NONE : memory, cacheNanos, clock);
    }

    /**
     * @param path the part of the request path under the prefix, decoded, such as {@code /css/site.css}, {@code /}
     *        or the empty string (the docroot itself, asked for without a slash)
     * @param reach {@link Reach#MEMORY} to use only a fresh cached lookup
     * @return what it maps to; null if only memory may be used and it holds no fresh lookup for the path
     * @throws IOException if the file system fails other than by a missing, unreadable or ill-formed path
     */
    Lookup find(String path, Reach reach) throws IOException {
        String key = "F" + path;
        long now = lookups.now();
        Lookup hit = lookups.fresh(key, now);
        if (hit != null || reach == Reach.MEMORY) {
            return hit;
        }
        Lookup found = paths.resolve(path);
        lookups.put(key, found, now);
        return found;
    }

    /**
     * A file beside {@code file} whose name adds a suffix, such as a precompressed {@code app.js.br}, under the same
     * rules as any other file.
     *
     * @param file a found file's real path
     * @param suffix the suffix, such as {@code .br}
     * @param reach {@link Reach#MEMORY} to use only a fresh cached lookup
     * @return the sibling if it is a regular file that may be served, else {@link Lookup.NotFound}; null if only
     *         memory may be used and it holds no fresh lookup for the sibling
     * @throws IOException if the file system fails other than by a missing or unreadable file
     */
    Lookup sibling(Path file, String suffix, Reach reach) throws IOException {
        String key = "S" + file + suffix;
        long now = lookups.now();
        Lookup hit = lookups.fresh(key, now);
        if (hit != null || reach == Reach.MEMORY) {
            return hit;
        }
        Lookup found = paths.sibling(file, suffix);
        lookups.put(key, found, now);
        return found;
    }

    /**
     * The bytes of a found file for a response, from memory. A file is read into memory when a response first sends
     * it, not when it is looked up, so that a precompressed sibling that no client asks for costs no memory.
     *
     * @param found a found file
     * @param reach {@link Reach#DISK} to read the file into memory if it is not held yet and may be
     * @return the bytes, read-only; null if the file is to be sent from disk
     */
    ByteBuffer content(Lookup.Found found, Reach reach) {
        Lookup.Derived derived = found.derived();
        if (reach == Reach.DISK && !derived.holdTried && lookups.enabled()) {
            derived.held = memory.hold(found.file(), found.attributes(), paths::open); // only cached lookups expire
            derived.holdTried = true;
        }
        HeldFiles.Held held = derived.held;
        return held == null ? null : memory.send(held);
    }

    /**
     * @param file a found file's real path
     * @return a channel open for reading, as {@link PathResolver#open} opens it
     * @throws IOException if it cannot be opened
     */
    FileChannel open(Path file) throws IOException {
        return paths.open(file);
    }

    /**
     * @param directory a directory's real path, from {@link Lookup.NoIndex}
     * @return its entries this mount would serve, as {@link PathResolver#list} lists them
     * @throws IOException if the directory cannot be read
     */
    List<PathResolver.Entry> list(Path directory) throws IOException {
        return paths.list(directory);
    }

    /** Forgets every cached lookup, after a file was seen to change. */
    void forget() {
        lookups.clear(); // held bytes stay: they are bounded on their own, and the next lookups reuse them
    }

    /** @return the files held in memory */
    HeldFiles memory() {
        return memory;
    }

    @Override
    public String toString() {
        return paths.toString();
    }
}

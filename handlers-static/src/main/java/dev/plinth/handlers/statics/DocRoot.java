package dev.plinth.handlers.statics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Maps a request path to a regular file under one directory, and never to anything outside it unless the mount
 * allows symbolic links to lead out.
 *
 * <p>Defence in depth, although the server already refuses encoded slashes, backslashes and NULs (400):
 * <ol>
 * <li>every segment is checked on its own: {@code .}, {@code ..}, a backslash, a colon (drive forms such as
 *     {@code C:}, NTFS streams), a NUL or any other control character refuse the whole path;</li>
 * <li>with the {@linkplain Hidden#DENY deny} policy, a segment starting with {@code .} refuses the path, except
 *     {@code .well-known} as the first segment (RFC 8615 well-known URIs, such as ACME challenges, live there);</li>
 * <li>the segments are resolved one by one under the docroot, refusing any that the file system reads as absolute;</li>
 * <li>the result is resolved with {@link Path#toRealPath} (following symbolic links); unless the mount follows links
 *     out, it must still lie inside the docroot's own real path, so a link that leads out is treated as missing.
 *     The hidden policy is applied to the real path too, so a link cannot expose a hidden file;</li>
 * <li>the file is then opened by its real path without following links, so a link swapped in after the check
 *     fails to open instead of leading out.</li>
 * </ol>
 * Empty segments ({@code a//b}) are skipped. Every refusal looks the same as a missing file to the client.
 */
final class DocRoot {

    /** What to do with names starting with a dot. */
    enum Hidden {
        /** 404 for any path with a segment starting with {@code .}, except a leading {@code /.well-known/}. */
        DENY,
        /** Serve them like any other file. */
        ALLOW;

        /**
         * @param value {@code deny} or {@code allow}, any case
         * @return the policy
         * @throws IllegalArgumentException for any other value
         */
        static Hidden of(String value) {
            for (Hidden policy : values()) {
                if (policy.name().equalsIgnoreCase(value == null ? "" : value.strip())) {
                    return policy;
                }
            }
            throw new IllegalArgumentException("hidden must be deny or allow: " + value);
        }

        /** @return whether a path made of these segments (relative to the docroot) is refused */
        boolean refuses(List<String> segments) {
            if (this == ALLOW) {
                return false;
            }
            for (int i = 0; i < segments.size(); i++) {
                String segment = segments.get(i);
                if (segment.startsWith(".") && !(i == 0 && segment.equals(".well-known"))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** How far one attempt at an answer may go for it. */
    enum Reach {
        /** Only what memory holds now: fresh cached lookups and held bytes. For the I/O thread. */
        MEMORY,
        /** Also the file system. For a worker. */
        DISK;

        /**
         * Called before anything that may touch the file system.
         *
         * @throws NotInMemory if this attempt may not
         */
        void disk() throws NotInMemory {
            if (this == MEMORY) {
                throw NotInMemory.INSTANCE;
            }
        }
    }

    /** An answer from memory alone was asked for, and it needs the file system. Carries no stack: it is control
     * flow. */
    static final class NotInMemory extends IOException {
        private static final long serialVersionUID = 1L;
        static final NotInMemory INSTANCE = new NotInMemory();

        private NotInMemory() {
            super("needs the file system");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** What a path maps to. */
    sealed interface Lookup permits Found, MissingSlash, NoIndex, NotFound {

        /** Computes a lookup's result. */
        @FunctionalInterface
        interface Source {
            Object get() throws IOException;
        }

    }

    /**
     * A regular file to serve.
     *
     * @param file its real path, inside the docroot unless links may lead out
     * @param attributes its attributes, read while looking it up
     * @param derived what responses take from the file, computed once per lookup
     */
    record Found(Path file, BasicFileAttributes attributes, Derived derived) implements Lookup {
    }

    /**
     * What responses take from a found file, computed once per lookup; with the lookup cached, once per file and
     * cache period rather than once per request: response fields from its attributes, and its bytes in memory.
     */
    static final class Derived {
        volatile String etag;
        volatile String lastModified;
        /** Its bytes in memory, read with the lookup's attributes; null if not held. */
        volatile HeldFiles.Held held;
        /** Whether holding it was tried: once per lookup, whatever came of it. */
        volatile boolean holdTried;
    }

    /** A directory asked for without a trailing slash: the client should be redirected to the slashed path. */
    record MissingSlash() implements Lookup {
    }

    /**
     * A directory asked for with its slash that holds none of the index files.
     *
     * @param directory its real path
     */
    record NoIndex(Path directory) implements Lookup {
    }

    /**
     * Nothing to serve.
     *
     * @param reason why, for the log; never shown to the client
     */
    record NotFound(String reason) implements Lookup {
    }

    /**
     * An entry of a directory listing.
     *
     * @param name the file name
     * @param directory whether it is a directory
     */
    record Entry(String name, boolean directory) {
    }

    /** Entries at most; past it the cache starts afresh (a crude bound, enough against a crawl of many paths). */
    private static final int CACHE_LIMIT = 4096;

    private final Path root;
    private final long cacheNanos;
    private final LongSupplier clock;
    /** Path resolutions reused for a short time: resolving real paths is most of a small file's cost. */
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    /** The bytes of found files, when lookups are cached. */
    private final HeldFiles memory;
    private final List<String> indexNames;
    private final Hidden hidden;
    private final boolean followSymlinks;

    /**
     * @param directory the docroot; must exist and be a directory
     * @param indexNames the file names tried, in order, for a path naming a directory; each a single plain segment
     * @param hidden the hidden-files policy
     * @param followSymlinks whether symbolic links may lead out of the docroot
     * @param cacheMillis how long a lookup's result is reused; 0 for never (and then no file is held in memory)
     * @param memory which files are held in memory with their lookups
     * @param clock {@link System#nanoTime()}, or a test's clock
     * @throws IOException if the docroot cannot be resolved
     * @throws IllegalArgumentException if the docroot is not a directory, an index name is not a plain file name,
     *         or a limit is negative
     */
    DocRoot(Path directory, List<String> indexNames, Hidden hidden, boolean followSymlinks, long cacheMillis,
            HeldFiles.Limits memory, LongSupplier clock) throws IOException {
        this.root = directory.toRealPath();
        if (cacheMillis < 0) {
            throw new IllegalArgumentException("metadataCacheMillis must not be negative");
        }
        this.cacheNanos = TimeUnit.MILLISECONDS.toNanos(cacheMillis);
        this.clock = clock;
        this.memory = new HeldFiles(cacheMillis == 0 ? HeldFiles.Limits.NONE : memory, cacheNanos, clock);
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("docroot is not a directory: " + directory);
        }
        for (String name : indexNames) {
            if (refuses(name) || name.isEmpty() || name.indexOf('/') >= 0) {
                throw new IllegalArgumentException("index name is not a plain file name: " + name);
            }
        }
        this.indexNames = List.copyOf(indexNames);
        this.hidden = hidden;
        this.followSymlinks = followSymlinks;
    }

    /** @return the docroot's real path */
    Path root() {
        return root;
    }

    /**
     * @param path the part of the request path under the prefix, decoded, such as {@code /css/site.css}, {@code /}
     *        or the empty string (the docroot itself, asked for without a slash)
     * @param reach {@link Reach#MEMORY} to use only a fresh cached lookup
     * @return what it maps to
     * @throws NotInMemory if only memory may be used and it holds no fresh lookup for the path
     * @throws IOException if the file system fails other than by a missing, unreadable or ill-formed path
     */
    Lookup find(String path, Reach reach) throws IOException {
        return (Lookup) cached("F" + path, () -> findNow(path), reach);
    }

    /** @return the files held in memory */
    HeldFiles memory() {
        return memory;
    }

    /**
     * The bytes of a found file for a response, from memory. A file is read into memory when a response first sends
     * it, not when it is looked up, so that a precompressed sibling that no client asks for costs no memory.
     *
     * @param found a found file
     * @param reach {@link Reach#DISK} to read the file into memory if it is not held yet and may be
     * @return the bytes, read-only; null if the file is to be sent from disk
     */
    ByteBuffer content(Found found, Reach reach) {
        Derived derived = found.derived();
        if (reach == Reach.DISK && !derived.holdTried && cacheNanos != 0) {
            derived.held = memory.hold(found.file(), found.attributes(), this::open); // only cached lookups expire
            derived.holdTried = true;
        }
        HeldFiles.Held held = derived.held;
        return held == null ? null : memory.send(held);
    }

    /** Forgets every cached lookup, after a file was seen to change. */
    void forget() {
        clear();
    }

    private Object cached(String key, Lookup.Source source, Reach reach) throws IOException {
        long now = clock.getAsLong();
        Cached hit = cacheNanos == 0 ? null : cache.get(key);
        if (hit != null && now - hit.expires < 0) {
            return hit.value;
        }
        reach.disk();
        Object value = source.get();
        if (cacheNanos == 0) {
            return value;
        }
        if (cache.size() >= CACHE_LIMIT) {
            clear();
        }
        cache.put(key, new Cached(value, now + cacheNanos));
        return value;
    }

    private void clear() {
        cache.clear(); // held bytes stay: they are bounded on their own, and the next lookups reuse them
    }

    private record Cached(Object value, long expires) {
    }

    private Lookup findNow(String path) throws IOException {
        Path candidate = root;
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (refuses(segment)) {
                return new NotFound("refused segment in " + path);
            }
            try {
                Path next = root.getFileSystem().getPath(segment);
                if (next.isAbsolute() || next.getRoot() != null || next.getNameCount() != 1) {
                    return new NotFound("segment is not a plain name in " + path);
                }
                candidate = candidate.resolve(next);
            } catch (InvalidPathException e) {
                return new NotFound("invalid path " + path);
            }
            segments.add(segment);
        }
        if (hidden.refuses(segments)) {
            return new NotFound("hidden segment in " + path);
        }
        boolean slashed = path.endsWith("/");
        try {
            Path file = allowed(candidate);
            if (file == null) {
                return new NotFound("outside the docroot or hidden: " + path);
            }
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                return slashed ? index(file) : new MissingSlash();
            }
            if (!attributes.isRegularFile() || slashed) {
                return new NotFound("not a regular file: " + path);
            }
            return found(file, attributes);
        } catch (FileSystemException missing) {
            // includes NoSuchFile, AccessDenied, "Not a directory", too many symbolic links
            return new NotFound(missing.toString());
        }
    }

    /**
     * A file beside {@code file} whose name adds a suffix, such as a precompressed {@code app.js.br}, under the same
     * rules as any other file.
     *
     * @param file a found file's real path
     * @param suffix the suffix, such as {@code .br}
     * @param reach {@link Reach#MEMORY} to use only a fresh cached lookup
     * @return the sibling, if it is a regular file that may be served
     * @throws NotInMemory if only memory may be used and it holds no fresh lookup for the sibling
     * @throws IOException if the file system fails other than by a missing or unreadable file
     */
    @SuppressWarnings("unchecked")
    Optional<Found> sibling(Path file, String suffix, Reach reach) throws IOException {
        return (Optional<Found>) cached("S" + file + suffix,
                () -> regularFile(file.resolveSibling(file.getFileName() + suffix)), reach);
    }

    /**
     * @param file a found file's real path
     * @return a channel open for reading, not following a link that appeared since the file was found (unless links
     *         may lead out)
     * @throws IOException if it cannot be opened
     */
    FileChannel open(Path file) throws IOException {
        OpenOption[] options = followSymlinks
                ? new OpenOption[] {StandardOpenOption.READ}
                : new OpenOption[] {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS};
        return FileChannel.open(file, options);
    }

    /**
     * The entries of a directory that this mount would serve: hidden ones and links leading out are left out.
     *
     * @param directory a directory's real path, from {@link NoIndex}
     * @return its entries, sorted by name
     * @throws IOException if the directory cannot be read
     */
    List<Entry> list(Path directory) throws IOException {
        List<Entry> entries = new ArrayList<>();
        boolean top = directory.equals(root);
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path child : stream) {
                String name = child.getFileName().toString();
                if (hidden.refuses(top ? List.of(name) : List.of("", name))) {
                    continue;
                }
                try {
                    Path real = allowed(child);
                    if (real != null) {
                        BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
                        if (attributes.isDirectory() || attributes.isRegularFile()) {
                            entries.add(new Entry(name, attributes.isDirectory()));
                        }
                    }
                } catch (FileSystemException unusable) {
                    // a broken link or an unreadable entry: not listed
                }
            }
        }
        entries.sort(Comparator.comparing(Entry::name));
        return entries;
    }

    private static Found found(Path file, BasicFileAttributes attributes) {
        return new Found(file, attributes, new Derived());
    }

    private Lookup index(Path directory) throws IOException {
        for (String name : indexNames) {
            Optional<Found> found = regularFile(directory.resolve(name));
            if (found.isPresent()) {
                return found.get();
            }
        }
        return new NoIndex(directory);
    }

    private Optional<Found> regularFile(Path candidate) throws IOException {
        try {
            Path file = allowed(candidate);
            if (file != null) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                if (attributes.isRegularFile()) {
                    return Optional.of(found(file, attributes));
                }
            }
        } catch (FileSystemException unusable) {
            // missing, a broken link or unreadable
        }
        return Optional.empty();
    }

    /**
     * @return the real path of {@code candidate} if this mount may serve it: inside the docroot (unless links may
     *         lead out) and not hidden once links are resolved; else {@code null}
     */
    private Path allowed(Path candidate) throws IOException {
        if (!candidate.normalize().startsWith(root)) {
            return null;
        }
        Path real = candidate.toRealPath();
        if (!real.startsWith(root)) {
            return followSymlinks ? real : null;
        }
        List<String> names = new ArrayList<>();
        for (Path name : root.relativize(real)) {
            names.add(name.toString());
        }
        return hidden.refuses(names) ? null : real;
    }

    /** @return whether a path segment is refused outright */
    private static boolean refuses(String segment) {
        if (segment.equals(".") || segment.equals("..")) {
            return true;
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c == ':') {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return root + " (hidden " + hidden.name().toLowerCase(Locale.ROOT) + ", links "
                + (followSymlinks ? "followed out" : "kept inside") + ")";
    }
}

package dev.plinth.handlers.statics;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The bytes of a mount's files held in memory, in direct buffers, so that the response head and the whole body leave
 * in one gathered write with no system call but that write (no open, fstat, sendfile or close), and without the copy
 * into a temporary direct buffer that a heap buffer costs on every write.
 *
 * <p>Bounded: files larger than {@code maxFileBytes} are never held, and the direct memory of this mount's buffers
 * never exceeds {@code maxBytes}. A file is read when a response first sends it (on a worker) and there is room;
 * when there is
 * none, the files that no lookup has asked for during the last cache period are dropped; if that is not enough the
 * file is served from disk. A newer read of a file replaces the older one, whose buffer is then dropped. A dropped
 * buffer still counts until the garbage collector has freed it (a response already sending it keeps it alive), so
 * that at worst new files are sent from disk for a while, rather than direct memory growing past the bound.
 *
 * <p>Held bytes always match the version they were read with (see {@link Version}): size, modification time,
 * identity and, where the file system tells it, change time are read before and after reading, and bytes read while
 * they changed are not kept. Bytes are reused by a later lookup only if the version is still the same. Only a file
 * unmodified for at least a second is held: a write after that would move its modification time (the same reasoning
 * as a strong {@code Last-Modified}, RFC 9110 §8.8.2.2).
 * A file changed more recently, or dated in the future, may still be being written: it is sent from disk until it
 * settles, so a file rewritten again and again costs no buffer per lookup.
 */
final class HeldFiles {

    private static final System.Logger LOG = System.getLogger(HeldFiles.class.getName());

    /** One thread for all mounts, counting dropped buffers out once collected. */
    private static final Cleaner CLEANER = Cleaner.create(task -> {
        Thread thread = new Thread(task, "plinth-static-held-files");
        thread.setContextClassLoader(null); // it must not keep an uninstalled bundle's class loader alive
        return thread;
    });

    /**
     * How much a mount holds in memory.
     *
     * @param maxFileBytes the largest file held; 0 holds none
     * @param maxBytes the most bytes held in all
     */
    record Limits(long maxFileBytes, long maxBytes) {
        /** Holds nothing. */
        static final Limits NONE = new Limits(0, 0);

        /** @throws IllegalArgumentException if a limit is negative or a file could not fit one buffer */
        Limits {
            if (maxFileBytes < 0 || maxBytes < 0) {
                throw new IllegalArgumentException("memory limits must not be negative");
            }
            if (maxFileBytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("memoryMaxFileBytes must be below 2 GiB: " + maxFileBytes);
            }
        }
    }

    /**
     * What tells one content of a file from another without reading it. The change time catches an in-place rewrite
     * that keeps size and modification time ({@code cp -p}, {@code rsync --inplace -t}, {@code touch -r}, a coarse
     * modification time): whatever sets the modification time back moves the change time on.
     *
     * @param size its size
     * @param modifiedNanos its modification time
     * @param fileKey its identity (device and inode on Unix), or null where the file system has none
     * @param changedNanos its change time (Unix {@code ctime}), or 0 where the file system tells none
     */
    record Version(long size, long modifiedNanos, Object fileKey, long changedNanos) {

        /** Reads versions from the file system. */
        static final Versions ON_DISK = Version::read;

        private static final String UNIX = "unix:size,lastModifiedTime,fileKey,ctime";

        /** @return whether the lookup's attributes describe this version, as far as they tell */
        boolean describes(BasicFileAttributes attributes) {
            return attributes.size() == size
                    && nanos(attributes.lastModifiedTime()) == modifiedNanos
                    && Objects.equals(attributes.fileKey(), fileKey);
        }

        private static Version read(Path file) throws IOException {
            if (!file.getFileSystem().supportedFileAttributeViews().contains("unix")) {
                BasicFileAttributes basic =
                        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                return new Version(basic.size(), nanos(basic.lastModifiedTime()), basic.fileKey(), 0);
            }
            Map<String, Object> unix = Files.readAttributes(file, UNIX, LinkOption.NOFOLLOW_LINKS);
            return new Version(
                    (Long) unix.get("size"),
                    nanos((FileTime) unix.get("lastModifiedTime")),
                    unix.get("fileKey"),
                    nanos((FileTime) unix.get("ctime")));
        }

        private static long nanos(FileTime time) {
            return time.to(TimeUnit.NANOSECONDS);
        }
    }

    /** Reads a file's version; tests replace it to inject failures. */
    @FunctionalInterface
    interface Versions {
        /**
         * @param file a real path
         * @return its version now
         * @throws IOException if it cannot be read
         */
        Version of(Path file) throws IOException;
    }

    /** Tells when a dropped buffer's memory is free; tests replace it to play the garbage collector. */
    @FunctionalInterface
    interface Collector {
        /**
         * @param buffer a buffer just dropped, as allocated (its views keep it alive)
         * @param release to run once the buffer is collected; must not refer to the buffer
         */
        void whenCollected(ByteBuffer buffer, Runnable release);
    }

    /**
     * A direct buffer as allocated, which the garbage collector frees once no view of it is left, and the read-only
     * view responses are made from.
     */
    private record Buffer(ByteBuffer allocated, ByteBuffer readOnly) {}

    /** One file's bytes and the version of the file they were read from. */
    static final class Held {
        private final Version version;
        private final AtomicReference<Buffer> buffer;
        private volatile long lastAsked;

        private Held(Version version, ByteBuffer allocated, long now) {
            this.version = version;
            this.buffer = new AtomicReference<>(new Buffer(allocated, allocated.asReadOnlyBuffer()));
            this.lastAsked = now;
        }

        /** @return the bytes, read-only and positioned at their start; null once dropped */
        ByteBuffer bytes() {
            Buffer held = buffer.get();
            return held == null ? null : held.readOnly();
        }
    }

    /** Opens a file for reading, as the mount does. */
    @FunctionalInterface
    interface Opener {
        /**
         * @param file a real path
         * @return a channel open for reading
         * @throws IOException if it cannot be opened
         */
        FileChannel open(Path file) throws IOException;
    }

    private final long maxFileBytes;
    private final long maxBytes;
    private final long periodNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<Path, Held> files = new ConcurrentHashMap<>();
    private final AtomicLong bytesHeld = new AtomicLong();
    /** Bytes of buffers dropped whose memory the garbage collector has not freed yet. */
    private final AtomicLong bytesUncollected = new AtomicLong();

    private final AtomicLong reads = new AtomicLong();
    private volatile Versions versions = Version.ON_DISK;
    private volatile Collector collector = (buffer, release) -> CLEANER.register(buffer, release);

    /**
     * @param limits the largest file held and the most bytes held in all
     * @param periodNanos the lookup cache period: a file no lookup asked for during it may be dropped
     * @param clock {@link System#nanoTime()}, or a test's clock
     */
    HeldFiles(Limits limits, long periodNanos, LongSupplier clock) {
        this.maxFileBytes = Math.min(limits.maxFileBytes(), limits.maxBytes());
        this.maxBytes = limits.maxBytes();
        this.periodNanos = periodNanos;
        this.clock = clock;
    }

    /**
     * The bytes of a file a lookup found, held from before if still valid, else read now if there is room.
     * Reads the disk: call it from a worker.
     *
     * @param file the file's real path
     * @param attributes its attributes, read by the lookup
     * @param open opens the file for reading
     * @return the file's bytes with the version they belong to, or null if the file is not held (too large, no
     *         room, changed while read, or reading it failed: it is then sent from disk)
     */
    Held hold(Path file, BasicFileAttributes attributes, Opener open) {
        if (attributes.size() > maxFileBytes || !attributes.isRegularFile() || !settled(attributes)) {
            return null;
        }
        try {
            return holdNow(file, attributes, open);
        } catch (IOException | RuntimeException | OutOfMemoryError failure) {
            // out of direct memory, most likely: the file is sent from disk, which reports any fault of its own
            LOG.log(Level.DEBUG, () -> "not holding " + file + ": " + failure);
            return null;
        }
    }

    private Held holdNow(Path file, BasicFileAttributes attributes, Opener open) throws IOException {
        long now = clock.getAsLong();
        Version version = versions.of(file);
        if (!version.describes(attributes)) {
            return null; // changed since the lookup: the disk path will notice and look again
        }
        Held current = files.get(file);
        if (current != null && current.version.equals(version) && current.bytes() != null) {
            current.lastAsked = now;
            return current;
        }
        long size = version.size();
        if (!reserve(size, now)) {
            return null;
        }
        ByteBuffer allocated = null;
        Held fresh = null;
        try {
            allocated = ByteBuffer.allocateDirect((int) size);
            fresh = read(file, version, allocated, open, now);
        } finally {
            if (fresh == null) {
                giveBack(size, allocated); // on every way out
            }
        }
        Held replaced = files.put(file, fresh);
        if (replaced != null) {
            drop(replaced);
        }
        return fresh;
    }

    /**
     * @param held a held file, about to be sent
     * @return its bytes, read-only; null once dropped. The file counts as asked for now, so that one answered from
     *         memory all the time is not dropped as unused
     */
    ByteBuffer send(Held held) {
        held.lastAsked = clock.getAsLong();
        return held.bytes();
    }

    /** Replaces how dropped buffers are seen collected, for tests that play the garbage collector. */
    void collector(Collector seen) {
        collector = seen;
    }

    /** Replaces how versions are read, for tests that inject failures there. */
    void versions(Versions reader) {
        versions = reader;
    }

    /** @return the number of files held */
    int count() {
        return (int)
                files.values().stream().filter(held -> held.bytes() != null).count();
    }

    /** @return the bytes held */
    long bytes() {
        return bytesHeld.get();
    }

    /** @return the bytes of buffers dropped but not yet collected, which still count against the limit */
    long uncollected() {
        return bytesUncollected.get();
    }

    /** @return how many files were read into memory so far */
    long reads() {
        return reads.get();
    }

    /** Counts {@code size} bytes as held if they fit, first dropping files no lookup asked for lately. */
    private boolean reserve(long size, long now) {
        if (bytesHeld.addAndGet(size) + bytesUncollected.get() <= maxBytes) {
            return true;
        }
        for (Map.Entry<Path, Held> entry : files.entrySet()) {
            Held held = entry.getValue();
            if (now - held.lastAsked > periodNanos && files.remove(entry.getKey(), held)) {
                drop(held);
            }
        }
        if (bytesHeld.get() + bytesUncollected.get() <= maxBytes) {
            return true;
        }
        bytesHeld.addAndGet(-size);
        return false;
    }

    private void drop(Held held) {
        Buffer buffer = held.buffer.getAndSet(null);
        if (buffer != null) {
            letGo(buffer.allocated());
        }
    }

    /** Gives back a reservation of {@code size} bytes, with the buffer allocated for it if any. */
    private void giveBack(long size, ByteBuffer allocated) {
        if (allocated == null) {
            bytesHeld.addAndGet(-size);
        } else {
            letGo(allocated);
        }
    }

    /** Moves a buffer's bytes from held to uncollected, until the garbage collector frees them. */
    private void letGo(ByteBuffer allocated) {
        int size = allocated.capacity();
        AtomicLong uncollected = bytesUncollected; // the release refers to the counter only, never to the buffer
        uncollected.addAndGet(size);
        bytesHeld.addAndGet(-size);
        collector.whenCollected(allocated, () -> uncollected.addAndGet(-size));
    }

    /** @return the file's bytes, read into {@code allocated}, if they belong to this version; else null */
    private Held read(Path file, Version version, ByteBuffer allocated, Opener open, long now) throws IOException {
        if (!readFully(file, allocated, open) || !version.equals(versions.of(file))) {
            return null; // written while read: the bytes may belong to no version the lookup knows
        }
        return new Held(version, allocated.flip(), now);
    }

    /** @return whether the file was last modified over a second ago, so that a write since would show */
    private static boolean settled(BasicFileAttributes attributes) {
        return attributes.lastModifiedTime().toInstant().isBefore(Instant.now().minusSeconds(1));
    }

    /** @return whether the file, still of the buffer's size, filled it */
    private boolean readFully(Path file, ByteBuffer bytes, Opener open) throws IOException {
        reads.incrementAndGet();
        try (FileChannel channel = open.open(file)) {
            if (channel.size() != bytes.capacity()) {
                return false; // changed since the lookup: the disk path will notice and look again
            }
            while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) >= 0) {
                // positional reads until full
            }
        }
        return !bytes.hasRemaining();
    }
}

package dev.plinth.handlers.upload;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

/**
 * The directory uploads go to, and the only code that touches it. Every file is first written to a temporary,
 * hidden name ({@link Names#temporary}) in the directory it will end up in, then published under its final name in
 * one atomic step, so that a reader never sees a partial file and a failure leaves only a temporary file behind,
 * which the upload deletes (or, after a crash, {@link #sweep} at the next start).
 *
 * <p>Nothing is ever written outside the directory: a requested name's segments are checked by {@link Names}, each
 * existing intermediate folder must be a real folder (not a symbolic link, checked without following links), and
 * the final path is checked to stay below the directory's real path. Folders are not created: as in WebDAV (RFC 4918
 * §9.7.1), a PUT below a folder that does not exist is a conflict (409). The checks are made against what the file
 * system holds when the upload starts; a local user who can swap a folder for a link in the meantime is outside
 * this handler's threat model (clients of the handler cannot create links).
 *
 * <p>Called on the upload I/O threads only: every method may block on the disk.
 */
final class UploadDirectory {

    private static final System.Logger LOG = System.getLogger(UploadDirectory.class.getName());

    private final Path root;
    private final boolean fsync;

    /**
     * @param root the directory's real path
     * @param fsync whether files (and the directory entry) are forced to the disk before an upload is answered
     */
    UploadDirectory(Path root, boolean fsync) {
        this.root = root;
        this.fsync = fsync;
    }

    /**
     * Makes sure the configured directory exists, creating it and its parents if missing.
     *
     * @param configured the configured path
     * @return its real path
     * @throws IOException if it is not a directory or cannot be created
     */
    static Path prepare(Path configured) throws IOException {
        if (!Files.isDirectory(configured)) {
            Files.createDirectories(configured);
        }
        return configured.toRealPath();
    }

    /** @return the directory's real path */
    Path root() {
        return root;
    }

    /**
     * Where a PUT stores a file, after checking the folders on the way.
     *
     * @param segments a requested name's segments, from {@link Names#requested}
     * @param overwrite whether an existing file may be replaced
     * @param takenStatus the status when the file exists and may not be replaced: 409, or 412 for a request that
     *        said {@code If-None-Match: *}
     * @return the target path, below the directory
     * @throws Refusal 409 if a folder on the way is missing or is a file, or the target is a folder; {@code
     *         takenStatus} if it exists and may not be replaced; 403 if the way or the target is a symbolic link or something other than a regular
     *         file
     * @throws IOException if the file system fails
     */
    Path target(List<String> segments, boolean overwrite, int takenStatus) throws Refusal, IOException {
        Path folder = root;
        for (String segment : segments.subList(0, segments.size() - 1)) {
            folder = folder.resolve(segment);
            BasicFileAttributes attributes = attributes(folder);
            if (attributes == null) {
                throw new Refusal(409, "the folder " + root.relativize(folder) + " does not exist");
            }
            if (attributes.isSymbolicLink()) {
                throw new Refusal(403, "the path leads through a symbolic link");
            }
            if (!attributes.isDirectory()) {
                throw new Refusal(409, root.relativize(folder) + " is not a folder");
            }
        }
        Path target = folder.resolve(segments.get(segments.size() - 1)).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new Refusal(403, "the name leads out of the upload directory"); // Names makes this impossible
        }
        BasicFileAttributes existing = attributes(target);
        if (existing != null) {
            if (existing.isSymbolicLink() || existing.isOther()) {
                throw new Refusal(403, "the name is a symbolic link or a special file");
            }
            if (existing.isDirectory()) {
                throw new Refusal(409, "the name is a folder");
            }
            if (!overwrite) {
                throw new Refusal(takenStatus, "a file of that name exists and may not be replaced");
            }
        }
        return target;
    }

    /**
     * @param name a safe base name
     * @return whether anything exists under that name in the directory (links not followed)
     */
    boolean taken(String name) throws IOException {
        return attributes(root.resolve(name)) != null;
    }

    /**
     * Creates a new, empty temporary file in a folder of the directory.
     *
     * @param folder where the file will be published: the same folder, so that publishing is a rename
     * @return its path and an open channel
     * @throws IOException if it cannot be created
     */
    TempFile createTemp(Path folder) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = folder.resolve(Names.temporary());
            try {
                FileChannel channel =
                        FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
                return new TempFile(temp, channel);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 3) {
                    throw e; // 64 random bits colliding four times: something else is wrong
                }
            }
        }
    }

    /** A temporary file being written. */
    record TempFile(Path path, FileChannel channel) {}

    /**
     * Publishes a complete temporary file under its final name: a hard link made and the temporary name removed,
     * which fails if the name exists (so nothing is replaced by accident, with no window between a check and the
     * rename); if it exists and may be replaced, an atomic rename over it. Where the file system has no hard links,
     * an atomic rename after a check of the name.
     *
     * @param temp the temporary file, closed (and forced to the disk, if so configured)
     * @param target the final name, in the same folder
     * @param replace whether an existing file may be replaced
     * @return whether an existing file was replaced
     * @throws FileAlreadyExistsException if the name exists and may not be replaced
     * @throws IOException if the file system fails; the temporary file is left for the caller to delete
     */
    boolean publish(Path temp, Path target, boolean replace) throws IOException {
        boolean replaced = false;
        boolean linked = false;
        try {
            Files.createLink(target, temp);
            linked = true;
        } catch (FileAlreadyExistsException e) {
            if (!replace) {
                throw e;
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            replaced = true;
        } catch (UnsupportedOperationException | FileSystemException noLinks) {
            // no hard links here (EPERM, EXDEV, a file system without them): check, then rename
            boolean exists = attributes(target) != null;
            if (exists && !replace) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            replaced = exists;
        }
        if (linked) {
            delete(temp); // the file is published; a failure here leaves a hidden name the sweep removes
        }
        if (fsync) {
            forceFolder(target.getParent());
        }
        return replaced;
    }

    /**
     * Removes a file if it is there.
     *
     * @param file a temporary (or, when undoing an upload, a published) file
     * @return whether it was removed
     */
    static boolean delete(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete " + file + ": " + e);
            return false;
        }
    }

    /**
     * Removes temporary files that a previous run left behind (a crash, a kill): those older than {@code age}. Younger
     * ones may belong to an upload in progress (their modification time moves with every write). Links are not
     * followed.
     *
     * @param age the least age of a file removed
     * @return how many were removed
     */
    int sweep(Duration age) {
        Instant before = Instant.now().minus(age);
        int[] removed = {0};
        try {
            Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), 32, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()
                            && Names.isTemporary(file.getFileName().toString())
                            && attributes.lastModifiedTime().compareTo(FileTime.from(before)) < 0
                            && delete(file)) {
                        removed[0]++;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not look for stale temporary files in " + root + ": " + e);
        }
        if (removed[0] > 0) {
            LOG.log(Level.INFO, "removed {0} stale temporary upload files from {1}", removed[0], root);
        }
        return removed[0];
    }

    /**
     * @param channel a temporary file's channel
     * @throws IOException if forcing or closing fails
     */
    void finish(FileChannel channel) throws IOException {
        try (channel) {
            if (fsync) {
                channel.force(true);
            }
        }
    }

    private static void forceFolder(Path folder) {
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can open a folder; the file itself is forced already
        }
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}

package dev.plinth.handlers.statics;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Maps a request path to a regular file under one directory, and never to anything outside it.
 *
 * <p>Defence in depth, although the server already refuses encoded slashes, backslashes and NULs:
 * <ol>
 * <li>every segment is checked on its own: {@code .}, {@code ..}, a backslash, a colon (drive forms such as
 *     {@code C:}, NTFS streams), a NUL or any other control character refuse the whole path;</li>
 * <li>the segments are resolved one by one under the docroot, refusing any that the file system reads as absolute;</li>
 * <li>the result is resolved with {@link Path#toRealPath} (following symbolic links) and must still lie inside the
 *     docroot's own real path, so a link that leads out of the docroot is treated as missing.</li>
 * </ol>
 * Empty segments ({@code a//b}) are skipped. Every refusal looks the same as a missing file to the client.
 */
final class DocRoot {

    /** What a path maps to. */
    sealed interface Lookup permits Found, MissingSlash, NotFound {
    }

    /**
     * A regular file to serve.
     *
     * @param file its real path, inside the docroot
     * @param attributes its attributes, read while looking it up
     */
    record Found(Path file, BasicFileAttributes attributes) implements Lookup {
    }

    /** A directory asked for without a trailing slash: the client should be redirected to the slashed path. */
    record MissingSlash() implements Lookup {
    }

    /**
     * Nothing to serve.
     *
     * @param reason why, for the log; never shown to the client
     */
    record NotFound(String reason) implements Lookup {
    }

    private final Path root;
    private final List<String> indexNames;

    /**
     * @param directory the docroot; must exist and be a directory
     * @param indexNames the file names tried, in order, for a path naming a directory; each a single plain segment
     * @throws IOException if the docroot cannot be resolved
     * @throws IllegalArgumentException if the docroot is not a directory or an index name is not a plain file name
     */
    DocRoot(Path directory, List<String> indexNames) throws IOException {
        this.root = directory.toRealPath();
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("docroot is not a directory: " + directory);
        }
        for (String name : indexNames) {
            if (refuses(name) || name.isEmpty() || name.indexOf('/') >= 0) {
                throw new IllegalArgumentException("index name is not a plain file name: " + name);
            }
        }
        this.indexNames = List.copyOf(indexNames);
    }

    /** @return the docroot's real path */
    Path root() {
        return root;
    }

    /**
     * @param path the part of the request path under the prefix, decoded, such as {@code /css/site.css}, {@code /}
     *        or the empty string (the docroot itself, asked for without a slash)
     * @return what it maps to
     * @throws IOException if the file system fails other than by a missing, unreadable or ill-formed path
     */
    Lookup find(String path) throws IOException {
        Path candidate = root;
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
        }
        boolean slashed = path.endsWith("/");
        try {
            Path file = inside(candidate);
            if (file == null) {
                return new NotFound("outside the docroot: " + path);
            }
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                return slashed ? index(file) : new MissingSlash();
            }
            if (!attributes.isRegularFile() || slashed) {
                return new NotFound("not a regular file: " + path);
            }
            return new Found(file, attributes);
        } catch (FileSystemException missing) {
            // includes NoSuchFile, AccessDenied, "Not a directory", too many symbolic links
            return new NotFound(missing.toString());
        }
    }

    private Lookup index(Path directory) throws IOException {
        for (String name : indexNames) {
            try {
                Path file = inside(directory.resolve(name));
                if (file != null) {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    if (attributes.isRegularFile()) {
                        return new Found(file, attributes);
                    }
                }
            } catch (FileSystemException unusable) {
                // missing, a broken link or unreadable: no index; try the next name
            }
        }
        return new NotFound("no index file in " + directory);
    }

    /** @return the real path of {@code candidate} if it lies inside the docroot, else {@code null} */
    private Path inside(Path candidate) throws IOException {
        if (!candidate.normalize().startsWith(root)) {
            return null;
        }
        Path real = candidate.toRealPath();
        return real.startsWith(root) ? real : null;
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
}

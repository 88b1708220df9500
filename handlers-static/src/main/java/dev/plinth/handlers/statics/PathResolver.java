package dev.plinth.handlers.statics;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Maps a request path to a regular file under one directory, and never to anything outside it unless the mount
 * allows symbolic links to lead out. Asks the file system every time: {@link DocRoot} caches what it finds.
 *
 * <p>Defence in depth, although the server already refuses encoded slashes, backslashes and NULs (400):
 * <ol>
 * <li>every segment is checked on its own: {@code .}, {@code ..}, a backslash, a colon (drive forms such as
 *     {@code C:}, NTFS streams), a NUL or any other control character refuse the whole path, whatever the hidden
 *     policy;</li>
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
final class PathResolver {

    /** What to do with names starting with a dot. */
    enum Hidden {
        /** 404 for any path with a segment starting with {@code .}, except a leading {@code /.well-known/}. */
        DENY,
        /** Serve them like any other file. */
        ALLOW;

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

    /**
     * An entry of a directory listing.
     *
     * @param name the file name
     * @param directory whether it is a directory
     */
    record Entry(String name, boolean directory) {}

    private final Path root;
    private final List<String> indexNames;
    private final Hidden hidden;
    private final boolean followSymlinks;

    /**
     * @param directory the docroot; must exist and be a directory
     * @param indexNames the file names tried, in order, for a path naming a directory; each a single plain segment
     * @param hidden the hidden-files policy
     * @param followSymlinks whether symbolic links may lead out of the docroot
     * @throws IOException if the docroot cannot be resolved
     * @throws IllegalArgumentException if the docroot is not a directory or an index name is not a plain file name
     */
    PathResolver(Path directory, List<String> indexNames, Hidden hidden, boolean followSymlinks) throws IOException {
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
     * @return what it maps to
     * @throws IOException if the file system fails other than by a missing, unreadable or ill-formed path
     */
    Lookup resolve(String path) throws IOException {
        Path candidate = root;
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (refuses(segment)) {
                return new Lookup.NotFound("refused segment in " + path);
            }
            try {
                Path next = root.getFileSystem().getPath(segment);
                if (next.isAbsolute() || next.getRoot() != null || next.getNameCount() != 1) {
                    return new Lookup.NotFound("segment is not a plain name in " + path);
                }
                candidate = candidate.resolve(next);
            } catch (InvalidPathException e) {
                return new Lookup.NotFound("invalid path " + path);
            }
            segments.add(segment);
        }
        if (hidden.refuses(segments)) {
            return new Lookup.NotFound("hidden segment in " + path);
        }
        boolean slashed = path.endsWith("/");
        try {
            Path file = allowed(candidate);
            if (file == null) {
                return new Lookup.NotFound("outside the docroot or hidden: " + path);
            }
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                return slashed ? index(file) : new Lookup.MissingSlash();
            }
            if (!attributes.isRegularFile() || slashed) {
                return new Lookup.NotFound("not a regular file: " + path);
            }
            return Lookup.Found.of(file, attributes);
        } catch (FileSystemException missing) {
            // includes NoSuchFile, AccessDenied, "Not a directory", too many symbolic links
            return new Lookup.NotFound(missing.toString());
        }
    }

    /**
     * A file beside {@code file} whose name adds a suffix, such as a precompressed {@code app.js.br}, under the same
     * rules as any other file.
     *
     * @param file a found file's real path
     * @param suffix the suffix, such as {@code .br}
     * @return the sibling if it is a regular file that may be served, else {@link Lookup.NotFound}
     * @throws IOException if the file system fails other than by a missing or unreadable file
     */
    Lookup sibling(Path file, String suffix) throws IOException {
        Lookup.Found sibling = regularFile(file.resolveSibling(file.getFileName() + suffix));
        return sibling != null ? sibling : new Lookup.NotFound("no sibling " + suffix);
    }

    /**
     * @param file a found file's real path
     * @return a channel open for reading, not following a link that appeared since the file was found (unless links
     *         may lead out)
     * @throws FileSystemException if it is missing, unreadable or now a link that may not be followed
     * @throws IOException if it cannot be opened otherwise
     */
    FileChannel open(Path file) throws IOException {
        if (followSymlinks) {
            return FileChannel.open(file, StandardOpenOption.READ);
        }
        try {
            return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException missing) {
            throw missing;
        } catch (IOException refused) {
            // the JDK reports a link met with NOFOLLOW_LINKS (ELOOP) as a plain IOException
            if (Files.isSymbolicLink(file)) {
                throw new FileSystemException(file.toString(), null, "a symbolic link appeared since the lookup");
            }
            throw refused;
        }
    }

    /**
     * The entries of a directory that this mount would serve: hidden ones and links leading out are left out.
     *
     * @param directory a directory's real path, from {@link Lookup.NoIndex}
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

    private Lookup index(Path directory) throws IOException {
        for (String name : indexNames) {
            Lookup.Found found = regularFile(directory.resolve(name));
            if (found != null) {
                return found;
            }
        }
        return new Lookup.NoIndex(directory);
    }

    /** @return the file if it is a regular file that may be served; else null */
    private Lookup.Found regularFile(Path candidate) throws IOException {
        try {
            Path file = allowed(candidate);
            if (file != null) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                if (attributes.isRegularFile()) {
                    return Lookup.Found.of(file, attributes);
                }
            }
        } catch (FileSystemException unusable) {
            // missing, a broken link or unreadable
        }
        return null;
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

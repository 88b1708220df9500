package dev.plinth.handlers.statics;

import dev.plinth.config.ConfigCheck;
import dev.plinth.config.RefusedConfiguration;
import dev.plinth.handlers.statics.ContentCodings.Coding;
import dev.plinth.handlers.statics.DocRoot.Reach;
import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.HttpDates;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;

/**
 * Serves the files of a docroot under a path prefix.
 *
 * <p>{@link #builder(Path)} makes one. Without OSGi, mount it at a prefix with {@code dev.plinth.http.core.Router}. In
 * the OSGi distribution, one instance exists per factory configuration of PID {@code dev.plinth.handlers.static}
 * (such as {@code dev.plinth.handlers.static~site}), made by the same builder; without one, nothing is served. Its
 * attributes are the builder's settings, plus the prefix and host. As with any Declarative Services component, the configuration's properties are also the service's
 * properties, which is why the prefix attribute is named {@code plinth.handler.prefix}: the same value both places
 * the handler and tells it what to strip from the request path. Other service properties, such as
 * {@code service.ranking}, can be set in the same configuration.
 *
 * <p>Responses:
 * <ul>
 * <li>a regular file: 200 with {@code Content-Type} from the real file's name (see {@link MediaTypes}),
 *     {@code X-Content-Type-Options: nosniff}, {@code Accept-Ranges: bytes}, {@code Last-Modified}, a strong
 *     {@code ETag} made of the file's identity (its {@code fileKey}, such as device and inode, where the file system
 *     has one), size and modification time, the configured {@code Cache-Control}, and the file as a zero-copy body;
 *     for {@code HEAD} the same, and the server drops the body;</li>
 * <li>preconditions ({@code If-Match}, {@code If-Unmodified-Since}, {@code If-None-Match}, {@code If-Modified-Since})
 *     in the order of RFC 9110 §13.2.2 (see {@link Preconditions}): 304 with the validators, {@code Cache-Control}
 *     and {@code Vary}, or 412;</li>
 * <li>{@code Range} on a {@code GET} (the only method with range semantics, RFC 9110 §14.2), subject to
 *     {@code If-Range} (see {@link ByteRanges}): 206 with {@code Content-Range} for one range, a
 *     {@code multipart/byteranges} body for several (see {@link MultipartRanges}), 416 with
 *     {@code Content-Range: bytes *&#47;length} when none is satisfiable;</li>
 * <li>a file with a precompressed sibling ({@code name.br}, {@code name.gz}): the sibling when
 *     {@code Accept-Encoding} allows it (see {@link ContentCodings}), with {@code Content-Encoding}, the original's
 *     type and its own ETag marked {@code -br} or {@code -gz}; ranges then count bytes of the compressed file.
 *     {@code Vary: Accept-Encoding} goes on every response for a file with siblings or of a compressible type;</li>
 * <li>a directory without a trailing slash: 301 to the slashed path, query kept;</li>
 * <li>a directory with one: its first existing index file; else a listing if the mount has them on (see
 *     {@link Listing}); else 404;</li>
 * <li>anything missing, refused, hidden or outside the docroot (see {@link PathResolver}): 404;</li>
 * <li>{@code OPTIONS}: 204 with {@code Allow: GET, HEAD, OPTIONS} (after the preconditions, if the path names a
 *     file); any other method: 405 with the same {@code Allow}.</li>
 * </ul>
 *
 * <p>Threads: the handler is registered {@linkplain Handler#NONBLOCKING non-blocking}. A request that memory can
 * answer now (the path's cached lookups are fresh and, if a body is sent, the file's bytes are held in memory, see
 * {@link HeldFiles}) is answered on the calling thread without any file-system call; any other is answered the same
 * way from a worker ({@link Request#workers()}), where the disk may be read.
 */
public final class StaticHandler implements Handler {

    /** The default {@link Builder#metadataCacheMillis}: 1 s. */
    public static final long DEFAULT_METADATA_CACHE_MILLIS = 1000;
    /** The default {@link Builder#memoryMaxFileBytes}: 4 MiB. */
    public static final long DEFAULT_MEMORY_MAX_FILE_BYTES = 4L * 1024 * 1024;
    /** The default {@link Builder#memoryMaxBytes}: 64 MiB. */
    public static final long DEFAULT_MEMORY_MAX_BYTES = 64L * 1024 * 1024;

    /** The methods served. */
    static final String ALLOW = "GET, HEAD, OPTIONS";

    private static final System.Logger LOG = System.getLogger(StaticHandler.class.getName());

    private final DocRoot docRoot;
    private final boolean listing;
    private final String cacheControl;
    private final MediaTypes mediaTypes;

    /**
     * @param settings the settings
     * @throws IOException if the docroot cannot be resolved
     */
    private StaticHandler(Builder settings) throws IOException {
        Path docroot = settings.docroot;
        if (docroot == null) {
            throw refused("docroot", null, "a folder is required");
        }
        if (!Files.isDirectory(docroot)) {
            throw refused("docroot", docroot.toString(), Files.exists(docroot) ? "not a folder" : "does not exist");
        }
        String cache = settings.cacheControl == null ? "" : settings.cacheControl.strip();
        if (!cache.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw refused("cacheControl", cache, "must be visible ASCII");
        }
        String unknown = RefusedConfiguration.UNKNOWN_PID;
        ConfigCheck.within(unknown, "metadataCacheMillis", settings.metadataCacheMillis, 0, Long.MAX_VALUE);
        ConfigCheck.within(unknown, "memoryMaxFileBytes", settings.memoryMaxFileBytes, 0, Integer.MAX_VALUE - 1);
        ConfigCheck.within(unknown, "memoryMaxBytes", settings.memoryMaxBytes, 0, Long.MAX_VALUE);
        PathResolver paths;
        try {
            paths = new PathResolver(docroot, settings.index, settings.hidden, settings.followSymlinks);
        } catch (IllegalArgumentException e) {
            throw refused("index", String.join(",", settings.index), e.getMessage());
        }
        this.docRoot = new DocRoot(
                paths,
                settings.metadataCacheMillis,
                new HeldFiles.Limits(settings.memoryMaxFileBytes, settings.memoryMaxBytes),
                settings.clock);
        this.listing = settings.listing;
        this.cacheControl = cache.isEmpty() ? null : cache;
        String[] mimeTypes = settings.mimeTypes.toArray(String[]::new);
        try {
            this.mediaTypes = MediaTypes.STANDARD.with(mimeTypes);
        } catch (IllegalArgumentException e) {
            throw refused("mimeTypes", String.join(",", mimeTypes), e.getMessage());
        }
        LOG.log(Level.DEBUG, () -> "serving " + docRoot);
    }

    /**
     * Starts a handler of the files under a folder, with the defaults a configuration has: index file
     * {@code index.html}, no listings, hidden files denied, symbolic links kept inside the folder, no
     * {@code Cache-Control}, the built-in media types, metadata reused for a second, small files held in memory.
     * Mount the handler at any prefix ({@code dev.plinth.http.core.Router}): the path below the prefix names a file
     * under the folder.
     *
     * @param docroot the folder served
     * @return a builder
     */
    public static Builder builder(Path docroot) {
        return new Builder(docroot);
    }

    /**
     * The settings of one static handler, the same as a configuration's but for the prefix and host, which belong
     * to its mount. Each setting is checked by {@link #build}: a refused one is a {@link RefusedConfiguration} (an
     * {@link IllegalArgumentException}) naming the setting as the configuration does.
     */
    public static final class Builder {

        private final Path docroot;
        private List<String> index = List.of("index.html");
        private boolean listing;
        private PathResolver.Hidden hidden = PathResolver.Hidden.DENY;
        private boolean followSymlinks;
        private String cacheControl = "";
        private List<String> mimeTypes = List.of();
        private long metadataCacheMillis = DEFAULT_METADATA_CACHE_MILLIS;
        private long memoryMaxFileBytes = DEFAULT_MEMORY_MAX_FILE_BYTES;
        private long memoryMaxBytes = DEFAULT_MEMORY_MAX_BYTES;
        private LongSupplier clock = System::nanoTime;

        private Builder(Path docroot) {
            this.docroot = docroot;
        }

        /**
         * @param names the file names tried, in order, for a path naming a folder (default {@code index.html});
         *        none: a folder is listed or 404
         * @return this builder
         */
        public Builder index(String... names) {
            index = List.of(names);
            return this;
        }

        /**
         * @param on list a folder that has no index file as an HTML page (default off: 404)
         * @return this builder
         */
        public Builder listing(boolean on) {
            listing = on;
            return this;
        }

        /**
         * @param serve serve files and folders whose names start with a dot (default off: 404 for them, except the
         *        docroot's top-level {@code .well-known} folder)
         * @return this builder
         */
        public Builder serveHidden(boolean serve) {
            hidden = serve ? PathResolver.Hidden.ALLOW : PathResolver.Hidden.DENY;
            return this;
        }

        /**
         * @param anywhere let symbolic links lead out of the docroot (default off: only links to places inside)
         * @return this builder
         */
        public Builder followSymlinks(boolean anywhere) {
            followSymlinks = anywhere;
            return this;
        }

        /**
         * @param value the {@code Cache-Control} sent with every file response (200, 206, 304), such as
         *        {@code public, max-age=3600}; empty for none (the default)
         * @return this builder
         */
        public Builder cacheControl(String value) {
            cacheControl = value;
            return this;
        }

        /**
         * @param mappings {@code ext=type/subtype} mappings added to (or replacing) the built-in table, several to a
         *        value if separated by commas
         * @return this builder
         */
        public Builder mimeTypes(String... mappings) {
            mimeTypes = List.of(mappings);
            return this;
        }

        /**
         * @param millis how long the resolution of a path and its file's attributes are reused (default 1 s); 0
         *        asks the file system on every request and keeps no file in memory
         * @return this builder
         */
        public Builder metadataCacheMillis(long millis) {
            metadataCacheMillis = millis;
            return this;
        }

        /**
         * @param bytes the largest file kept in memory once sent (default 4 MiB); 0 for none
         * @return this builder
         */
        public Builder memoryMaxFileBytes(long bytes) {
            memoryMaxFileBytes = bytes;
            return this;
        }

        /**
         * @param bytes the most bytes of files kept in memory (direct memory) by this handler (default 64 MiB)
         * @return this builder
         */
        public Builder memoryMaxBytes(long bytes) {
            memoryMaxBytes = bytes;
            return this;
        }

        /**
         * @return the handler; it never blocks the calling thread, so it may be mounted non-blocking
         * @throws IOException if the docroot cannot be resolved
         * @throws RefusedConfiguration if a setting is invalid, such as a docroot that is not a folder
         */
        public StaticHandler build() throws IOException {
            return new StaticHandler(this);
        }

        /**
         * @param nanos {@link System#nanoTime()}, or a test's clock for the metadata cache
         * @return this builder
         */
        Builder clock(LongSupplier nanos) {
            clock = nanos;
            return this;
        }
    }

    private static RefusedConfiguration refused(String key, Object value, String reason) {
        return new RefusedConfiguration(RefusedConfiguration.UNKNOWN_PID, key, value, reason);
    }

    /**
     * Answers from memory on the calling thread if it can, else from a worker.
     *
     * @param request the request
     * @return the answer, complete if memory held everything it needs
     * @throws IOException if the file system failed (in an answer from memory, it is never asked)
     */
    @Override
    public CompletionStage<Response> handle(Request request) throws IOException {
        Response fromMemory = attempt(request, Reach.MEMORY);
        if (fromMemory != null) {
            return CompletableFuture.completedStage(fromMemory);
        }
        CompletableFuture<Response> answer = new CompletableFuture<>();
        request.workers().execute(() -> {
            try {
                answer.complete(fromDisk(request));
            } catch (Throwable failure) { // an Error too: else the answer would wait for the handler timeout
                answer.completeExceptionally(failure);
            }
        });
        return answer;
    }

    /** @return the files this mount holds in memory, for tests */
    HeldFiles memory() {
        return docRoot.memory();
    }

    /**
     * Answers with the file system's help, on a worker.
     *
     * @throws IOException if the file system failed, or the file changed again while it was looked at afresh
     */
    private Response fromDisk(Request request) throws IOException {
        Response response = attempt(request, Reach.DISK);
        if (response == null) {
            response = attempt(request, Reach.DISK); // the cache was forgotten: this look is fresh
        }
        if (response == null) {
            throw new IOException("file changed while being served");
        }
        return response;
    }

    /**
     * One attempt at an answer, going no further than {@code reach}.
     *
     * @return the response; null if this attempt cannot give one and the next must look at the disk afresh: with
     *         {@link Reach#MEMORY}, because memory does not hold all the answer needs; with {@link Reach#DISK},
     *         because the file's size changed since its lookup was cached (the cache is then forgotten)
     */
    private Response attempt(Request request, Reach reach) throws IOException {
        String method = request.method();
        boolean options = method.equals("OPTIONS");
        if (!options && !method.equals("GET") && !method.equals("HEAD")) {
            return text(405, "Method Not Allowed\n").header("Allow", ALLOW);
        }
        String path = request.path();
        String rest = request.pathBelowPrefix(); // the glue routed it here by its prefix
        Lookup lookup = docRoot.find(rest, reach);
        if (lookup == null) {
            return null;
        }
        if (lookup instanceof Lookup.Found found) {
            return serve(request, found, reach);
        }
        if (options) {
            return allowed();
        }
        if (lookup instanceof Lookup.MissingSlash) {
            return text(301, "Moved Permanently\n").header("Location", slashed(request));
        }
        if (lookup instanceof Lookup.NoIndex directory && listing) {
            if (reach == Reach.MEMORY) {
                return null; // a listing reads the directory every time
            }
            String page = Listing.page(path, rest.length() > 1, docRoot.list(directory.directory()));
            return Response.of(200)
                    .header("Content-Type", "text/html; charset=utf-8")
                    .header("X-Content-Type-Options", "nosniff")
                    .body(Body.of(page));
        }
        return notFound(path, lookup instanceof Lookup.NotFound missing ? missing.reason() : "no index file");
    }

    /** Everything about the representation chosen for a request. */
    private record Selected(
            Lookup.Found file, Coding coding, String type, boolean vary, Preconditions.Validators validators) {}

    /** Builds the response for a file: representation, preconditions, ranges; null as for {@link #attempt}. */
    private Response serve(Request request, Lookup.Found original, Reach reach) throws IOException {
        Selected selected = select(request, original, reach);
        if (selected == null) {
            return null;
        }
        switch (Preconditions.evaluate(request.method(), request.headers(), selected.validators())) {
            case FAILED:
                return vary(text(412, "Precondition Failed\n"), selected);
            case NOT_MODIFIED:
                return validators(Response.of(304), selected);
            default:
                break;
        }
        if (request.method().equals("OPTIONS")) {
            return allowed();
        }
        long length = selected.file().attributes().size();
        ByteRanges.Outcome ranges = new ByteRanges.Ignored();
        List<String> range = request.headers().all("Range");
        if (request.method().equals("GET")
                && !range.isEmpty()
                && Preconditions.rangeApplies(request.headers().all("If-Range"), selected.validators())) {
            ranges = ByteRanges.parse(range, length);
        }
        if (ranges instanceof ByteRanges.Unsatisfiable) {
            return vary(text(416, "Range Not Satisfiable\n"), selected)
                    .header("Accept-Ranges", "bytes")
                    .header("Content-Range", "bytes */" + length);
        }
        Response response = validators(Response.of(200), selected)
                .header("Accept-Ranges", "bytes")
                .header("X-Content-Type-Options", "nosniff");
        if (selected.coding() != null) {
            response.header("Content-Encoding", selected.coding().token());
        }
        Path file = selected.file().file();
        if (ranges instanceof ByteRanges.Satisfiable satisfiable
                && satisfiable.slices().size() > 1) {
            if (reach == Reach.MEMORY) {
                return null; // the parts are read from the file as the connection takes them
            }
            MultipartRanges parts =
                    new MultipartRanges(() -> docRoot.open(file), satisfiable.slices(), length, selected.type());
            return response.status(206)
                    .header("Content-Type", "multipart/byteranges; boundary=" + parts.boundary())
                    .body(Body.ofParts(parts, parts.length()));
        }
        ByteRanges.Slice slice = ranges instanceof ByteRanges.Satisfiable satisfiable
                ? satisfiable.slices().get(0)
                : null;
        response.header("Content-Type", selected.type());
        ByteBuffer content = docRoot.content(selected.file(), reach);
        if (content != null) {
            // head and body leave in one gathered write, with no open, fstat, sendfile or close
            if (slice == null) {
                return response.body(Body.of(content));
            }
            int first = (int) slice.first();
            return partial(response, slice, length)
                    .body(Body.of(content.duplicate()
                            .limit(first + (int) slice.length())
                            .position(first)));
        }
        if (reach == Reach.MEMORY) {
            return null;
        }
        FileChannel channel;
        try {
            channel = docRoot.open(file);
        } catch (FileSystemException gone) {
            docRoot.forget();
            return notFound(file.toString(), "cannot open: " + gone);
        }
        if (channel.size() != length) {
            // changed since its attributes were cached: look again rather than announce a wrong length
            channel.close();
            docRoot.forget();
            return null;
        }
        if (slice == null) {
            return response.body(Body.ofFile(channel, 0, length));
        }
        return partial(response, slice, length).body(Body.ofFile(channel, slice.first(), slice.length()));
    }

    private static Response partial(Response response, ByteRanges.Slice slice, long length) {
        return response.status(206).header("Content-Range", slice.contentRange(length));
    }

    /**
     * Chooses between the file and its precompressed siblings, and computes the validators of the choice.
     *
     * @return the choice; null if only memory may be used and it does not know every sibling
     */
    private Selected select(Request request, Lookup.Found original, Reach reach) throws IOException {
        String type = mediaTypes.of(original.file().getFileName().toString());
        Map<Coding, Lookup.Found> siblings = new EnumMap<>(Coding.class);
        for (Coding coding : Coding.values()) {
            Lookup sibling = docRoot.sibling(original.file(), coding.suffix(), reach);
            if (sibling == null) {
                return null;
            }
            if (sibling instanceof Lookup.Found found) {
                siblings.put(coding, found);
            }
        }
        Coding coding = siblings.isEmpty()
                ? null
                : ContentCodings.parse(request.headers().all("Accept-Encoding"))
                        .choose(new ArrayList<>(siblings.keySet()));
        Lookup.Found file = coding == null ? original : siblings.get(coding);
        BasicFileAttributes attributes = file.attributes();
        Instant modified = attributes.lastModifiedTime().toInstant();
        // a modification time at least a second old cannot change again within the second Last-Modified names
        boolean strongDate = Duration.between(modified, Instant.now()).compareTo(Duration.ofSeconds(1)) >= 0;
        Lookup.Derived derived = file.derived();
        String etag = derived.etag;
        if (etag == null) {
            etag = etag(attributes, coding == null ? "" : coding.tagSuffix());
            derived.etag = etag; // a sibling's Found is only ever served with its own coding, so the suffix is fixed
        }
        Preconditions.Validators validators =
                new Preconditions.Validators(etag, modified.truncatedTo(ChronoUnit.SECONDS), strongDate);
        return new Selected(file, coding, type, !siblings.isEmpty() || MediaTypes.compressible(type), validators);
    }

    /** Adds the fields a 200, 206 and 304 share (RFC 9110 §15.4.5). */
    private Response validators(Response response, Selected selected) {
        Lookup.Derived derived = selected.file().derived();
        String lastModified = derived.lastModified;
        if (lastModified == null) {
            lastModified = HttpDates.format(selected.validators().lastModified());
            derived.lastModified = lastModified;
        }
        response.header("ETag", selected.validators().etag()).header("Last-Modified", lastModified);
        if (cacheControl != null) {
            response.header("Cache-Control", cacheControl);
        }
        return vary(response, selected);
    }

    private static Response vary(Response response, Selected selected) {
        return selected.vary() ? response.header("Vary", "Accept-Encoding") : response;
    }

    /**
     * @param attributes a file's attributes
     * @param suffix added inside the quotes to tell representations apart, such as {@code -br}; or empty
     * @return a strong entity tag, {@code "<identity>-<size>-<mtime nanos>"} in hex, the identity being a checksum
     *         of the file system's file key (device and inode on Unix), left out where there is none
     */
    static String etag(BasicFileAttributes attributes, String suffix) {
        StringBuilder tag = new StringBuilder(48).append('"');
        Object key = attributes.fileKey();
        if (key != null) {
            CRC32 crc = new CRC32();
            crc.update(key.toString().getBytes(StandardCharsets.UTF_8));
            tag.append(Long.toHexString(crc.getValue())).append('-');
        }
        return tag.append(Long.toHexString(attributes.size()))
                .append('-')
                .append(Long.toHexString(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)))
                .append(suffix)
                .append('"')
                .toString();
    }

    /** @return the request's raw path with a slash appended and its query kept, never starting with {@code //} */
    private static String slashed(Request request) {
        String raw = "/" + request.rawPath().replaceFirst("^/+", "") + "/";
        return request.query().map(query -> raw + "?" + query).orElse(raw);
    }

    private static Response allowed() {
        return Response.of(204).header("Allow", ALLOW);
    }

    private static Response notFound(String path, String reason) {
        LOG.log(Level.DEBUG, () -> "404 for " + path + ": " + reason);
        return text(404, "Not Found\n");
    }

    private static Response text(int status, String text) {
        return Response.text(status, text).header("X-Content-Type-Options", "nosniff");
    }
}

package dev.plinth.handlers.upload;

import dev.plinth.config.ConfigCheck;
import dev.plinth.config.RefusedConfiguration;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import dev.plinth.multipart.Boundary;
import dev.plinth.multipart.MultipartException;
import dev.plinth.multipart.MultipartLimits;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Stores uploads into a directory, streaming each body to disk as it arrives, whatever its size, with memory that
 * does not grow with it.
 *
 * <p>One instance exists per factory configuration of PID {@value #PID} (such as
 * {@code dev.plinth.handlers.upload~inbox}); its attributes are described by {@link Config}. Requests, for a handler
 * under the prefix {@code /up}:
 * <ul>
 * <li>{@code PUT /up/name} (or {@code /up/folder/name}, for a folder that exists): the body, with Content-Length or
 *     chunked, is stored as that file. 201 with {@code Location} and a JSON receipt when it is new; 204 when it
 *     replaced a file (only if {@code overwrite} is on; else 409, answered before the body is read). With
 *     {@code If-None-Match: *} (RFC 9110 §13.1.2) an existing file is never replaced: 412. A {@code Content-Range}
 *     (a partial PUT) is 400 (RFC 9110 §14.5). Names are checked by {@link Names} (400) and
 *     {@link UploadDirectory} (403, 409).</li>
 * <li>{@code POST /up/} (or {@code /up}) with a raw body: stored under a generated name (32 random hexadecimal
 *     digits, with an extension for a few common media types), 201 with {@code Location} and the receipt.</li>
 * <li>{@code POST /up/} with {@code multipart/form-data} (when {@code multipart} is on): each part with a file name is
 *     stored as its own file ({@link FormSink}); 201 with the {@code Location} of the first and a receipt listing
 *     every file's name, field, size and location, and the form's small fields. {@code multipart/*} otherwise and
 *     {@code application/x-www-form-urlencoded} are 415; a malformed form is the parser's status (400, 413).</li>
 * <li>{@code OPTIONS}: 204 with {@code Allow}; other methods: 405 with {@code Allow} ({@code PUT, OPTIONS} for a name,
 *     {@code POST, OPTIONS} for the collection).</li>
 * </ul>
 * The receipt is {@code {"files":[{"name":"a.txt","field":"f","size":3,"location":"/files/a.txt"}],
 * "fields":{"note":"hi"}}}.
 *
 * <p>Sizes: a request whose Content-Length exceeds {@code maxBytes} is answered 413 at once, before any body byte is
 * asked for (so a client that sent {@code Expect: 100-continue} gets no {@code 100 Continue}); a chunked body, or a
 * form, is refused 413 on the part that passes the limit, and nothing of it is written past the limit. The server
 * then skips or closes as it does for any unread body.
 *
 * <p>Files: every file is written to a hidden temporary name ({@code .upload-<random>.part}) in the folder it will
 * end up in, forced to disk if {@code fsync} is on, and published under its final name atomically (see
 * {@link UploadDirectory#publish}) only once the whole body arrived and checked out. An upload that does not finish
 * (the client closes or stalls until the server's body timeout, a bad form, a limit passed, the handler stopped)
 * deletes every temporary file it made before it is answered. Temporary files older than {@code staleTempMinutes}
 * left by a crash are deleted when the handler starts.
 *
 * <p>Threads: the handler is {@linkplain Handler#NONBLOCKING non-blocking}: {@code handle} only checks the request
 * head. The body's parts arrive on the server's workers; every file-system call runs on this handler's own small
 * pool of I/O threads ({@code ioThreads}), one task at a time per upload ({@link Lane}), and the next part is asked
 * for only when the previous one is written: back-pressure from the disk to the client, and at most one part (the
 * server's read buffer, 64 KiB by default) held per upload ({@link InFlight}).
 *
 * <p>Time: the server's body timeout bounds a client that stops sending; its handler timeout
 * ({@code handlerTimeoutMillis}, 30 s by default) counts from the body's last movement, so it bounds a disk that
 * stops taking a part, or the final store, never the length of an upload that keeps moving.
 */
public final class UploadHandler implements Handler {

    /** The factory configuration PID: each {@code dev.plinth.handlers.upload~name} configuration is one handler. */
    public static final String PID = "dev.plinth.handlers.upload";

    /** The default {@code maxBytes}: 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    /** The configuration of one upload handler. */
    @ObjectClassDefinition(
            id = PID,
            name = "Plinth uploads",
            description =
                    "Stores uploaded files (PUT, POST, multipart/form-data forms) into a directory, streaming them "
                            + "to disk. One configuration per directory.")
    public @interface Config {
        /** @return the path prefix served, also the service property {@code plinth.handler.prefix} */
        @AttributeDefinition(
                name = "Path prefix",
                description = "Paths served, such as /upload. PUT prefix/name stores a file under that name; POST "
                        + "prefix/ stores a raw body under a generated name, or the files of a form.")
        String plinth_handler_prefix() default "/upload";

        /** @return the host served, also the service property {@code plinth.handler.host}; absent for any host */
        @AttributeDefinition(
                name = "Host",
                required = false,
                description = "Serve only requests for this host name (no port). Leave out to serve any host.")
        String plinth_handler_host();

        /** @return the directory files are stored in */
        @AttributeDefinition(
                name = "Directory",
                description = "Where files are stored; absolute, or relative to the server's working directory. "
                        + "Created (with its parents) if missing.")
        String directory();

        /** @return the largest request body accepted */
        @AttributeDefinition(
                name = "Largest upload (bytes)",
                description = "The most bytes of one request body (a form counts whole). A larger Content-Length is "
                        + "refused (413) before any byte is read; a chunked body when it passes the limit.")
        long maxBytes() default DEFAULT_MAX_BYTES;

        /** @return whether multipart/form-data forms are accepted */
        @AttributeDefinition(
                name = "Accept forms",
                description = "Accept multipart/form-data POSTs (browser forms), storing each file part. Off: 415.")
        boolean multipart() default true;

        /** @return the most parts in a form */
        @AttributeDefinition(name = "Most form parts", description = "The most parts in one form; more is 413.")
        int maxParts() default MultipartLimits.DEFAULT_MAX_PARTS;

        /** @return the largest header block of a form part */
        @AttributeDefinition(
                name = "Largest part header (bytes)",
                description = "The largest header block of one form part; larger is 413.")
        int maxPartHeaderBytes() default MultipartLimits.DEFAULT_MAX_HEADER_BYTES;

        /** @return the most bytes of a form's non-file fields kept */
        @AttributeDefinition(
                name = "Form fields (bytes)",
                description = "The most bytes of a form's other fields (names and values, all together), which are "
                        + "kept in memory and listed in the answer; more is 413.")
        int maxFieldBytes() default 8192;

        /** @return whether a PUT may replace an existing file */
        @AttributeDefinition(
                name = "Overwrite",
                description = "Let a PUT replace an existing file (204). Off: 409. A form never replaces a file.")
        boolean overwrite() default false;

        /** @return the public prefix stored files are served under */
        @AttributeDefinition(
                name = "Location prefix",
                required = false,
                description = "The URL prefix where stored files are served (by a static mount of the same "
                        + "directory, which must keep hidden files denied), for Location: such as /files or "
                        + "https://cdn.example/files. Empty: this handler's own prefix.")
        String locationPrefix() default "";

        /** @return whether files are forced to disk before the answer */
        @AttributeDefinition(
                name = "Force to disk",
                description = "Force each file (and its folder entry) to the disk before publishing it and answering, "
                        + "so that a 201 survives a power cut. Off: faster, the operating system writes later.")
        boolean fsync() default true;

        /** @return the age of a temporary file from a previous run that is deleted at start */
        @AttributeDefinition(
                name = "Stale temporary files (minutes)",
                description = "At start, temporary files (.upload-*.part) older than this, left by a crash, are "
                        + "deleted.")
        long staleTempMinutes() default 60;

        /** @return the number of I/O threads */
        @AttributeDefinition(
                name = "I/O threads",
                description = "Threads writing uploads to disk, shared by this handler's uploads; idle ones end.")
        int ioThreads() default 2;
    }

    private static final System.Logger LOG = System.getLogger(UploadHandler.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final String prefix;
    private final UploadDirectory directory;
    private final long maxBytes;
    private final boolean multipart;
    private final MultipartLimits limits;
    private final int maxFieldBytes;
    private final boolean overwrite;
    private final String locationPrefix;
    private final ThreadPoolExecutor threads;
    private final UploadEvents events;
    private final InFlight inFlight = new InFlight();
    private final Set<Upload> live = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Integer> swept;

    /** Stopping: new uploads are refused (503). */
    private boolean retired;

    /**
     * A handler of one configuration ({@link UploadMount} makes one for each factory configuration).
     *
     * @param config the configuration
     * @throws RefusedConfiguration if a setting is invalid, such as a directory that cannot be created (its PID is
     *         {@link RefusedConfiguration#UNKNOWN_PID}: the caller knows it)
     */
    public UploadHandler(Config config) {
        this(config, UploadEvents.NONE);
    }

    /**
     * @param config the configuration
     * @param events told of each upload's outcome
     */
    UploadHandler(Config config, UploadEvents events) {
        String unknown = RefusedConfiguration.UNKNOWN_PID;
        prefix = config.plinth_handler_prefix();
        if (prefix == null || !prefix.startsWith("/")) {
            throw refused(Handler.PREFIX, prefix, "must start with /");
        }
        ConfigCheck.within(unknown, "maxBytes", config.maxBytes(), 1, Long.MAX_VALUE);
        ConfigCheck.within(unknown, "maxParts", config.maxParts(), 1, Integer.MAX_VALUE);
        ConfigCheck.within(unknown, "maxPartHeaderBytes", config.maxPartHeaderBytes(), 64, 1 << 20);
        ConfigCheck.within(unknown, "maxFieldBytes", config.maxFieldBytes(), 0, 1 << 20);
        ConfigCheck.within(unknown, "staleTempMinutes", config.staleTempMinutes(), 1, Long.MAX_VALUE);
        ConfigCheck.within(unknown, "ioThreads", config.ioThreads(), 1, 64);
        String location =
                config.locationPrefix() == null ? "" : config.locationPrefix().strip();
        if (!location.isEmpty()
                && !(location.startsWith("/") || location.startsWith("http://") || location.startsWith("https://"))) {
            throw refused("locationPrefix", location, "must start with /, http:// or https://");
        }
        if (!location.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw refused("locationPrefix", location, "must be visible ASCII");
        }
        String configured = config.directory();
        if (configured == null || configured.isBlank()) {
            throw refused("directory", configured, "a folder is required");
        }
        Path root;
        try {
            root = UploadDirectory.prepare(Path.of(configured));
        } catch (IOException | InvalidPathException e) {
            throw refused("directory", configured, "cannot be used: " + e);
        }
        this.directory = new UploadDirectory(root, config.fsync());
        this.maxBytes = config.maxBytes();
        this.multipart = config.multipart();
        this.limits = new MultipartLimits(
                config.maxPartHeaderBytes(), MultipartLimits.DEFAULT_MAX_HEADER_FIELDS, config.maxParts());
        this.maxFieldBytes = config.maxFieldBytes();
        this.overwrite = config.overwrite();
        this.locationPrefix = location.isEmpty() ? prefix : location;
        this.events = events;
        this.threads = new ThreadPoolExecutor(
                config.ioThreads(), config.ioThreads(), 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "plinth-upload-io-" + THREADS.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        threads.allowCoreThreadTimeOut(true);
        Duration stale = Duration.ofMinutes(config.staleTempMinutes());
        this.swept = CompletableFuture.supplyAsync(() -> directory.sweep(stale), threads);
        LOG.log(Level.DEBUG, () -> "storing uploads under " + prefix + " into " + root);
    }

    private static RefusedConfiguration refused(String key, Object value, String reason) {
        return new RefusedConfiguration(RefusedConfiguration.UNKNOWN_PID, key, value, reason);
    }

    /**
     * Checks the request head and starts the upload; never blocks.
     *
     * @param request the request
     * @return the answer: at once for a refused head, else when the upload settles
     */
    @Override
    public CompletionStage<Response> handle(Request request) {
        String below = request.pathBelowPrefix();
        boolean collection = below.isEmpty() || below.equals("/");
        String allow = collection ? "POST, OPTIONS" : "PUT, OPTIONS";
        String method = request.method();
        if (method.equals("OPTIONS")) {
            return answer(Response.of(204).header("Allow", allow));
        }
        if (!method.equals(collection ? "POST" : "PUT")) {
            return answer(Response.text(405, "Method Not Allowed\n").header("Allow", allow));
        }
        String contentType = request.headers().first("Content-Type").orElse(null);
        Sink sink;
        try {
            if (collection) {
                sink = postSink(contentType);
            } else {
                sink = putSink(request, below, contentType);
            }
        } catch (Refusal refusal) {
            return answer(Response.text(refusal.status(), refusal.getMessage() + "\n"));
        }
        if (request.contentLength() > maxBytes) {
            // before any body byte is asked for: no 100 Continue, and the server skips or closes
            return answer(Response.text(413, "The request body is larger than " + maxBytes + " bytes.\n"));
        }
        Upload upload = new Upload(this, sink, new Lane(threads), maxBytes);
        synchronized (this) {
            if (retired) {
                return answer(Response.text(503, "The upload service is stopping.\n"));
            }
            live.add(upload);
        }
        request.body().subscribe(upload);
        return upload.answer();
    }

    private Sink postSink(String contentType) throws Refusal {
        String type = contentType == null ? "" : mediaType(contentType);
        if (type.equals("multipart/form-data") && multipart) {
            try {
                return new FormSink(
                        directory, Boundary.fromContentType(contentType), limits, maxFieldBytes, locationPrefix);
            } catch (MultipartException e) {
                throw new Refusal(e.status(), "bad multipart/form-data Content-Type: " + e.getMessage());
            }
        }
        if (type.startsWith("multipart/") || type.equals("application/x-www-form-urlencoded")) {
            throw new Refusal(
                    415,
                    multipart
                            ? "only multipart/form-data forms and raw bodies are accepted"
                            : "only raw bodies are accepted");
        }
        return new FileSink(directory, null, false, 409, contentType, locationPrefix);
    }

    private Sink putSink(Request request, String below, String contentType) throws Refusal {
        if (request.headers().contains("Content-Range")) {
            throw new Refusal(400, "a partial PUT (Content-Range) is not supported"); // RFC 9110 §14.5
        }
        boolean createOnly = request.headers()
                .first("If-None-Match")
                .filter(value -> value.strip().equals("*"))
                .isPresent();
        return new FileSink(
                directory,
                Names.requested(below),
                overwrite && !createOnly,
                createOnly ? 412 : 409,
                contentType,
                locationPrefix);
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .strip()
                .toLowerCase(Locale.ROOT);
    }

    private static CompletionStage<Response> answer(Response response) {
        return CompletableFuture.completedStage(response);
    }

    /** @param upload an upload that stored or refused its body */
    void settled(Upload upload) {
        boolean last;
        synchronized (this) {
            live.remove(upload);
            last = retired && live.isEmpty();
        }
        if (last) {
            threads.shutdown();
        }
    }

    /**
     * Takes no new uploads and lets those in progress finish, then ends its threads: for a handler replaced by a new
     * configuration.
     */
    void retire() {
        boolean idle;
        synchronized (this) {
            retired = true;
            idle = live.isEmpty();
        }
        if (idle) {
            threads.shutdown();
        }
    }

    /**
     * Stops: uploads in progress are refused (503) and their temporary files deleted, after any write in progress;
     * waits a few seconds for that.
     */
    void close() {
        List<Upload> stopping;
        synchronized (this) {
            retired = true;
            stopping = List.copyOf(live);
        }
        stopping.forEach(Upload::stop);
        threads.shutdown();
        try {
            if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "uploads into " + directory + " did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the bytes held in flight, now and at most */
    InFlight inFlight() {
        return inFlight;
    }

    /** @return where uploads are told of */
    UploadEvents events() {
        return events;
    }

    /** @return the sweep of stale temporary files made at start: how many it deleted */
    CompletionStage<Integer> swept() {
        return swept;
    }

    /** @return the upload directory's real path */
    Path root() {
        return directory.root();
    }

    @Override
    public String toString() {
        return "uploads " + prefix + " -> " + directory;
    }
}

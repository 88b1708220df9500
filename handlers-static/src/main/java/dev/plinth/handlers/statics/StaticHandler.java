package dev.plinth.handlers.statics;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Serves the files of a docroot under a path prefix, with {@code GET} and {@code HEAD}.
 *
 * <p>One instance exists per factory configuration of PID {@value #PID} (such as
 * {@code dev.plinth.handlers.static~site}); without one, nothing is served. Its attributes are described by
 * {@link Config}. As with any Declarative Services component, the configuration's properties are also the service's
 * properties, which is why the prefix attribute is named {@code plinth.handler.prefix}: the same value both places
 * the handler and tells it what to strip from the request path. Other service properties, such as
 * {@code service.ranking}, can be set in the same configuration.
 *
 * <p>Responses:
 * <ul>
 * <li>a regular file: 200 with {@code Content-Type} from the real file's name (see {@link MediaTypes}),
 *     {@code X-Content-Type-Options: nosniff}, {@code Last-Modified}, a strong {@code ETag} made of the size and the
 *     modification time, and the file as a zero-copy body; for {@code HEAD} the same, the server drops the body;</li>
 * <li>a directory without a trailing slash: 301 to the slashed path, query kept;</li>
 * <li>a directory with one: its first existing index file, else 404 (no listings);</li>
 * <li>anything missing, refused or outside the docroot, symbolic links leading out included (see {@link DocRoot}):
 *     404;</li>
 * <li>any other method: 405 with {@code Allow: GET, HEAD}.</li>
 * </ul>
 */
@Component(configurationPid = StaticHandler.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = StaticHandler.Config.class, factory = true)
public final class StaticHandler implements Handler {

    /** The factory configuration PID: each {@code dev.plinth.handlers.static~name} configuration is one handler. */
    public static final String PID = "dev.plinth.handlers.static";

    /** The configuration of one static handler. */
    @ObjectClassDefinition(id = PID, name = "Plinth static files",
            description = "Serves the files of a directory under a path prefix. One configuration per directory.")
    public @interface Config {
        /** @return the path prefix served, also the service property {@code plinth.handler.prefix} */
        @AttributeDefinition(name = "Path prefix", description = "Paths served, such as / or /docs. The rest of "
                + "the request path, after the prefix, names a file under the docroot.")
        String plinth_handler_prefix() default "/";

        /** @return the host served, also the service property {@code plinth.handler.host}; absent for any host */
        @AttributeDefinition(name = "Host", required = false,
                description = "Serve only requests for this host name (no port). Leave out to serve any host.")
        String plinth_handler_host();

        /** @return the directory served */
        @AttributeDefinition(name = "Document root",
                description = "Directory whose files are served; absolute, or relative to the server's working "
                        + "directory. Must exist when the configuration is applied.")
        String docroot();

        /** @return the file names tried for a path naming a directory */
        @AttributeDefinition(name = "Index files", description = "File names tried, in order, for a directory.")
        String[] index() default {"index.html"};
    }

    static final String ALLOW = "GET, HEAD";

    private static final System.Logger LOG = System.getLogger(StaticHandler.class.getName());

    private final String prefix;
    private final DocRoot docRoot;

    /**
     * Called by Declarative Services for each factory configuration.
     *
     * @param config the configuration
     * @throws IOException if the docroot cannot be resolved
     * @throws IllegalArgumentException if the configuration is invalid; the component then does not activate and
     *         the reason is logged by the Declarative Services runtime
     */
    @Activate
    public StaticHandler(Config config) throws IOException {
        this(config.plinth_handler_prefix(), require(config.docroot()), List.of(config.index()));
    }

    /**
     * @param prefix the path prefix, starting with {@code /}
     * @param docroot the docroot
     * @param index the index file names
     * @throws IOException if the docroot cannot be resolved
     */
    StaticHandler(String prefix, Path docroot, List<String> index) throws IOException {
        if (prefix == null || !prefix.startsWith("/")) {
            throw new IllegalArgumentException("prefix must start with /: " + prefix);
        }
        this.prefix = prefix.replaceAll("/+$", "");
        this.docRoot = new DocRoot(docroot, index);
        LOG.log(Level.DEBUG, () -> "serving " + docRoot.root() + " under " + prefix);
    }

    private static Path require(String docroot) {
        if (docroot == null || docroot.isBlank()) {
            throw new IllegalArgumentException("docroot is required");
        }
        return Path.of(docroot);
    }

    @Override
    public CompletionStage<Response> handle(Request request) throws IOException {
        return CompletableFuture.completedStage(respond(request));
    }

    private Response respond(Request request) throws IOException {
        String method = request.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return text(405, "Method Not Allowed\n").header("Allow", ALLOW);
        }
        String path = request.path();
        if (!path.startsWith(prefix) || path.length() > prefix.length() && path.charAt(prefix.length()) != '/') {
            return notFound(path, "outside the prefix " + prefix);
        }
        DocRoot.Lookup lookup = docRoot.find(path.substring(prefix.length()));
        if (lookup instanceof DocRoot.Found found) {
            return serve(found);
        }
        if (lookup instanceof DocRoot.MissingSlash) {
            return text(301, "Moved Permanently\n").header("Location", slashed(request));
        }
        return notFound(path, ((DocRoot.NotFound) lookup).reason());
    }

    /** Builds the response for a file: the place where conditional requests and ranges will go. */
    private static Response serve(DocRoot.Found found) throws IOException {
        FileChannel channel = FileChannel.open(found.file(), StandardOpenOption.READ);
        try {
            long size = channel.size();
            long modified = found.attributes().lastModifiedTime().to(TimeUnit.NANOSECONDS);
            return Response.of(200)
                    .header("Content-Type", MediaTypes.of(found.file().getFileName().toString()))
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Last-Modified", HttpDates.format(found.attributes().lastModifiedTime()))
                    .header("ETag", etag(size, modified))
                    .body(Body.ofFile(channel, 0, size));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * @param size the file's size in bytes
     * @param modifiedNanos its modification time in nanoseconds since the epoch
     * @return a strong entity tag, {@code "<hex size>-<hex mtime nanos>"}
     */
    static String etag(long size, long modifiedNanos) {
        return '"' + Long.toHexString(size) + '-' + Long.toHexString(modifiedNanos) + '"';
    }

    /** @return the request's raw path with a slash appended and its query kept, never starting with {@code //} */
    private static String slashed(Request request) {
        String raw = "/" + request.rawPath().replaceFirst("^/+", "") + "/";
        return request.query().map(query -> raw + "?" + query).orElse(raw);
    }

    private static Response notFound(String path, String reason) {
        LOG.log(Level.DEBUG, () -> "404 for " + path + ": " + reason);
        return text(404, "Not Found\n");
    }

    private static Response text(int status, String text) {
        return Response.text(status, text).header("X-Content-Type-Options", "nosniff");
    }
}

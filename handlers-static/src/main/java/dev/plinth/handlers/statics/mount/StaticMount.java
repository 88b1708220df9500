package dev.plinth.handlers.statics.mount;

import dev.plinth.config.ConfigCheck;
import dev.plinth.config.RefusedConfiguration;
import dev.plinth.handlers.statics.StaticHandler;
import dev.plinth.http.handler.Handler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One static mount per factory configuration {@code dev.plinth.handlers.static~name}: checks the configuration, and
 * registers a {@link StaticHandler} with the configuration's properties as its service properties (as DS would).
 * A configuration refused — an unknown key, a wrong value, a docroot that is not a folder — is one log line naming
 * the PID, the key and the value; the mount then keeps its previous handler, or registers none at first. The handler
 * is made as an embedder makes one, by {@link StaticHandler#builder} ({@link #builder(Config)}).
 *
 * <p>The component and its log keep the names they had when this class was in the handler's package.
 */
@Component(
        name = StaticMount.NAME,
        configurationPid = StaticMount.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = StaticMount.Config.class, factory = true)
public final class StaticMount {

    /** The factory configuration PID: each {@code dev.plinth.handlers.static~name} configuration is one handler. */
    public static final String PID = "dev.plinth.handlers.static";

    /** The configuration of one static handler. */
    @ObjectClassDefinition(
            id = PID,
            name = "Plinth static files",
            description = "Serves the files of a directory under a path prefix. One configuration per directory.")
    public @interface Config {
        /** @return the path prefix served, also the service property {@code plinth.handler.prefix} */
        @AttributeDefinition(
                name = "Path prefix",
                description = "Paths served, such as / or /docs. The rest of the request path, after the prefix, names "
                        + "a file under the docroot.")
        String plinth_handler_prefix() default "/";

        /** @return the host served, also the service property {@code plinth.handler.host}; absent for any host */
        @AttributeDefinition(
                name = "Host",
                required = false,
                description = "Serve only requests for this host name (no port). Leave out to serve any host.")
        String plinth_handler_host();

        /** @return the directory served */
        @AttributeDefinition(
                name = "Document root",
                description = "Directory whose files are served; absolute, or relative to the server's working "
                        + "directory. Must exist when the configuration is applied.")
        String docroot();

        /** @return the file names tried for a path naming a directory */
        @AttributeDefinition(name = "Index files", description = "File names tried, in order, for a directory.")
        String[] index() default {"index.html"};

        /** @return whether a directory without an index file is listed */
        @AttributeDefinition(
                name = "Directory listing",
                description = "List a directory that has no index file as an HTML page (hidden names and links leading "
                        + "out left out). Off: 404.")
        boolean listing() default false;

        /** @return the hidden-files policy */
        @AttributeDefinition(
                name = "Hidden files",
                description = "deny: 404 for any path with a segment starting with a dot, except the docroot's "
                        + "top-level .well-known folder (RFC 8615); allow: serve them.",
                options = {
                    @org.osgi.service.metatype.annotations.Option(label = "deny", value = "deny"),
                    @org.osgi.service.metatype.annotations.Option(label = "allow", value = "allow")
                })
        String hidden() default "deny";

        /** @return whether symbolic links may lead out of the docroot */
        @AttributeDefinition(
                name = "Follow symbolic links out",
                description = "Off: a symbolic link is followed only if it leads to a place inside the docroot; others "
                        + "are 404. On: links may lead anywhere.")
        boolean followSymlinks() default false;

        /** @return the Cache-Control value for files; empty for none */
        @AttributeDefinition(
                name = "Cache-Control",
                required = false,
                description = "Sent with every file response (200, 206, 304), such as public, max-age=3600. Empty: "
                        + "none.")
        String cacheControl() default "";

        /** @return extra media type mappings */
        @AttributeDefinition(
                name = "Extra MIME types",
                required = false,
                description = "ext=type/subtype mappings added to (or replacing) the built-in table, such as "
                        + "md=text/markdown; several may be given in one value, separated by commas. Textual types "
                        + "without parameters get ; charset=utf-8.")
        String[] mimeTypes() default {};

        /** @return how long a path's resolution and file attributes are reused */
        @AttributeDefinition(
                name = "Metadata cache (ms)",
                description = "How long the resolution of a path (real path, links, attributes, precompressed "
                        + "siblings) is reused before the file system is asked again. 0 asks on every request (and "
                        + "keeps no file in memory). A change is seen within this time; a size change of a file "
                        + "sent from disk at once.")
        long metadataCacheMillis() default StaticHandler.DEFAULT_METADATA_CACHE_MILLIS;

        /** @return the largest file kept in memory */
        @AttributeDefinition(
                name = "Largest file in memory (bytes)",
                description = "Files up to this size are kept in memory once sent, and sent with their response head "
                        + "in one write; larger ones are sent from disk (zero-copy). 0: none. Their bytes are "
                        + "checked against the file's size, modification time and identity at every lookup (see "
                        + "the metadata cache).")
        long memoryMaxFileBytes() default StaticHandler.DEFAULT_MEMORY_MAX_FILE_BYTES;

        /** @return the most bytes of files kept in memory by this mount */
        @AttributeDefinition(
                name = "Memory for files (bytes)",
                description = "The most bytes of files this mount keeps in memory (direct memory, outside the heap). "
                        + "When full, files not asked for during the last metadata cache period make room; else a "
                        + "file is sent from disk.")
        long memoryMaxBytes() default StaticHandler.DEFAULT_MEMORY_MAX_BYTES;
    }

    /** The component's name, also its logger's. */
    static final String NAME = "dev.plinth.handlers.statics.StaticMount";

    private static final System.Logger LOG = System.getLogger(NAME);

    private final BundleContext context;
    private ServiceRegistration<Handler> registration;

    /**
     * @param properties the configuration
     * @param context this bundle's context, to register the handler
     */
    @Activate
    public StaticMount(Map<String, Object> properties, BundleContext context) {
        this.context = context;
        apply(properties);
    }

    /**
     * @param properties the changed configuration: a new handler replaces the old one, unless it is refused
     */
    @Modified
    synchronized void modified(Map<String, Object> properties) {
        apply(properties);
    }

    /** Takes the handler back. */
    @Deactivate
    synchronized void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
    }

    private synchronized void apply(Map<String, Object> properties) {
        String pid = ConfigCheck.pid(properties);
        StaticHandler handler;
        try {
            handler = builder(ConfigCheck.check(Config.class, properties)).build();
        } catch (RefusedConfiguration refused) {
            refuse(refused.withPid(pid));
            return;
        } catch (IOException e) {
            refuse(new RefusedConfiguration(pid, "docroot", properties.get("docroot"), String.valueOf(e)));
            return;
        }
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        properties.forEach((key, value) -> {
            if (!key.startsWith(".") && value != null) {
                serviceProperties.put(key, value);
            }
        });
        serviceProperties.put(Handler.NONBLOCKING, true);
        ServiceRegistration<Handler> previous = registration;
        registration = context.registerService(Handler.class, handler, serviceProperties);
        if (previous != null) {
            previous.unregister();
        }
    }

    /**
     * The builder of a configuration's handler: its settings, but for the prefix and host, which only place it.
     *
     * @param config the configuration
     * @return a builder with those settings
     * @throws RefusedConfiguration if the prefix does not start with {@code /}, the docroot is missing, or the
     *         hidden-files policy is neither {@code deny} nor {@code allow} (its PID is
     *         {@link RefusedConfiguration#UNKNOWN_PID}: the caller knows it)
     */
    public static StaticHandler.Builder builder(Config config) {
        String prefix = config.plinth_handler_prefix();
        if (prefix == null || !prefix.startsWith("/")) {
            throw refused(Handler.PREFIX, prefix, "must start with /");
        }
        String docroot = config.docroot();
        if (docroot == null || docroot.isBlank()) {
            throw refused("docroot", docroot, "a folder is required");
        }
        String hidden = config.hidden() == null ? "" : config.hidden().strip().toLowerCase(Locale.ROOT);
        if (!hidden.equals("deny") && !hidden.equals("allow")) {
            throw refused("hidden", config.hidden(), "must be deny or allow");
        }
        return StaticHandler.builder(Path.of(docroot))
                .index(config.index())
                .listing(config.listing())
                .serveHidden(hidden.equals("allow"))
                .followSymlinks(config.followSymlinks())
                .cacheControl(config.cacheControl())
                .mimeTypes(config.mimeTypes() == null ? new String[0] : config.mimeTypes())
                .metadataCacheMillis(config.metadataCacheMillis())
                .memoryMaxFileBytes(config.memoryMaxFileBytes())
                .memoryMaxBytes(config.memoryMaxBytes());
    }

    private static RefusedConfiguration refused(String key, Object value, String reason) {
        return new RefusedConfiguration(RefusedConfiguration.UNKNOWN_PID, key, value, reason);
    }

    private void refuse(RefusedConfiguration refused) {
        LOG.log(
                Level.ERROR,
                refused.getMessage()
                        + (registration != null
                                ? "; the previous configuration stays in force"
                                : "; nothing is mounted for it"));
    }
}

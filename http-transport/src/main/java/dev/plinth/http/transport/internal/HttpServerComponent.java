package dev.plinth.http.transport.internal;

import dev.plinth.http.core.AccessLog;
import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.handler.Glue;
import dev.plinth.http.parser.Compliance;
import dev.plinth.http.parser.ParserConfig;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.transport.HttpServer;
import dev.plinth.http.transport.Listener;
import dev.plinth.http.transport.ServerConfig;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The HTTP server as a DS component, configured through Config Admin (PID {@code dev.plinth.http}). Once bound it
 * registers a {@link Listener} service carrying the real port. The glue is a dynamic, greedy reference: a glue of
 * higher ranking replaces the default without rebinding the socket.
 */
@Component(configurationPid = HttpServerComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
@Designate(ocd = HttpServerComponent.Config.class)
public final class HttpServerComponent {

    /** The configuration PID. */
    public static final String PID = "dev.plinth.http";

    private static final System.Logger LOG = System.getLogger(HttpServerComponent.class.getName());

    /** The server's settings. */
    @ObjectClassDefinition(name = "Plinth HTTP server",
            description = "The socket Plinth listens on, and how connections behave.")
    public @interface Config {
        /** @return the address to bind */
        @AttributeDefinition(description = "Address to bind: 0.0.0.0 for every interface, 127.0.0.1 for loopback.")
        String host() default "0.0.0.0";

        /** @return the port */
        @AttributeDefinition(description = "TCP port; 0 picks any free port (the Listener service tells which).")
        int port() default 8080;

        /** @return selector threads */
        @AttributeDefinition(description = "Selector threads; 0 means one per core.")
        int selectorThreads() default 0;

        /** @return worker threads */
        @AttributeDefinition(description = "Threads running handler code; 0 means 4 per core, at least 8.")
        int workerThreads() default 0;

        /** @return idle timeout */
        @AttributeDefinition(description = "Milliseconds a connection may wait between requests before it is closed.")
        long idleTimeoutMillis() default 30000;

        /** @return the Server field */
        @AttributeDefinition(description = "The Server response field; empty sends none.", required = false)
        String serverName() default "Plinth";

        /** @return the outbound ceiling */
        @AttributeDefinition(description = "Bytes queued per connection beyond which handler output is not pulled.")
        int outboundCeiling() default 65536;

        /** @return the drain limit */
        @AttributeDefinition(description = "Bytes of an unread request body skipped to keep the connection; beyond, "
                + "it closes.")
        long drainLimit() default 65536;

        /** @return the handler timeout */
        @AttributeDefinition(description = "Milliseconds a handler may take to answer before the client gets 503.")
        long handlerTimeoutMillis() default 30000;

        /** @return the request line limit */
        @AttributeDefinition(description = "Longest request line in bytes; longer gets 414.")
        int maxRequestLineLength() default 8192;

        /** @return the header block limit */
        @AttributeDefinition(description = "Largest header block in bytes; larger gets 431.")
        int maxHeaderBlockBytes() default 16384;

        /** @return the field line limit */
        @AttributeDefinition(description = "Longest single header field line in bytes; longer gets 431.")
        int maxFieldLineLength() default 8192;

        /** @return the field count limit */
        @AttributeDefinition(description = "Most header fields in a request; more gets 431.")
        int maxHeaderCount() default 100;

        /** @return the body limit */
        @AttributeDefinition(description = "Largest request body in bytes; larger gets 413.")
        long maxBodyLength() default 1L << 30;
    }

    private final BundleContext context;
    private final ServerConfig settings;
    private volatile Glue glue;
    private final List<AccessLog> accessLogs = new CopyOnWriteArrayList<>();
    private volatile HttpServer server;
    private ServiceRegistration<Listener> registration;

    /**
     * @param config the configuration
     * @param context the bundle's context, to register the listener service
     */
    @Activate
    public HttpServerComponent(Config config, BundleContext context) {
        this.context = context;
        int cores = Runtime.getRuntime().availableProcessors();
        ParserConfig parser = new ParserConfig(config.maxRequestLineLength(), config.maxHeaderBlockBytes(),
                config.maxFieldLineLength(), config.maxHeaderCount(), config.maxBodyLength(), Compliance.STRICT);
        this.settings = new ServerConfig(config.host(), config.port(),
                config.selectorThreads() > 0 ? config.selectorThreads() : cores,
                config.workerThreads() > 0 ? config.workerThreads() : Math.max(8, 4 * cores),
                config.idleTimeoutMillis(),
                new CoreConfig(parser, config.serverName() == null ? "" : config.serverName(),
                        config.outboundCeiling(), config.drainLimit(), config.handlerTimeoutMillis()));
    }

    /**
     * An access log service arrived: new connections report to it.
     *
     * @param sink the service
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAccessLog(AccessLog sink) {
        accessLogs.add(sink);
        updateAccessLog();
    }

    /**
     * @param sink the access log service going away
     */
    void removeAccessLog(AccessLog sink) {
        accessLogs.remove(sink);
        updateAccessLog();
    }

    private void updateAccessLog() {
        HttpServer current = server;
        if (current != null) {
            current.accessLog(currentAccessLog());
        }
    }

    private AccessLog currentAccessLog() {
        List<AccessLog> sinks = List.copyOf(accessLogs);
        if (sinks.isEmpty()) {
            return AccessLog.NONE;
        }
        if (sinks.size() == 1) {
            return sinks.get(0);
        }
        return facts -> sinks.forEach(sink -> sink.exchangeCompleted(facts));
    }

    /**
     * The glue that picks handlers. Dynamic: replaced in place when a better-ranked glue appears.
     *
     * @param current the glue
     */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setGlue(Glue current) {
        glue = current;
    }

    /**
     * @param gone the glue going away
     */
    void unsetGlue(Glue gone) {
        // a replacement, if any, was set before this; a mandatory reference without one deactivates the component
    }

    /**
     * Binds the socket and registers the listener.
     *
     * @throws IOException if the socket cannot be bound
     */
    @Activate
    void start() throws IOException {
        server = new HttpServer(settings, new CurrentGlue());
        server.accessLog(currentAccessLog());
        InetSocketAddress bound = server.start();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Listener.PORT, bound.getPort());
        properties.put(Listener.HOST, settings.host());
        registration = context.registerService(Listener.class, () -> bound, properties);
        String shownHost = bound.getAddress().isAnyLocalAddress() ? "localhost" : settings.host();
        LOG.log(Level.INFO, "Plinth serving http://{0}:{1,number,#}/", shownHost, bound.getPort());
    }

    /**
     * Unregisters the listener and stops the server.
     *
     * @throws InterruptedException if interrupted while stopping threads
     */
    @Deactivate
    void stop() throws InterruptedException {
        if (registration != null) {
            registration.unregister();
        }
        if (server != null) {
            server.stop();
        }
    }

    /** Reads the current glue at each request, so a replacement takes effect at once. */
    private final class CurrentGlue implements Glue {
        @Override
        public Optional<Handler> select(Request request) {
            return glue.select(request);
        }

        @Override
        public Explanation explain(String host, String path) {
            return glue.explain(host, path);
        }
    }
}

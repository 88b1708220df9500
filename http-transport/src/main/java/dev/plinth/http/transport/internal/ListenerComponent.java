package dev.plinth.http.transport.internal;

import dev.plinth.http.core.AccessLog;
import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.core.ExchangeFacts;
import dev.plinth.http.core.Glue;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.parser.Compliance;
import dev.plinth.http.parser.ParserConfig;
import dev.plinth.http.transport.ConnectionInfo;
import dev.plinth.http.transport.HttpServer;
import dev.plinth.http.transport.Listener;
import dev.plinth.http.transport.ServerConfig;
import dev.plinth.http.transport.ServerStats;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * One listening server run from a {@link ListenerConfig}: binds, registers a {@link Listener} service with the real
 * port, follows the glue and access log services dynamically, and applies a configuration change by rebinding only
 * when the socket or threads change. The handler table lives in the glue, so no change here ever loses it.
 */
abstract class ListenerComponent {

    private static final System.Logger LOG = System.getLogger(ListenerComponent.class.getName());

    private final BundleContext context;
    private final Object pid;
    private final List<AccessLog> accessLogs = new CopyOnWriteArrayList<>();
    private volatile Glue glue;
    private ServerConfig settings;
    private long graceMillis;
    private volatile HttpServer server;
    private ServiceRegistration<Listener> registration;

    ListenerComponent(ListenerConfig config, Map<String, Object> properties, BundleContext context) {
        this.context = context;
        this.pid = properties.get(Constants.SERVICE_PID);
        this.settings = settings(config);
        this.graceMillis = config.stopGraceMillis();
    }

    /**
     * The glue that picks handlers. Dynamic: replaced in place when a better-ranked glue appears.
     *
     * @param current the glue
     */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    protected void setGlue(Glue current) {
        glue = current;
    }

    /**
     * @param gone the glue going away; a replacement, if any, was set before this, and a mandatory reference left
     *        without one deactivates the component
     */
    protected void unsetGlue(Glue gone) {}

    /**
     * An access log service arrived: connections opened from now on report to it.
     *
     * @param sink the service
     */
    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    protected void addAccessLog(AccessLog sink) {
        accessLogs.add(sink);
        updateAccessLog();
    }

    /**
     * @param sink the access log service going away
     */
    protected void removeAccessLog(AccessLog sink) {
        accessLogs.remove(sink);
        updateAccessLog();
    }

    /**
     * Binds the socket and registers the listener.
     *
     * @throws IOException if the socket cannot be bound
     */
    @Activate
    protected synchronized void start() throws IOException {
        HttpServer started = new HttpServer(settings, new CurrentGlue());
        started.accessLog(currentAccessLog());
        InetSocketAddress bound = started.start();
        server = started;
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Listener.PORT, bound.getPort());
        properties.put(Listener.HOST, settings.host());
        if (pid != null) {
            properties.put(Constants.SERVICE_PID, pid);
        }
        ServerStats stats = started.stats();
        registration = context.registerService(
                Listener.class,
                new Listener() {
                    @Override
                    public InetSocketAddress address() {
                        return bound;
                    }

                    @Override
                    public ServerStats stats() {
                        return stats;
                    }

                    @Override
                    public List<ConnectionInfo> connections() {
                        return started.connections();
                    }

                    @Override
                    public HttpServer.Drained drain(long graceMillis) throws InterruptedException {
                        return started.drain(graceMillis);
                    }
                },
                properties);
        String shownHost = bound.getAddress().isAnyLocalAddress() ? "localhost" : settings.host();
        LOG.log(Level.INFO, "Plinth serving http://{0}:{1,number,#}/", shownHost, bound.getPort());
    }

    /**
     * Applies a configuration change: limits, ceilings and timeouts apply to new connections at once; a new host,
     * port or thread count rebinds.
     *
     * @param config the new configuration
     * @throws IOException if a rebind fails
     * @throws InterruptedException if interrupted while stopping the old server
     */
    @Modified
    protected synchronized void modified(ListenerConfig config) throws IOException, InterruptedException {
        ServerConfig next = settings(config);
        graceMillis = config.stopGraceMillis();
        if (settings.needsRestartFor(next)) {
            stop();
            settings = next;
            start();
        } else {
            settings = next;
            server.reconfigure(next.core());
            LOG.log(
                    Level.INFO,
                    "Plinth listener on port {0,number,#} reconfigured without rebinding",
                    server.address().getPort());
        }
    }

    /**
     * Unregisters the listener and stops the server gracefully.
     *
     * @throws InterruptedException if interrupted while stopping threads
     */
    @Deactivate
    protected synchronized void stop() throws InterruptedException {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (server != null) {
            server.stop(graceMillis);
            server = null;
        }
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
        boolean nonBlocking = sinks.stream().allMatch(AccessLog::nonBlocking);
        return new AccessLog() {
            @Override
            public void exchangeCompleted(ExchangeFacts facts) {
                sinks.forEach(sink -> sink.exchangeCompleted(facts));
            }

            @Override
            public boolean nonBlocking() {
                return nonBlocking;
            }
        };
    }

    /**
     * @param config the configuration
     * @return the server's settings from it
     * @throws IllegalArgumentException if a setting is invalid: the configuration is refused (activation or
     *         modification fails, and a running listener keeps its settings)
     */
    static ServerConfig settings(ListenerConfig config) {
        int cores = Runtime.getRuntime().availableProcessors();
        ParserConfig parser = new ParserConfig(
                config.maxRequestLineLength(),
                config.maxHeaderBlockBytes(),
                config.maxFieldLineLength(),
                config.maxHeaderCount(),
                config.maxBodyLength(),
                Compliance.parse(config.compliance()));
        CoreConfig core = new CoreConfig(
                parser,
                config.serverName() == null ? "" : config.serverName(),
                config.outboundCeiling(),
                config.drainLimit(),
                new CoreConfig.Timeouts(
                        config.idleTimeoutMillis(),
                        config.headerTimeoutMillis(),
                        config.bodyTimeoutMillis(),
                        config.handlerTimeoutMillis()),
                config.inlineThresholdMillis());
        return new ServerConfig(
                config.host(),
                config.port(),
                config.selectorThreads() > 0 ? config.selectorThreads() : cores,
                config.workerThreads() > 0 ? config.workerThreads() : Math.max(8, 4 * cores),
                config.virtualWorkers(),
                config.maxConnections(),
                config.writeTimeoutMillis(),
                core,
                config.readBufferSize());
    }

    /** Reads the current glue at each request, so a replacement takes effect at once. */
    private final class CurrentGlue implements Glue {
        @Override
        public Decision choose(Request request) {
            return glue.choose(request);
        }

        @Override
        public List<Route> routes() {
            return glue.routes();
        }

        @Override
        public void blocked(Handler handler) {
            glue.blocked(handler);
        }

        @Override
        public boolean nonBlocking() {
            return glue.nonBlocking();
        }

        @Override
        public Explanation explain(String host, String path) {
            return glue.explain(host, path);
        }
    }
}

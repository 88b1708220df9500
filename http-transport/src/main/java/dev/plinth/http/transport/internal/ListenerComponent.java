package dev.plinth.http.transport.internal;

import dev.plinth.config.ConfigCheck;
import dev.plinth.config.RefusedConfiguration;
import dev.plinth.http.core.AccessLog;
import dev.plinth.http.core.Compression;
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
import dev.plinth.http.transport.TlsConfig;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
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
    private ServerConfig settings; // null while the configuration is refused
    private long graceMillis;
    private int redirectToHttpsPort;
    private volatile HttpServer server;
    private ServiceRegistration<Listener> registration;

    /**
     * @param properties the component's properties: its configuration, checked here, and refused with one log line
     *        (the listener then does not start) if a key is unknown or a value wrong
     * @param context the bundle's context, to register the listener service
     */
    ListenerComponent(Map<String, Object> properties, BundleContext context) {
        this.context = context;
        this.pid = properties.get(Constants.SERVICE_PID);
        try {
            ListenerConfig config = ConfigCheck.check(ListenerConfig.class, properties);
            this.settings = settings(config, ConfigCheck.pid(properties));
            this.graceMillis = config.stopGraceMillis();
            this.redirectToHttpsPort = config.redirectToHttpsPort();
        } catch (RefusedConfiguration refused) {
            LOG.log(Level.ERROR, refused.getMessage() + "; the listener does not start");
        }
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

    /** Binds the socket and registers the listener; a configuration refused, or a socket that cannot be bound, is
     * logged in one line and leaves the listener stopped. */
    @Activate
    protected synchronized void start() {
        if (settings == null) {
            return;
        }
        HttpServer started = new HttpServer(
                settings, redirectToHttpsPort > 0 ? new HttpsRedirect(redirectToHttpsPort) : new CurrentGlue());
        started.accessLog(currentAccessLog());
        InetSocketAddress bound;
        try {
            bound = started.start();
        } catch (IOException | RuntimeException e) {
            LOG.log(
                    Level.ERROR,
                    "listener {0} on {1}:{2,number,#} does not start: {3}",
                    pid,
                    settings.host(),
                    settings.port(),
                    String.valueOf(e.getMessage()));
            return;
        }
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
        if (redirectToHttpsPort > 0) {
            LOG.log(
                    Level.INFO,
                    "Plinth redirecting http://{0}:{1,number,#}/ to HTTPS port {2,number,#}",
                    shownHost,
                    bound.getPort(),
                    redirectToHttpsPort);
        } else {
            LOG.log(
                    Level.INFO,
                    "Plinth serving {0}://{1}:{2,number,#}/",
                    settings.secure() ? "https" : "http",
                    shownHost,
                    bound.getPort());
        }
    }

    /**
     * Applies a configuration change: limits, ceilings and timeouts apply to new connections at once; a new host,
     * port or thread count rebinds. A configuration refused (an unknown key, a wrong value) or a new address that
     * cannot be bound is logged in one line, and the listener goes on as it was.
     *
     * @param properties the component's new properties
     * @throws InterruptedException if interrupted while stopping the old server
     */
    @Modified
    protected synchronized void modified(Map<String, Object> properties) throws InterruptedException {
        ListenerConfig config;
        ServerConfig next;
        try {
            config = ConfigCheck.check(ListenerConfig.class, properties);
            next = settings(config, ConfigCheck.pid(properties));
        } catch (RefusedConfiguration refused) {
            LOG.log(
                    Level.ERROR,
                    refused.getMessage()
                            + (server != null
                                    ? "; the previous configuration stays in force"
                                    : "; the listener stays stopped"));
            return;
        }
        if (server != null && next.tls() != null && !next.tls().equals(settings.tls())) {
            try {
                next.tls().check(); // before the running server is stopped for it
            } catch (IOException e) {
                LOG.log(
                        Level.ERROR,
                        "listener {0}: {1}; the previous configuration stays in force",
                        pid,
                        e.getMessage());
                return;
            }
        }
        graceMillis = config.stopGraceMillis();
        boolean redirectChanged = redirectToHttpsPort != config.redirectToHttpsPort();
        redirectToHttpsPort = config.redirectToHttpsPort();
        if (server == null) {
            settings = next;
            start();
        } else if (settings.needsRestartFor(next) || redirectChanged) {
            rebind(next);
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
     * Moves to settings that need a new socket or threads. On another address the new one is bound first, so that
     * an address that cannot be bound leaves the old listener serving; on the same one, the old must go first.
     */
    private void rebind(ServerConfig next) throws InterruptedException {
        ServerConfig previous = settings;
        boolean sameAddress = previous.host().equals(next.host()) && previous.port() == next.port() && next.port() != 0;
        if (sameAddress) {
            stop();
            settings = next;
            start();
            return;
        }
        HttpServer old = server;
        ServiceRegistration<Listener> oldRegistration = registration;
        settings = next;
        start();
        if (server == old) {
            settings = previous; // the new address failed and was logged: the old listener serves on
            return;
        }
        oldRegistration.unregister();
        old.stop(graceMillis);
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
    static ServerConfig settings(ListenerConfig config, String pid) {
        checkRanges(config, pid);
        int cores = Runtime.getRuntime().availableProcessors();
        ParserConfig parser = new ParserConfig(
                config.maxRequestLineLength(),
                config.maxHeaderBlockBytes(),
                config.maxFieldLineLength(),
                config.maxHeaderCount(),
                config.maxBodyLength(),
                compliance(config, pid));
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
                config.inlineThresholdMillis(),
                strictTransportSecurity(config),
                compression(config, pid));
        return new ServerConfig(
                config.host(),
                config.port(),
                config.selectorThreads() > 0 ? config.selectorThreads() : cores,
                config.workerThreads() > 0 ? config.workerThreads() : Math.max(8, 4 * cores),
                config.virtualWorkers(),
                config.maxConnections(),
                config.writeTimeoutMillis(),
                core,
                config.readBufferSize(),
                tls(config, pid));
    }

    /**
     * @return the TLS settings, or null for a plain listener (no key material configured)
     * @throws RefusedConfiguration if they are incomplete or contradictory
     */
    static TlsConfig tls(ListenerConfig config, String pid) {
        List<Path> chains = paths(config.tlsCertificate());
        List<Path> keys = paths(config.tlsPrivateKey());
        List<Path> stores = paths(config.tlsKeyStore());
        if (chains.isEmpty() && keys.isEmpty() && stores.isEmpty()) {
            if (config.hstsMaxAgeSeconds() > 0) {
                throw new RefusedConfiguration(
                        pid, "hstsMaxAgeSeconds", config.hstsMaxAgeSeconds(), "HSTS needs a TLS listener");
            }
            return null;
        }
        if (chains.size() != keys.size()) {
            throw new RefusedConfiguration(
                    pid,
                    "tlsPrivateKey",
                    String.join(",", config.tlsPrivateKey()),
                    "one private key is needed per tlsCertificate chain (" + chains.size() + "), in the same order");
        }
        if (config.redirectToHttpsPort() != 0) {
            throw new RefusedConfiguration(
                    pid,
                    "redirectToHttpsPort",
                    config.redirectToHttpsPort(),
                    "a TLS listener serves, it does not " + "redirect");
        }
        TlsConfig.ClientAuth clientAuth;
        try {
            clientAuth =
                    TlsConfig.ClientAuth.valueOf(config.tlsClientAuth().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RefusedConfiguration(pid, "tlsClientAuth", config.tlsClientAuth(), "not one of none, want, need");
        }
        String trust = config.tlsTrustStore().trim();
        if (clientAuth != TlsConfig.ClientAuth.NONE && trust.isEmpty()) {
            throw new RefusedConfiguration(
                    pid, "tlsTrustStore", trust, "client certificates (" + config.tlsClientAuth() + ") need one");
        }
        List<String> protocols = items(config.tlsProtocols());
        if (protocols.isEmpty() || !TlsConfig.SUPPORTED_PROTOCOLS.containsAll(protocols)) {
            throw new RefusedConfiguration(
                    pid, "tlsProtocols", String.join(",", protocols), "only TLSv1.3 and TLSv1.2 may be offered");
        }
        ConfigCheck.within(pid, "tlsHandshakeTimeoutMillis", config.tlsHandshakeTimeoutMillis(), 1, Long.MAX_VALUE);
        return new TlsConfig(
                stores,
                config.tlsKeyStorePassword(),
                chains,
                keys,
                protocols,
                items(config.tlsCipherSuites()),
                clientAuth,
                trust.isEmpty() ? null : Path.of(trust),
                config.tlsTrustStorePassword(),
                config.tlsHandshakeTimeoutMillis());
    }

    /** @throws RefusedConfiguration if a compression setting is out of range or a type pattern malformed */
    static Compression compression(ListenerConfig config, String pid) {
        if (!config.compression()) {
            return Compression.OFF;
        }
        ConfigCheck.within(pid, "compressionLevel", config.compressionLevel(), 1, 9);
        ConfigCheck.within(pid, "compressionMinBytes", config.compressionMinBytes(), 0, Long.MAX_VALUE);
        List<String> types = items(config.compressionTypes());
        try {
            return Compression.gzip(config.compressionLevel(), config.compressionMinBytes(), types);
        } catch (IllegalArgumentException e) {
            throw new RefusedConfiguration(pid, "compressionTypes", String.join(",", types), e.getMessage());
        }
    }

    private static String strictTransportSecurity(ListenerConfig config) {
        if (config.hstsMaxAgeSeconds() <= 0) {
            return "";
        }
        return "max-age=" + config.hstsMaxAgeSeconds() + (config.hstsIncludeSubDomains() ? "; includeSubDomains" : "");
    }

    /** @return the items of a list setting: array elements, each also split at commas, trimmed, empties dropped */
    private static List<String> items(String[] values) {
        List<String> items = new ArrayList<>();
        for (String value : values) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    private static List<Path> paths(String[] values) {
        return items(values).stream().map(Path::of).toList();
    }

    private static void checkRanges(ListenerConfig config, String pid) {
        ConfigCheck.within(pid, "port", config.port(), 0, 65535);
        ConfigCheck.within(pid, "selectorThreads", config.selectorThreads(), 0, 1024);
        ConfigCheck.within(pid, "workerThreads", config.workerThreads(), 0, 65536);
        ConfigCheck.within(pid, "readBufferSize", config.readBufferSize(), 1024, 16 << 20);
        ConfigCheck.within(pid, "maxConnections", config.maxConnections(), 1, Integer.MAX_VALUE);
        ConfigCheck.within(pid, "outboundCeiling", config.outboundCeiling(), 1, Integer.MAX_VALUE);
        ConfigCheck.within(pid, "drainLimit", config.drainLimit(), 0, Long.MAX_VALUE);
        ConfigCheck.within(pid, "idleTimeoutMillis", config.idleTimeoutMillis(), 1, Long.MAX_VALUE);
        ConfigCheck.within(pid, "headerTimeoutMillis", config.headerTimeoutMillis(), 1, Long.MAX_VALUE);
        ConfigCheck.within(pid, "bodyTimeoutMillis", config.bodyTimeoutMillis(), 1, Long.MAX_VALUE);
        ConfigCheck.within(pid, "writeTimeoutMillis", config.writeTimeoutMillis(), 1, Long.MAX_VALUE);
        ConfigCheck.within(pid, "handlerTimeoutMillis", config.handlerTimeoutMillis(), 1, Long.MAX_VALUE);
        ConfigCheck.within(pid, "inlineThresholdMillis", config.inlineThresholdMillis(), 0, Long.MAX_VALUE);
        ConfigCheck.within(pid, "stopGraceMillis", config.stopGraceMillis(), 0, Long.MAX_VALUE);
        ConfigCheck.within(pid, "maxRequestLineLength", config.maxRequestLineLength(), 16, Integer.MAX_VALUE);
        ConfigCheck.within(pid, "maxHeaderBlockBytes", config.maxHeaderBlockBytes(), 16, Integer.MAX_VALUE);
        ConfigCheck.within(pid, "maxFieldLineLength", config.maxFieldLineLength(), 16, Integer.MAX_VALUE);
        ConfigCheck.within(pid, "maxHeaderCount", config.maxHeaderCount(), 1, Integer.MAX_VALUE);
        ConfigCheck.within(pid, "maxBodyLength", config.maxBodyLength(), 0, Long.MAX_VALUE);
        ConfigCheck.within(pid, "redirectToHttpsPort", config.redirectToHttpsPort(), 0, 65535);
        ConfigCheck.within(pid, "hstsMaxAgeSeconds", config.hstsMaxAgeSeconds(), 0, Long.MAX_VALUE);
        if (config.host() == null || config.host().isBlank()) {
            throw new RefusedConfiguration(pid, "host", config.host(), "an address is required");
        }
    }

    private static Compliance compliance(ListenerConfig config, String pid) {
        try {
            return Compliance.parse(config.compliance());
        } catch (IllegalArgumentException e) {
            throw new RefusedConfiguration(pid, "compliance", config.compliance(), e.getMessage());
        }
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

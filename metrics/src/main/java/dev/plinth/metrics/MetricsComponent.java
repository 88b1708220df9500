package dev.plinth.metrics;

import dev.plinth.config.ConfigCheck;
import dev.plinth.config.RefusedConfiguration;
import dev.plinth.http.core.AccessLog;
import dev.plinth.http.core.ExchangeFacts;
import dev.plinth.http.core.Glue;
import dev.plinth.http.core.Glue.Route;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.transport.Listener;
import dev.plinth.http.transport.ServerStats;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Plinth's metrics. An {@link AccessLog} service that counts every exchange ({@link ExchangeCounters}); an MXBean per
 * {@link Listener} service ({@link ListenerMXBean}) and per handler mount ({@link HandlerMXBean}) on the platform
 * MBean server, registered and unregistered as those services come and go; and, when a path is configured, a
 * {@link Handler} serving the same figures in the Prometheus text format ({@link PrometheusHandler}).
 *
 * <p>Configuration PID {@value #PID}, optional; attributes in {@link Config}. A change applies at once: MBeans are
 * registered or unregistered, the Prometheus handler moved or removed; the counts go on.
 */
@Component(
        service = AccessLog.class,
        configurationPid = MetricsComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true)
@Designate(ocd = MetricsComponent.Config.class)
public final class MetricsComponent implements AccessLog {

    /** The configuration PID. */
    public static final String PID = "dev.plinth.metrics";

    private static final System.Logger LOG = System.getLogger(MetricsComponent.class.getName());

    /** The metrics' configuration. */
    @ObjectClassDefinition(
            id = PID,
            name = "Plinth metrics",
            description = "Per-listener and per-handler figures: JMX MBeans, and the Prometheus text format on a path.")
    public @interface Config {
        /** @return whether to register the MBeans */
        @AttributeDefinition(
                name = "JMX",
                description = "Register an MBean per listener (dev.plinth:type=Listener,port=...) and per handler"
                        + " mount (dev.plinth:type=Handler,prefix=...) on the platform MBean server.")
        boolean jmx() default true;

        /** @return the path of the Prometheus exposition; empty for none */
        @AttributeDefinition(
                name = "Prometheus path",
                description = "Path prefix at which a handler serves the figures in the Prometheus text format"
                        + " (version 0.0.4), such as /metrics. Empty: not served.",
                required = false)
        String prometheusPath() default "";
    }

    /** Registers a handler service for this component. */
    @FunctionalInterface
    interface HandlerRegistrar {
        /**
         * @param handler the handler
         * @param properties its service properties
         * @return what unregisters it
         */
        Runnable register(Handler handler, Dictionary<String, Object> properties);
    }

    private final ExchangeCounters counters = new ExchangeCounters();
    private final MBeans mbeans;
    private final HandlerRegistrar registrar;

    /**
     * Guards the services tracked and their MBeans: service events, configuration changes, deactivation and the
     * Prometheus handler come on any thread. Held only briefly, never while calling another service.
     */
    private final Object lock = new Object();

    private final Map<Long, TrackedListener> listeners = new HashMap<>();
    private final Map<Long, Mount> handlers = new HashMap<>();
    private final Map<Mount, Place> places = new HashMap<>();
    private boolean jmx;
    private boolean active = true;

    /**
     * Guards the Prometheus handler's registration. Not {@link #lock}: unregistering the handler waits (in the glue)
     * for its exchanges in flight to finish, and they take {@link #lock} to read the services.
     */
    private final Object endpointLock = new Object();

    private String path;
    private boolean serving = true;
    private Runnable endpoint;

    /** The glue the listeners use (DS binds the best-ranked): its routes tell the exchanges in flight. */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Glue glue;

    /**
     * Called by Declarative Services.
     *
     * @param properties the configuration, checked against {@link Config}: one refused (an unknown key, a wrong
     *        value, a path without a leading /) is logged in one line, and the defaults apply
     * @param context this bundle's context, to register the Prometheus handler
     */
    @Activate
    public MetricsComponent(Map<String, Object> properties, BundleContext context) {
        this(checked(properties, null), ManagementFactory.getPlatformMBeanServer(), (handler, serviceProperties) -> {
            ServiceRegistration<Handler> registration =
                    context.registerService(Handler.class, handler, serviceProperties);
            return () -> {
                try {
                    registration.unregister();
                } catch (IllegalStateException gone) {
                    // unregistered already, with the bundle
                }
            };
        });
    }

    /**
     * @param config the configuration
     * @param server where the MBeans go
     * @param registrar registers the Prometheus handler
     */
    MetricsComponent(Config config, MBeanServer server, HandlerRegistrar registrar) {
        this.mbeans = new MBeans(server);
        this.registrar = registrar;
        this.jmx = config.jmx();
        this.path = config.prometheusPath().strip();
    }

    /** Registers the Prometheus handler if a path is configured; the MBeans came with the services bound before. */
    @Activate
    void start() {
        synchronized (endpointLock) {
            serve(path);
        }
    }

    /**
     * Applies a configuration change from Declarative Services; one refused is logged in one line and changes nothing.
     *
     * @param properties the new configuration
     */
    @Modified
    void modified(Map<String, Object> properties) {
        Config config = checked(properties, this);
        if (config != null) {
            apply(config);
        }
    }

    /**
     * @param properties the configuration
     * @param running the component, when it has a configuration in force; null at activation
     * @return the configuration; at activation, the defaults if it is refused; later, null if it is refused
     */
    private static Config checked(Map<String, Object> properties, MetricsComponent running) {
        try {
            Config config = ConfigCheck.check(Config.class, properties);
            String path = config.prometheusPath().strip();
            if (!path.isEmpty() && !path.startsWith("/")) {
                throw new RefusedConfiguration(
                        ConfigCheck.pid(properties), "prometheusPath", path, "must be empty (off) or start with /");
            }
            return config;
        } catch (RefusedConfiguration refused) {
            LOG.log(
                    Level.ERROR,
                    refused.getMessage()
                            + (running == null
                                    ? "; the defaults apply"
                                    : "; the previous configuration stays in force"));
            return running == null ? ConfigCheck.check(Config.class, Map.of()) : null;
        }
    }

    /**
     * Applies a configuration.
     *
     * @param config the new configuration
     */
    void apply(Config config) {
        synchronized (lock) {
            if (config.jmx() != jmx) {
                jmx = config.jmx();
                listeners.values().forEach(jmx ? this::register : this::unregister);
                places.values().forEach(jmx ? this::register : this::unregister);
            }
        }
        synchronized (endpointLock) {
            String next = config.prometheusPath().strip();
            if (!next.equals(path)) {
                path = next;
                serve(path);
            }
        }
    }

    /** Unregisters the Prometheus handler and every MBean. */
    @Deactivate
    void stop() {
        synchronized (endpointLock) {
            serve("");
            serving = false;
        }
        synchronized (lock) {
            active = false;
            listeners.values().forEach(this::unregister);
            places.values().forEach(this::unregister);
        }
    }

    @Override
    public void exchangeCompleted(ExchangeFacts facts) {
        counters.exchangeCompleted(facts);
    }

    /** @return true: the counting never blocks, and runs on the thread that ends the exchange */
    @Override
    public boolean nonBlocking() {
        return true;
    }

    /**
     * A listener service arrived.
     *
     * @param listener the listener
     * @param properties its service properties
     */
    @Reference(
            service = Listener.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addListener(Listener listener, Map<String, Object> properties) {
        int port = properties.get(Listener.PORT) instanceof Integer p
                ? p
                : listener.address().getPort();
        String host = properties.get(Listener.HOST) instanceof String h
                ? h
                : listener.address().getHostString();
        TrackedListener tracked = new TrackedListener(listener, port, host);
        synchronized (lock) {
            listeners.put(serviceId(properties), tracked);
            register(tracked);
        }
    }

    /**
     * A listener service left.
     *
     * @param listener the listener
     * @param properties its service properties
     */
    void removeListener(Listener listener, Map<String, Object> properties) {
        synchronized (lock) {
            TrackedListener gone = listeners.remove(serviceId(properties));
            if (gone == null) {
                return;
            }
            unregister(gone);
            if (listeners.values().stream().noneMatch(l -> l.port == gone.port)) {
                counters.forget(gone.port);
            }
        }
    }

    /**
     * A handler service arrived. Only its properties are read: the service itself is not got.
     *
     * @param reference the service
     */
    @Reference(
            service = Handler.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            updated = "updatedHandler")
    void addHandler(ServiceReference<Handler> reference) {
        handlerArrived(properties(reference));
    }

    /**
     * A handler service's properties changed.
     *
     * @param reference the service
     */
    void updatedHandler(ServiceReference<Handler> reference) {
        handlerChanged(properties(reference));
    }

    /**
     * A handler service left.
     *
     * @param reference the service
     */
    void removeHandler(ServiceReference<Handler> reference) {
        handlerLeft(properties(reference));
    }

    /** @param properties the properties of a handler service that arrived */
    void handlerArrived(Map<String, Object> properties) {
        Mount mount = Mount.of(properties);
        if (mount == null) {
            return;
        }
        synchronized (lock) {
            if (handlers.putIfAbsent(serviceId(properties), mount) != null) {
                return;
            }
            Place place = places.computeIfAbsent(mount, Place::new);
            if (place.services++ == 0) {
                register(place);
            }
        }
    }

    /** @param properties the new properties of a handler service */
    void handlerChanged(Map<String, Object> properties) {
        synchronized (lock) {
            if (!Objects.equals(Mount.of(properties), handlers.get(serviceId(properties)))) {
                handlerLeft(properties);
                handlerArrived(properties);
            }
        }
    }

    /** @param properties the properties of a handler service that left */
    void handlerLeft(Map<String, Object> properties) {
        synchronized (lock) {
            Mount mount = handlers.remove(serviceId(properties));
            Place place = mount == null ? null : places.get(mount);
            if (place != null && --place.services == 0) {
                places.remove(mount);
                unregister(place);
            }
        }
    }

    /** @return the figures of every listener and handler mount now, in the Prometheus text format */
    String prometheus() {
        Map<Integer, List<Listener>> byPort = new TreeMap<>();
        Map<String, Long> inFlight = new TreeMap<>();
        synchronized (lock) {
            listeners
                    .values()
                    .forEach(l -> byPort.computeIfAbsent(l.port, p -> new ArrayList<>())
                            .add(l.listener));
            places.keySet().forEach(m -> inFlight.put(m.prefix(), 0L));
        }
        for (Route route : routes()) {
            inFlight.computeIfPresent(route.prefix(), (prefix, n) -> n + route.inFlight());
        }
        List<Exposition.PortFigures> ports = new ArrayList<>();
        byPort.forEach((port, on) -> ports.add(figures(port, on)));
        List<Exposition.PrefixFigures> prefixes = new ArrayList<>();
        inFlight.forEach((prefix, n) -> {
            MountCounts counts = counters.prefix(prefix);
            prefixes.add(new Exposition.PrefixFigures(prefix, counts.requests(), counts.errors(), n));
        });
        return Exposition.text(ports, prefixes);
    }

    private Exposition.PortFigures figures(int port, List<Listener> on) {
        long open = 0;
        long total = 0;
        long refused = 0;
        long bytesIn = 0;
        long bytesOut = 0;
        long errors = 0;
        Exposition.TlsFigures tls = Exposition.TlsFigures.NONE;
        for (Listener listener : on) {
            ServerStats stats = listener.stats();
            open += stats.connectionsOpen();
            total += stats.connectionsTotal();
            refused += stats.connectionsRefused();
            bytesIn += stats.bytesIn();
            bytesOut += stats.bytesOut();
            errors += stats.errors();
            tls = tls.plus(new Exposition.TlsFigures(
                    stats.tlsHandshakes(),
                    stats.tlsHandshakeFailures(),
                    stats.tlsHandshakeTimeouts(),
                    stats.tlsPlainHttp(),
                    stats.tlsRenegotiationsRefused()));
        }
        return new Exposition.PortFigures(
                port, open, total, refused, bytesIn, bytesOut, errors, tls, counters.port(port));
    }

    private List<Route> routes() {
        Glue current = glue;
        return current == null ? List.of() : current.routes();
    }

    /**
     * Registers the Prometheus handler at a path, or none for an empty one, once stopped neither. Called holding
     * {@link #endpointLock}, not {@link #lock}.
     */
    private void serve(String at) {
        if (endpoint != null) {
            endpoint.run();
            endpoint = null;
        }
        if (at.isEmpty() || !serving) {
            return;
        }
        if (!at.startsWith("/")) {
            LOG.log(Level.WARNING, "prometheusPath {0} does not start with /: the Prometheus format is not served", at);
            return;
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Handler.PREFIX, at);
        endpoint = registrar.register(new PrometheusHandler(this::prometheus), properties);
    }

    private void register(TrackedListener tracked) {
        if (jmx && active && tracked.name == null) {
            tracked.name = mbeans.register(
                    new ListenerView(tracked.listener, tracked.port, tracked.host, counters),
                    ListenerMXBean.class,
                    MBeans.listenerNames(tracked.port, tracked.host));
        }
    }

    private void unregister(TrackedListener tracked) {
        mbeans.unregister(tracked.name);
        tracked.name = null;
    }

    private void register(Place place) {
        if (jmx && active && place.name == null) {
            place.name = mbeans.register(
                    new HandlerView(place.mount, () -> place.services, counters, this::routes),
                    HandlerMXBean.class,
                    List.of(MBeans.handlerName(place.mount)));
        }
    }

    private void unregister(Place place) {
        mbeans.unregister(place.name);
        place.name = null;
    }

    /** @return the MBean names registered now, for tests */
    List<ObjectName> names() {
        synchronized (lock) {
            List<ObjectName> names = new ArrayList<>();
            listeners.values().forEach(l -> names.add(l.name));
            places.values().forEach(p -> names.add(p.name));
            names.removeIf(n -> n == null);
            return names;
        }
    }

    private static Map<String, Object> properties(ServiceReference<?> reference) {
        Map<String, Object> properties = new HashMap<>();
        for (String key : reference.getPropertyKeys()) {
            properties.put(key, reference.getProperty(key));
        }
        return properties;
    }

    private static long serviceId(Map<String, Object> properties) {
        return properties.get("service.id") instanceof Long id ? id : -1;
    }

    /** A listener service and the name of its MBean, if registered. */
    private static final class TrackedListener {
        final Listener listener;
        final int port;
        final String host;
        ObjectName name;

        TrackedListener(Listener listener, int port, String host) {
            this.listener = listener;
            this.port = port;
            this.host = host;
        }
    }

    /** A mount, its handler services' count and the name of its MBean, if registered. */
    private static final class Place {
        final Mount mount;
        volatile int services;
        ObjectName name;

        Place(Mount mount) {
            this.mount = mount;
        }
    }
}

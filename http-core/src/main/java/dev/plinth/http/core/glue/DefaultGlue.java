package dev.plinth.http.core.glue;

import dev.plinth.config.ConfigCheck;
import dev.plinth.config.RefusedConfiguration;
import dev.plinth.http.core.Glue;
import dev.plinth.http.core.Occupancy;
import dev.plinth.http.core.Router;
import dev.plinth.http.core.Router.Mount;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Tracks every {@link Handler} service and picks, per request, the one with the longest prefix matching the path,
 * then one bound to the request's host over one for any host, then the highest {@code service.ranking}, then the
 * lowest {@code service.id}: the rules of {@link Router}, whose table is replaced atomically as services come and
 * go, so a lookup never locks and never sees a half-updated table. Each service is a {@link Mount} made from its
 * properties ({@link #mountOf}).
 *
 * <p>A handler registered with {@link Handler#NONBLOCKING}{@code =true} is chosen to run on the I/O thread until
 * the server has reported it {@value Router#DEMOTE_AFTER} times for holding that thread too long; from then on, for as
 * long as its service stays registered, it runs on workers.
 *
 * <h2>When a handler service leaves</h2>
 * New requests go to the table without it at once. Its exchanges in progress may finish, up to the drain timeout
 * ({@link Occupancy#drain}), and its service is released only after that: the unbind waits, so the handler's
 * component is not deactivated under them. Meanwhile, and for the handover window after, requests that it would have
 * served are held, with no thread waiting ({@link Glue.Later}): an update or refresh of its bundle, or a change of
 * its component's configuration, unregisters it and registers its replacement, which then serves them. The glue
 * cannot tell from a leaving service whether a replacement follows (the framework stops a bundle the same way before
 * an update as before an uninstall), so it holds after every leave, and stops holding as soon as a handler registers
 * for the same host and prefix, the bundle of the one that left is uninstalled, or the window ends; the held
 * requests are then decided from the table as it is (the replacement, another handler, or 404).
 */
@Component(service = Glue.class, property = "service.ranking:Integer=0", configurationPid = DefaultGlue.PID)
@Designate(ocd = GlueConfig.class)
public final class DefaultGlue implements Glue {

    /** The Config Admin PID of the default glue's settings ({@link GlueConfig}). */
    public static final String PID = "dev.plinth.glue";
    /** The default {@link GlueConfig#handoverMillis()}: 5 s. */
    public static final long DEFAULT_HANDOVER_MILLIS = 5_000;
    /** The default {@link GlueConfig#handoverMaxHeld()}. */
    public static final int DEFAULT_HANDOVER_MAX_HELD = 10_000;
    /** The default {@link GlueConfig#drainMillis()}: 30 s, as long as a handler may take to answer. */
    public static final long DEFAULT_DRAIN_MILLIS = 30_000;

    private static final System.Logger LOG = System.getLogger(DefaultGlue.class.getName());

    /** The table and the handovers in progress, replaced together so that a lookup reads one consistent state. */
    private record State(Router table, List<Handover> handovers) {}

    private final AtomicReference<State> state =
            new AtomicReference<>(new State(Router.builder().build(), List.of()));
    /** The bundle of each service in the table, by {@code service.id}, for the log. */
    private final Map<Long, String> bundles = new ConcurrentHashMap<>();

    private volatile Settings settings =
            new Settings(DEFAULT_HANDOVER_MILLIS, DEFAULT_HANDOVER_MAX_HELD, DEFAULT_DRAIN_MILLIS);
    /** Null outside a framework (tests, embedding): then bundles are known by id only. */
    private volatile BundleContext context;
    /** Ends the handovers of a bundle that is uninstalled: its handler will not come back. */
    private final SynchronousBundleListener uninstalls = event -> {
        if (event.getType() == BundleEvent.UNINSTALLED) {
            endHandovers(event.getBundle().getBundleId(), "its bundle was uninstalled");
        }
    };
    /** Set when the glue itself goes: its handlers are let go without drains or handovers. */
    private volatile boolean deactivating;

    private record Settings(long handoverMillis, int maxHeld, long drainMillis) {}

    /** Creates an empty glue with the default settings; DS binds the handlers. */
    public DefaultGlue() {}

    /**
     * Starts tracking bundles and takes the settings.
     *
     * @param bundleContext the glue's bundle context
     * @param config the settings
     */
    @Activate
    void activate(BundleContext bundleContext, Map<String, Object> properties) {
        apply(properties, "the defaults apply");
        context = bundleContext;
        bundleContext.addBundleListener(uninstalls);
    }

    /**
     * Applies new settings to the handovers and drains that begin from now on. A configuration refused (an unknown
     * key, a wrong value) is logged in one line naming the PID, the key and the value, and changes nothing.
     *
     * @param properties the settings, checked against {@link GlueConfig}
     */
    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties, "the previous configuration stays in force");
    }

    private void apply(Map<String, Object> properties, String otherwise) {
        try {
            GlueConfig config = ConfigCheck.check(GlueConfig.class, properties);
            String pid = ConfigCheck.pid(properties);
            ConfigCheck.within(pid, "handoverMillis", config.handoverMillis(), 0, Long.MAX_VALUE);
            ConfigCheck.within(pid, "handoverMaxHeld", config.handoverMaxHeld(), 0, Integer.MAX_VALUE);
            ConfigCheck.within(pid, "drainMillis", config.drainMillis(), 0, Long.MAX_VALUE);
            settings(config.handoverMillis(), config.handoverMaxHeld(), config.drainMillis());
        } catch (RefusedConfiguration refused) {
            LOG.log(Level.ERROR, refused.getMessage() + "; " + otherwise);
        }
    }

    /**
     * Lets every held request be decided from the table as it is, and stops tracking bundles.
     *
     * @param bundleContext the glue's bundle context
     */
    @Deactivate
    void deactivate(BundleContext bundleContext) {
        deactivating = true;
        bundleContext.removeBundleListener(uninstalls);
        for (Handover handover : state.get().handovers) {
            endHandover(handover, "the glue is stopping");
        }
    }

    /**
     * Sets, for the handovers and drains that begin from now on, how they behave (see {@link GlueConfig}).
     *
     * @param handoverMillis how long requests are held for a replacement after a drain; 0 holds none
     * @param maxHeld the most requests held at once for one prefix
     * @param drainMillis how long exchanges in a leaving handler may take to finish
     */
    public void settings(long handoverMillis, int maxHeld, long drainMillis) {
        settings = new Settings(Math.max(0, handoverMillis), Math.max(0, maxHeld), Math.max(0, drainMillis));
    }

    /**
     * A handler service arrived. If it takes the place of one that left, the requests held for that one go to it.
     *
     * @param handler the service
     * @param properties its service properties
     */
    @Reference(
            service = Handler.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addHandler(Handler handler, Map<String, Object> properties) {
        Mount entry = mountOf(handler, properties);
        if (entry == null) {
            LOG.log(
                    Level.WARNING,
                    "ignoring handler {0}: its property " + Handler.PREFIX + " is missing or does not start with /",
                    handler);
            return;
        }
        String bundle = bundleLabel(properties);
        bundles.put(entry.id(), bundle);
        boolean[] previous = new boolean[1];
        State now = state.updateAndGet(current -> {
            previous[0] = current.table.mount(handler, entry.id()).isPresent();
            return new State(current.table.with(entry), current.handovers);
        });
        boolean replaced = false;
        for (Handover handover : now.handovers) {
            if (handover.samePlace(entry)) {
                replaced = true;
                LOG.log(
                        Level.INFO,
                        "handler for {0}{1} replaced: {2} -> {3}",
                        entry.host(),
                        entry.prefix(),
                        handover.bundle,
                        bundle);
                endHandover(handover, null); // the line above says so
            }
        }
        if (!replaced && !previous[0]) {
            LOG.log(
                    Level.INFO,
                    "handler {0} from {1} serves {2}{3}",
                    entry.label(),
                    bundle,
                    entry.host(),
                    entry.prefix());
        }
    }

    /**
     * A handler service's properties changed.
     *
     * @param handler the service
     * @param properties its new service properties
     */
    public void updatedHandler(Handler handler, Map<String, Object> properties) {
        addHandler(handler, properties); // replaces the service's entry, keeping its blocked-loop record
    }

    /**
     * A handler service is leaving. New requests no longer reach it; those it would have served are held for a
     * replacement; the exchanges it is serving may finish, up to the drain timeout, before this returns and the
     * service is released. Unknown or repeated removals are harmless.
     *
     * @param handler the service
     * @param properties its service properties
     */
    public void removeHandler(Handler handler, Map<String, Object> properties) {
        long serviceId = serviceId(properties);
        Settings now = settings;
        boolean holds = !deactivating && now.handoverMillis > 0;
        Mount[] removed = new Mount[1];
        Occupancy[] occupancy = new Occupancy[1];
        Handover[] started = new Handover[1];
        String bundle = bundles.getOrDefault(serviceId, bundleLabel(properties));
        state.updateAndGet(current -> {
            removed[0] = current.table.mount(handler, serviceId).orElse(null);
            started[0] = null;
            if (removed[0] == null) {
                return current;
            }
            occupancy[0] = current.table.occupancy(removed[0]);
            Router next = current.table.without(handler, serviceId);
            Handover handover = new Handover(removed[0], bundle, now.maxHeld);
            if (!holds || next.mounts().stream().anyMatch(handover::samePlace)) {
                return new State(next, current.handovers); // nothing to hold: the place is still served
            }
            started[0] = handover;
            List<Handover> handovers = new ArrayList<>(current.handovers);
            handovers.add(handover);
            return new State(next, List.copyOf(handovers));
        });
        Mount left = removed[0];
        if (left == null) {
            return;
        }
        bundles.remove(serviceId);
        LOG.log(
                Level.INFO,
                "handler {0} from {1} leaves {2}{3}{4}",
                left.label(),
                bundle,
                left.host(),
                left.prefix(),
                started[0] == null ? "" : "; its requests are held for a replacement");
        if (!deactivating) {
            drain(left, occupancy[0], now.drainMillis);
        }
        Handover handover = started[0];
        if (handover != null) {
            CompletableFuture.delayedExecutor(now.handoverMillis, TimeUnit.MILLISECONDS)
                    .execute(() -> endHandover(handover, "no replacement within " + now.handoverMillis + " ms"));
        }
    }

    private static void drain(Mount left, Occupancy occupancy, long drainMillis) {
        try {
            Occupancy.Drained drained = occupancy.drain(drainMillis);
            if (drained.finished() + drained.cut() > 0) {
                LOG.log(
                        Level.INFO,
                        "handler {0} drained in {1} ms: {2} exchanges finished, {3} ended by the drain",
                        left.label(),
                        drained.millis(),
                        drained.finished(),
                        drained.cut());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // whoever stops the bundle wants it now: release the service
            LOG.log(Level.WARNING, "drain of handler {0} interrupted; its exchanges run on", left.label());
        }
    }

    /** Ends the handovers of the services of one bundle. */
    private void endHandovers(long bundleId, String why) {
        for (Handover handover : state.get().handovers) {
            if (handover.left.bundleId() == bundleId) {
                endHandover(handover, why);
            }
        }
    }

    /**
     * Stops holding requests for the place of a handler that left; the held ones are decided from the table now.
     *
     * @param why logged with the number of requests held; null when a replacement arrived, which its caller logs
     */
    private void endHandover(Handover handover, String why) {
        state.updateAndGet(current -> {
            List<Handover> handovers = new ArrayList<>(current.handovers);
            handovers.remove(handover);
            return new State(current.table, List.copyOf(handovers));
        });
        List<Handover.Held> held = handover.end();
        if (held == null) {
            return; // ended before
        }
        if (why != null) {
            LOG.log(
                    Level.INFO,
                    "no longer holding requests for {0}{1}: {2}; {3} held requests go to the table as it is",
                    handover.left.host(),
                    handover.left.prefix(),
                    why,
                    held.size());
        }
        for (Handover.Held waiting : held) {
            waiting.decision().complete(choose(waiting.request()));
        }
    }

    private String bundleLabel(Map<String, Object> properties) {
        long id = bundleId(properties);
        BundleContext bundles = context;
        Bundle bundle = bundles == null || id < 0 ? null : bundles.getBundle(id);
        if (bundle == null) {
            return "bundle " + id;
        }
        return bundle.getSymbolicName() + " " + bundle.getVersion() + " (bundle " + id + ")";
    }

    /**
     * The mount a handler service stands for: its {@link Handler#PREFIX} (a trailing slash ignored),
     * {@link Handler#HOST}, {@code service.ranking}, {@link Handler#NONBLOCKING}, {@link Handler#COMPRESS},
     * {@code service.id} and {@code service.bundleid}.
     *
     * @return the mount, or null if the prefix is missing or does not start with {@code /}
     */
    static Mount mountOf(Handler handler, Map<String, Object> properties) {
        if (!(properties.get(Handler.PREFIX) instanceof String prefix) || !prefix.startsWith("/")) {
            return null;
        }
        long serviceId = serviceId(properties);
        return Mount.of(prefix, handler)
                .withHost(properties.get(Handler.HOST) instanceof String h ? h : null)
                .withRanking(properties.get("service.ranking") instanceof Integer r ? r : 0)
                .withNonBlocking("true".equalsIgnoreCase(String.valueOf(properties.get(Handler.NONBLOCKING))))
                .withCompress(!"false".equalsIgnoreCase(String.valueOf(properties.get(Handler.COMPRESS))))
                .withId(serviceId)
                .withBundleId(bundleId(properties))
                .withLabel(handler.getClass().getName() + " (service.id " + serviceId + ")");
    }

    static long bundleId(Map<String, Object> properties) {
        return properties.get("service.bundleid") instanceof Long id ? id : -1;
    }

    static long serviceId(Map<String, Object> properties) {
        return properties.get("service.id") instanceof Long id ? id : Mount.NO_ID;
    }

    /** @return true: a lookup in an immutable list, no lock, no I/O */
    @Override
    public boolean nonBlocking() {
        return true;
    }

    @Override
    public Decision choose(Request request) {
        State now = state.get();
        if (!now.handovers.isEmpty()) {
            Mount winner = now.table.find(request.host(), request.path()).orElse(null);
            for (Handover handover : now.handovers) {
                if (handover.wouldServe(request, winner)) {
                    Later later = handover.hold(request);
                    if (later != null) {
                        return later;
                    }
                }
            }
        }
        return now.table.choose(request);
    }

    @Override
    public List<Route> routes() {
        return state.get().table.routes();
    }

    @Override
    public void blocked(Handler handler) {
        state.get().table.blocked(handler);
    }

    @Override
    public Explanation explain(String host, String path) {
        return state.get().table.explain(host, path);
    }
}

package dev.plinth.http.core.glue;

import dev.plinth.http.core.Glue;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Tracks every {@link Handler} service and picks, per request, the one with the longest prefix matching the path,
 * then one bound to the request's host over one for any host, then the highest {@code service.ranking}, then the
 * lowest {@code service.id}. The table is an immutable sorted list replaced atomically as services come and go, so
 * a lookup never locks and never sees a half-updated table.
 *
 * <p>A handler registered with {@link Handler#NONBLOCKING}{@code =true} is chosen to run on the I/O thread until
 * the server has reported it {@value #DEMOTE_AFTER} times for holding that thread too long; from then on, for as long
 * as its service stays registered, it runs on workers.
 */
@Component(service = Glue.class, property = "service.ranking:Integer=0")
public final class DefaultGlue implements Glue {

    private static final System.Logger LOG = System.getLogger(DefaultGlue.class.getName());

    /** Sorted best first: longest prefix, host-bound, highest ranking, lowest service id. */
    private static final Comparator<Entry> PRECEDENCE = Comparator.comparingInt((Entry e) -> e.prefix.length())
            .reversed()
            .thenComparing(e -> e.host.isEmpty())
            .thenComparing(Comparator.comparingInt((Entry e) -> e.ranking).reversed())
            .thenComparingLong(e -> e.serviceId);

    /** Blocked-loop reports after which a non-blocking handler runs on workers: one slow call may be a fluke. */
    static final int DEMOTE_AFTER = 3;

    private final AtomicReference<List<Entry>> table = new AtomicReference<>(List.of());

    /** Creates an empty glue; DS binds the handlers. */
    public DefaultGlue() {}

    /**
     * A handler service arrived.
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
        Entry entry = Entry.of(handler, properties);
        if (entry == null) {
            LOG.log(
                    Level.WARNING,
                    "ignoring handler {0}: its property " + Handler.PREFIX + " is missing or does not start with /",
                    handler);
            return;
        }
        table.updateAndGet(current -> {
            List<Entry> next = new ArrayList<>(current.size() + 1);
            for (Entry e : current) {
                if (e.isService(handler, entry.serviceId)) {
                    entry.inherit(e);
                } else {
                    next.add(e);
                }
            }
            next.add(entry);
            next.sort(PRECEDENCE);
            return List.copyOf(next);
        });
        LOG.log(Level.INFO, "handler {0} serves {1}{2}", entry.description, entry.host, entry.prefix);
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
     * A handler service went away. Requests already in it finish; new ones no longer reach it.
     *
     * @param handler the service
     * @param properties its service properties
     */
    public void removeHandler(Handler handler, Map<String, Object> properties) {
        long serviceId = Entry.serviceId(properties);
        table.updateAndGet(current -> {
            List<Entry> next = new ArrayList<>(current);
            next.removeIf(e -> e.isService(handler, serviceId));
            return List.copyOf(next);
        });
    }

    /** @return true: a lookup in an immutable list, no lock, no I/O */
    @Override
    public boolean nonBlocking() {
        return true;
    }

    @Override
    public Optional<Choice> choose(Request request) {
        Entry entry = find(request);
        return entry == null ? Optional.empty() : entry.choice;
    }

    @Override
    public void blocked(Handler handler) {
        for (Entry entry : table.get()) {
            if (entry.handler == handler) {
                entry.offended(); // every registration of that object: the same code blocks
            }
        }
    }

    private Entry find(Request request) {
        String host = request.host();
        String path = request.path();
        for (Entry entry : table.get()) {
            if (entry.matchesPath(path) && entry.matchesHost(host)) {
                return entry;
            }
        }
        return null;
    }

    @Override
    public Explanation explain(String host, String path) {
        String requestHost = host.toLowerCase(Locale.ROOT);
        Entry winner = null;
        for (Entry entry : table.get()) {
            if (entry.matchesPath(path) && entry.matchesHost(requestHost)) {
                winner = entry;
                break;
            }
        }
        Optional<Candidate> chosen = Optional.empty();
        List<Candidate> others = new ArrayList<>();
        for (Entry entry : table.get()) {
            if (entry == winner) {
                chosen = Optional.of(
                        entry.candidate("the best match: longest prefix, then host, then ranking; " + entry.runs()));
            } else {
                others.add(entry.candidate(whyNot(entry, winner, path, requestHost)));
            }
        }
        return new Explanation(host, path, chosen, List.copyOf(others));
    }

    private static String whyNot(Entry entry, Entry winner, String path, String host) {
        if (!entry.matchesPath(path)) {
            return "its prefix " + entry.prefix + " does not match the path";
        }
        if (!entry.matchesHost(host)) {
            return "it serves only the host " + entry.host;
        }
        if (entry.prefix.length() < winner.prefix.length()) {
            return "its prefix " + entry.prefix + " is shorter than " + winner.prefix;
        }
        if (entry.host.isEmpty() && !winner.host.isEmpty()) {
            return "it serves any host; the winner is bound to " + winner.host;
        }
        if (entry.ranking < winner.ranking) {
            return "its service.ranking " + entry.ranking + " is lower than " + winner.ranking;
        }
        return "same prefix, host and ranking; its service.id " + entry.serviceId + " is higher than "
                + winner.serviceId;
    }

    /** One handler service and the properties that place it. */
    private static final class Entry {
        final Handler handler;
        final String prefix;
        final String host;
        final int ranking;
        final long serviceId;
        final String description;
        final boolean nonBlocking;
        /** Kept, so a lookup allocates nothing; replaced once if the handler is demoted. */
        volatile Optional<Choice> choice;

        private final AtomicInteger offences = new AtomicInteger();

        private Entry(Handler handler, String prefix, String host, int ranking, long serviceId, boolean nonBlocking) {
            this.handler = handler;
            this.prefix = prefix;
            this.host = host;
            this.ranking = ranking;
            this.serviceId = serviceId;
            this.nonBlocking = nonBlocking;
            this.description = handler.getClass().getName() + " (service.id " + serviceId + ")";
            this.choice = Optional.of(new Choice(handler, prefix, nonBlocking));
        }

        /** The same service, re-registered with new properties: its offences and a demotion stay. */
        void inherit(Entry previous) {
            offences.set(previous.offences.get());
            if (nonBlocking && offences.get() >= DEMOTE_AFTER) {
                choice = Optional.of(new Choice(handler, prefix, false));
            }
        }

        void offended() {
            int count = offences.incrementAndGet();
            if (nonBlocking && count == DEMOTE_AFTER) {
                choice = Optional.of(new Choice(handler, prefix, false));
                LOG.log(
                        Level.WARNING,
                        "handler {0} held an I/O thread too long {1} times although it declared " + Handler.NONBLOCKING
                                + "; it runs on workers from now on",
                        description,
                        count);
            }
        }

        String runs() {
            if (!nonBlocking) {
                return "runs on workers";
            }
            return choice.get().nonBlocking()
                    ? "runs on the I/O thread (" + Handler.NONBLOCKING + ")"
                    : "runs on workers: demoted after " + offences.get() + " blocked-loop reports";
        }

        static Entry of(Handler handler, Map<String, Object> properties) {
            Object prefix = properties.get(Handler.PREFIX);
            if (!(prefix instanceof String text) || !text.startsWith("/")) {
                return null;
            }
            String normalised = text.length() > 1 && text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
            Object host = properties.get(Handler.HOST);
            Object ranking = properties.get("service.ranking");
            Object nonBlocking = properties.get(Handler.NONBLOCKING);
            return new Entry(
                    handler,
                    normalised,
                    host instanceof String h ? h.trim().toLowerCase(Locale.ROOT) : "",
                    ranking instanceof Integer r ? r : 0,
                    serviceId(properties),
                    "true".equalsIgnoreCase(String.valueOf(nonBlocking)));
        }

        static long serviceId(Map<String, Object> properties) {
            return properties.get("service.id") instanceof Long id ? id : Long.MAX_VALUE;
        }

        /**
         * One object may be registered as several services (several prefixes): each is its own entry, told apart by
         * its {@code service.id}; without one, every entry of the object matches.
         */
        boolean isService(Handler other, long otherServiceId) {
            return handler == other && (otherServiceId == Long.MAX_VALUE || serviceId == otherServiceId);
        }

        boolean matchesPath(String path) {
            if (prefix.equals("/")) {
                return true;
            }
            return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
        }

        boolean matchesHost(String requestHost) {
            return host.isEmpty() || host.equals(requestHost);
        }

        Candidate candidate(String verdict) {
            return new Candidate(description, prefix, host, ranking, verdict);
        }
    }
}

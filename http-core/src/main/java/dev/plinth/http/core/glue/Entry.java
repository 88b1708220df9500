package dev.plinth.http.core.glue;

import dev.plinth.http.core.Glue.Candidate;
import dev.plinth.http.core.Glue.Choice;
import dev.plinth.http.core.Occupancy;
import dev.plinth.http.handler.Handler;
import java.lang.System.Logger.Level;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** One handler service and the properties that place it. */
final class Entry {

    private static final System.Logger LOG = System.getLogger(DefaultGlue.class.getName());

    /** Sorted best first: longest prefix, host-bound, highest ranking, lowest service id. */
    static final Comparator<Entry> PRECEDENCE = Comparator.comparingInt((Entry e) -> e.prefix.length())
            .reversed()
            .thenComparing(e -> e.host.isEmpty())
            .thenComparing(Comparator.comparingInt((Entry e) -> e.ranking).reversed())
            .thenComparingLong(e -> e.serviceId);

    final Handler handler;
    final String prefix;
    final String host;
    final int ranking;
    final long serviceId;
    final String description;
    final boolean nonBlocking;
    /** False when the service says {@code plinth.handler.compress=false}. */
    final boolean compress;

    final long bundleId;
    /** The bundle's name, version and id, for the log. */
    final String bundle;
    /** The service's exchanges in progress; kept when its properties change. */
    Occupancy occupancy = new Occupancy();
    /** Kept, so a lookup allocates nothing; replaced once if the handler is demoted. */
    volatile Choice choice;

    private final AtomicInteger offences = new AtomicInteger();

    private Entry(
            Handler handler,
            String prefix,
            String host,
            int ranking,
            long serviceId,
            boolean nonBlocking,
            boolean compress,
            long bundleId,
            String bundle) {
        this.handler = handler;
        this.prefix = prefix;
        this.host = host;
        this.ranking = ranking;
        this.serviceId = serviceId;
        this.nonBlocking = nonBlocking;
        this.compress = compress;
        this.bundleId = bundleId;
        this.bundle = bundle;
        this.description = handler.getClass().getName() + " (service.id " + serviceId + ")";
        this.choice = new Choice(handler, prefix, nonBlocking, occupancy, compress);
    }

    /** The same service, re-registered with new properties: its exchanges, offences and a demotion stay. */
    void inherit(Entry previous) {
        occupancy = previous.occupancy;
        offences.set(previous.offences.get());
        choice = new Choice(
                handler, prefix, nonBlocking && offences.get() < DefaultGlue.DEMOTE_AFTER, occupancy, compress);
    }

    /** @return whether this one wins over the other for a request both match */
    boolean precedes(Entry other) {
        return PRECEDENCE.compare(this, other) < 0;
    }

    /** @return whether the other serves the same host and prefix: it takes this one's place */
    boolean samePlace(Entry other) {
        return prefix.equals(other.prefix) && host.equals(other.host);
    }

    void offended() {
        int count = offences.incrementAndGet();
        if (nonBlocking && count == DefaultGlue.DEMOTE_AFTER) {
            choice = new Choice(handler, prefix, false, occupancy, compress);
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
        return choice.nonBlocking()
                ? "runs on the I/O thread (" + Handler.NONBLOCKING + ")"
                : "runs on workers: demoted after " + offences.get() + " blocked-loop reports";
    }

    static Entry of(Handler handler, Map<String, Object> properties, String bundle) {
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
                "true".equalsIgnoreCase(String.valueOf(nonBlocking)),
                !"false".equalsIgnoreCase(String.valueOf(properties.get(Handler.COMPRESS))),
                bundleId(properties),
                bundle);
    }

    static long bundleId(Map<String, Object> properties) {
        return properties.get("service.bundleid") instanceof Long id ? id : -1;
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

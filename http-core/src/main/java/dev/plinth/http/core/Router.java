package dev.plinth.http.core;

import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plinth's routing rules as a plain {@link Glue}: each request goes to the {@linkplain Mount mount} with the longest
 * prefix matching its path, then one bound to the request's host over one for any host, then the highest ranking,
 * then the lowest id. A prefix matches whole path segments: {@code /app} matches {@code /app} and {@code /app/x},
 * not {@code /application}; {@code /} matches every path. The chosen handler sees the rest of the path as
 * {@link Request#pathBelowPrefix()}.
 *
 * <p>Built in code, without OSGi:
 *
 * <pre>{@code
 * Router router = Router.builder()
 *         .mount("/", files)
 *         .mount(Router.Mount.of("/hello", hello).withHost("example.org").withCompress(false))
 *         .build();
 * }</pre>
 *
 * <p>A router is immutable: {@link #with} and {@link #without} return a new one. The default glue of the OSGi
 * distribution is such a table, replaced as handler services come and go; a mount replaced by {@link #with} keeps
 * its exchanges in progress ({@link #occupancy}) and its record of blocked I/O threads. {@link #choose} is a lookup
 * in a sorted list: no lock, no allocation, so the router says it may be asked on an I/O thread
 * ({@link #nonBlocking()}). A mount {@linkplain Mount#withNonBlocking declared non-blocking} runs on the I/O thread
 * until the server has reported it {@value #DEMOTE_AFTER} times for holding that thread too long; from then on it
 * runs on workers.
 *
 * @since 3.4
 */
public final class Router implements Glue {

    /** Blocked-loop reports after which a non-blocking mount runs on workers: one slow call may be a fluke. */
    public static final int DEMOTE_AFTER = 3;

    private static final System.Logger LOG = System.getLogger(Router.class.getName());
    private static final Router EMPTY = new Router(List.of());

    /** Best first. */
    private final List<Slot> table;

    private Router(List<Slot> table) {
        this.table = table;
    }

    /** @return a builder of a router with no mounts yet */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds a mount, or replaces the mounts of the same handler with the same id (every mount of that handler if
     * the new one has no id). A replaced mount's exchanges in progress and blocked-loop record carry over.
     *
     * @param mount the mount
     * @return a router with it
     */
    public Router with(Mount mount) {
        List<Slot> next = new ArrayList<>(table.size() + 1);
        Slot added = new Slot(mount);
        for (Slot slot : table) {
            if (slot.isOf(mount.handler, mount.id)) {
                added.inherit(slot);
            } else {
                next.add(slot);
            }
        }
        next.add(added);
        next.sort(Comparator.comparing((Slot s) -> s.mount, Mount.PRECEDENCE));
        return new Router(List.copyOf(next));
    }

    /**
     * @param handler a handler
     * @param id the id of its mount, or {@link Mount#NO_ID} for every mount of the handler
     * @return a router without those mounts; this one if it has none of them
     */
    public Router without(Handler handler, long id) {
        List<Slot> next = new ArrayList<>(table);
        return next.removeIf(slot -> slot.isOf(handler, id)) ? new Router(List.copyOf(next)) : this;
    }

    /**
     * @param handler a handler
     * @param id the id of its mount, or {@link Mount#NO_ID} for any mount of the handler
     * @return the best such mount, if this router has one
     */
    public Optional<Mount> mount(Handler handler, long id) {
        for (Slot slot : table) {
            if (slot.isOf(handler, id)) {
                return Optional.of(slot.mount);
            }
        }
        return Optional.empty();
    }

    /** @return the mounts, best first */
    public List<Mount> mounts() {
        return table.stream().map(slot -> slot.mount).toList();
    }

    /**
     * The exchanges in progress in a mount: the server enters each exchange it gives the mount's handler, so that
     * whoever takes the mount away can {@linkplain Occupancy#drain drain} them.
     *
     * @param mount one of this router's mounts
     * @return its exchanges in progress; {@link Occupancy#UNTRACKED} if the mount is not this router's
     */
    public Occupancy occupancy(Mount mount) {
        for (Slot slot : table) {
            if (slot.mount == mount) {
                return slot.occupancy;
            }
        }
        return Occupancy.UNTRACKED;
    }

    /**
     * @param host the request's host, without port, lower case; empty for none
     * @param path the decoded request path
     * @return the mount that serves it, if any
     */
    public Optional<Mount> find(String host, String path) {
        Slot slot = slotFor(host, path);
        return slot == null ? Optional.empty() : Optional.of(slot.mount);
    }

    private Slot slotFor(String host, String path) {
        for (Slot slot : table) {
            if (slot.mount.matches(host, path)) {
                return slot;
            }
        }
        return null;
    }

    /** @return true: a lookup in an immutable list, no lock, no I/O */
    @Override
    public boolean nonBlocking() {
        return true;
    }

    @Override
    public Decision choose(Request request) {
        Slot slot = slotFor(request.host(), request.path());
        return slot == null ? NOT_FOUND : slot.choice;
    }

    @Override
    public void blocked(Handler handler) {
        for (Slot slot : table) {
            if (slot.mount.handler == handler) {
                slot.offended(); // every mount of that object: the same code blocks
            }
        }
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>(table.size());
        for (Slot s : table) {
            Mount m = s.mount;
            routes.add(new Route(
                    m.id, m.bundleId, m.label(), m.prefix, m.host, m.ranking, s.occupancy.inFlight(), s.runs()));
        }
        return List.copyOf(routes);
    }

    @Override
    public Explanation explain(String host, String path) {
        String requestHost = host.toLowerCase(Locale.ROOT);
        Slot winner = slotFor(requestHost, path);
        Optional<Candidate> chosen = Optional.empty();
        List<Candidate> others = new ArrayList<>();
        for (Slot slot : table) {
            if (slot == winner) {
                chosen = Optional.of(
                        slot.candidate("the best match: longest prefix, then host, then ranking; " + slot.runs()));
            } else {
                others.add(slot.candidate(whyNot(slot.mount, winner == null ? null : winner.mount, path, requestHost)));
            }
        }
        return new Explanation(host, path, chosen, List.copyOf(others));
    }

    /** @param winner the mount chosen; null only if none matches, and then neither does this one */
    private static String whyNot(Mount mount, Mount winner, String path, String host) {
        if (!mount.matchesPath(path)) {
            return "its prefix " + mount.prefix + " does not match the path";
        }
        if (!mount.matchesHost(host)) {
            return "it serves only the host " + mount.host;
        }
        if (mount.prefix.length() < winner.prefix.length()) {
            return "its prefix " + mount.prefix + " is shorter than " + winner.prefix;
        }
        if (mount.host.isEmpty() && !winner.host.isEmpty()) {
            return "it serves any host; the winner is bound to " + winner.host;
        }
        if (mount.ranking < winner.ranking) {
            return "its service.ranking " + mount.ranking + " is lower than " + winner.ranking;
        }
        return "same prefix, host and ranking; its service.id " + mount.id + " is higher than " + winner.id;
    }

    @Override
    public String toString() {
        return "Router" + mounts();
    }

    /**
     * Collects mounts, then {@linkplain #build builds} a router. Mounts given no id are numbered in the order they
     * are added, so of two otherwise equal mounts the first one added wins.
     */
    public static final class Builder {

        private final List<Mount> mounts = new ArrayList<>();

        private Builder() {}

        /**
         * Mounts a handler for any host, ranking 0, run on workers, its responses compressible.
         *
         * @param prefix the paths it serves, such as {@code /} or {@code /docs}
         * @param handler the handler
         * @return this builder
         * @throws IllegalArgumentException if the prefix does not start with {@code /}
         */
        public Builder mount(String prefix, Handler handler) {
            return mount(Mount.of(prefix, handler));
        }

        /**
         * @param mount a handler with its prefix and options
         * @return this builder
         */
        public Builder mount(Mount mount) {
            if (mount == null) {
                throw new IllegalArgumentException("a mount is required");
            }
            mounts.add(mount);
            return this;
        }

        /** @return a router with the mounts added so far */
        public Router build() {
            Router router = EMPTY;
            long next = 0;
            for (Mount mount : mounts) {
                router = router.with(mount.id == Mount.NO_ID ? mount.withId(next) : mount);
                next++;
            }
            return router;
        }
    }

    /**
     * A handler at a path prefix, with the options that place it and say how to run it: the code form of a
     * handler service's properties ({@link Handler#PREFIX}, {@link Handler#HOST}, {@code service.ranking},
     * {@link Handler#NONBLOCKING}, {@link Handler#COMPRESS}, {@code service.id}). Immutable: each {@code with}
     * method returns a changed copy.
     */
    public static final class Mount {

        /** The id of a mount that has none: it is placed after every mount with an id of the same standing. */
        public static final long NO_ID = Long.MAX_VALUE;

        /** Best first: longest prefix, host-bound, highest ranking, lowest id. */
        static final Comparator<Mount> PRECEDENCE = Comparator.comparingInt((Mount m) -> m.prefix.length())
                .reversed()
                .thenComparing(m -> m.host.isEmpty())
                .thenComparing(Comparator.comparingInt((Mount m) -> m.ranking).reversed())
                .thenComparingLong(m -> m.id);

        private final Handler handler;
        private final String prefix;
        private final String host;
        private final int ranking;
        private final boolean nonBlocking;
        private final boolean compress;
        private final long id;
        private final long bundleId;
        private final String label;

        private Mount(
                Handler handler,
                String prefix,
                String host,
                int ranking,
                boolean nonBlocking,
                boolean compress,
                long id,
                long bundleId,
                String label) {
            this.handler = handler;
            this.prefix = prefix;
            this.host = host;
            this.ranking = ranking;
            this.nonBlocking = nonBlocking;
            this.compress = compress;
            this.id = id;
            this.bundleId = bundleId;
            this.label = label;
        }

        /**
         * A handler serving the paths under a prefix, for any host, ranking 0, run on workers, its responses
         * compressible, with no id.
         *
         * @param prefix the paths it serves, such as {@code /} or {@code /docs}; a trailing slash is ignored
         * @param handler the handler
         * @return the mount
         * @throws IllegalArgumentException if the prefix does not start with {@code /}, or the handler is null
         */
        public static Mount of(String prefix, Handler handler) {
            if (prefix == null || !prefix.startsWith("/")) {
                throw new IllegalArgumentException("a mount's prefix must start with /: " + prefix);
            }
            if (handler == null) {
                throw new IllegalArgumentException("a mount needs a handler");
            }
            String normalised =
                    prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
            return new Mount(handler, normalised, "", 0, false, true, NO_ID, -1, null);
        }

        /**
         * @param newHost the only host served (a name without port, any case), or null or blank for any host; a
         *        mount bound to the request's host beats one for any host with the same prefix
         * @return a copy serving that host
         */
        public Mount withHost(String newHost) {
            String h = newHost == null ? "" : newHost.trim().toLowerCase(Locale.ROOT);
            return new Mount(handler, prefix, h, ranking, nonBlocking, compress, id, bundleId, label);
        }

        /**
         * @param newRanking the ranking: of two mounts with the same prefix and host, the higher one serves
         * @return a copy with that ranking
         */
        public Mount withRanking(int newRanking) {
            return new Mount(handler, prefix, host, newRanking, nonBlocking, compress, id, bundleId, label);
        }

        /**
         * @param runsInline whether the handler never blocks, so that the server may call it on the I/O thread that
         *        read the request (see {@link Handler#NONBLOCKING})
         * @return a copy so declared
         */
        public Mount withNonBlocking(boolean runsInline) {
            return new Mount(handler, prefix, host, ranking, runsInline, compress, id, bundleId, label);
        }

        /**
         * @param compressible false to keep the server from compressing this handler's responses on the fly (see
         *        {@link Handler#COMPRESS})
         * @return a copy so declared
         */
        public Mount withCompress(boolean compressible) {
            return new Mount(handler, prefix, host, ranking, nonBlocking, compressible, id, bundleId, label);
        }

        /**
         * @param newId the mount's id (a {@code service.id} in OSGi): the last tie-breaker, lower wins; with the
         *        handler, it names the mount to {@link Router#with} and {@link Router#without}
         * @return a copy with that id
         */
        public Mount withId(long newId) {
            return new Mount(handler, prefix, host, ranking, nonBlocking, compress, newId, bundleId, label);
        }

        /**
         * @param newBundleId the id of the OSGi bundle that registered the handler, for {@link Route}; -1 for none
         * @return a copy with that bundle id
         */
        public Mount withBundleId(long newBundleId) {
            return new Mount(handler, prefix, host, ranking, nonBlocking, compress, id, newBundleId, label);
        }

        /**
         * @param newLabel how explanations and routes name the handler; null for its class name
         * @return a copy with that label
         */
        public Mount withLabel(String newLabel) {
            return new Mount(handler, prefix, host, ranking, nonBlocking, compress, id, bundleId, newLabel);
        }

        /** @return the handler */
        public Handler handler() {
            return handler;
        }

        /** @return the prefix, without a trailing slash unless it is {@code /} */
        public String prefix() {
            return prefix;
        }

        /** @return the host served, lower case; empty for any host */
        public String host() {
            return host;
        }

        /** @return the ranking */
        public int ranking() {
            return ranking;
        }

        /** @return whether the handler may run on the I/O thread (unless demoted) */
        public boolean nonBlocking() {
            return nonBlocking;
        }

        /** @return whether the server may compress the handler's responses */
        public boolean compress() {
            return compress;
        }

        /** @return the id, or {@link #NO_ID} */
        public long id() {
            return id;
        }

        /** @return the id of the OSGi bundle that registered the handler, or -1 */
        public long bundleId() {
            return bundleId;
        }

        /** @return how explanations and routes name the handler */
        public String label() {
            return label != null ? label : handler.getClass().getName();
        }

        /**
         * @param requestHost the request's host, without port, lower case; empty for none
         * @param path the decoded request path
         * @return whether this mount may serve the request: its prefix matches the path and its host the host
         */
        public boolean matches(String requestHost, String path) {
            return matchesPath(path) && matchesHost(requestHost);
        }

        /**
         * @param other another mount
         * @return whether this one wins over the other for a request both match
         */
        public boolean precedes(Mount other) {
            return PRECEDENCE.compare(this, other) < 0;
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

        @Override
        public String toString() {
            return (host.isEmpty() ? "" : host) + prefix + " -> " + label();
        }
    }

    /** A mount in a router, with what the server has done with it: its exchanges and its blocked-loop reports. */
    private static final class Slot {

        final Mount mount;
        /** The mount's exchanges in progress; kept when the mount is replaced. */
        Occupancy occupancy = new Occupancy();
        /** Kept, so a lookup allocates nothing; replaced once if the handler is demoted. */
        volatile Choice choice;

        private final AtomicInteger offences = new AtomicInteger();

        Slot(Mount mount) {
            this.mount = mount;
            this.choice = new Choice(mount.handler, mount.prefix, mount.nonBlocking, occupancy, mount.compress);
        }

        /** The same mount, replaced: its exchanges, offences and a demotion stay. */
        void inherit(Slot previous) {
            occupancy = previous.occupancy;
            offences.set(previous.offences.get());
            choice = new Choice(
                    mount.handler,
                    mount.prefix,
                    mount.nonBlocking && offences.get() < DEMOTE_AFTER,
                    occupancy,
                    mount.compress);
        }

        /**
         * One object may be mounted several times (several prefixes): each is its own mount, told apart by its id;
         * without one, every mount of the object matches.
         */
        boolean isOf(Handler other, long otherId) {
            return mount.handler == other && (otherId == Mount.NO_ID || mount.id == otherId);
        }

        void offended() {
            int count = offences.incrementAndGet();
            if (mount.nonBlocking && count == DEMOTE_AFTER) {
                choice = new Choice(mount.handler, mount.prefix, false, occupancy, mount.compress);
                LOG.log(
                        Level.WARNING,
                        "handler {0} held an I/O thread too long {1} times although it declared " + Handler.NONBLOCKING
                                + "; it runs on workers from now on",
                        mount.label(),
                        count);
            }
        }

        String runs() {
            if (!mount.nonBlocking) {
                return "runs on workers";
            }
            return choice.nonBlocking()
                    ? "runs on the I/O thread (" + Handler.NONBLOCKING + ")"
                    : "runs on workers: demoted after " + offences.get() + " blocked-loop reports";
        }

        Candidate candidate(String verdict) {
            return new Candidate(mount.label(), mount.prefix, mount.host, mount.ranking, verdict);
        }
    }
}

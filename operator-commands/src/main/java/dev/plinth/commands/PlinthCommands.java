package dev.plinth.commands;

import dev.plinth.http.core.Glue;
import dev.plinth.http.core.Glue.Candidate;
import dev.plinth.http.core.Glue.Explanation;
import dev.plinth.http.core.Glue.Route;
import dev.plinth.http.transport.ConnectionInfo;
import dev.plinth.http.transport.Listener;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@code plinth} commands of the Gogo shell. Gogo finds this service by its {@code osgi.command.*} properties
 * and calls its public methods by name; each returns the text the shell prints (and ends with a line feed). The
 * commands only read: the glue's routing table and explanations, and what each listener says of its connections and
 * counters.
 */
@Component(
        service = PlinthCommands.class,
        property = {
            "osgi.command.scope=plinth",
            "osgi.command.function=handlers",
            "osgi.command.function=explain",
            "osgi.command.function=connections",
            "osgi.command.function=stats"
        })
public final class PlinthCommands {

    private static final String SERVICE_ID = "service.id";
    private static final String RANKING = "service.ranking";

    /** Shows a bundle id as {@code [id] symbolic-name version}. */
    private final LongFunction<String> bundles;

    /** Every glue service with its properties; the server uses the best-ranked one. Set by DS; tests set it too. */
    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile List<Map.Entry<Map<String, Object>, Glue>> glues = List.of();

    /** Every listener. Set by DS; tests set it too. */
    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile List<Listener> listeners = List.of();

    /**
     * Called by Declarative Services.
     *
     * @param context this bundle's context, to name the bundles that registered handlers
     */
    @Activate
    public PlinthCommands(BundleContext context) {
        this(id -> describe(id, context.getBundle(id)));
    }

    /** @param bundles shows a bundle id as {@code [id] symbolic-name version} */
    PlinthCommands(LongFunction<String> bundles) {
        this.bundles = bundles;
    }

    /**
     * {@code plinth:handlers}: the handlers the server routes to now, best first, as the glue it uses sees them.
     *
     * @return one line per handler service: prefix, host, ranking, service id, bundle, exchanges in flight, where it
     *         runs, and its class
     */
    public String handlers() {
        Optional<Map.Entry<Map<String, Object>, Glue>> used = usedGlue();
        if (used.isEmpty()) {
            return noGlue();
        }
        StringBuilder text = new StringBuilder(glueLine(used.get()));
        List<Route> routes = used.get().getValue().routes();
        if (routes.isEmpty()) {
            return shown(text.append("no handler is registered: every path answers 404\n")
                    .toString());
        }
        Table table = new Table("PREFIX", "HOST", "RANKING", "SERVICE", "BUNDLE", "IN FLIGHT", "RUNS", "HANDLER");
        for (Route route : routes) {
            table.row(
                    route.prefix(),
                    anyHost(route.host()),
                    route.ranking(),
                    route.serviceId(),
                    route.bundleId() < 0 ? "unknown" : bundles.apply(route.bundleId()),
                    route.inFlight(),
                    route.runs().replaceFirst("^runs ", ""),
                    route.handler().replace(" (service.id " + route.serviceId() + ")", ""));
        }
        return shown(text.append(table).toString());
    }

    /**
     * {@code plinth:explain PATH}: which handler a request for this path goes to on any host, and why each other
     * handler lost.
     *
     * @param path the decoded request path, such as {@code /hello}
     * @return the handler chosen (or 404) and every other candidate with the reason it lost
     */
    public String explain(String path) {
        return explain(path, "");
    }

    /**
     * {@code plinth:explain PATH HOST}: which handler a request for this path and host goes to, and why each other
     * handler lost.
     *
     * @param path the decoded request path, such as {@code /hello}
     * @param host the request's {@code Host}, such as {@code example.com} (a port is ignored); empty for none
     * @return the handler chosen (or 404) and every other candidate with the reason it lost
     */
    public String explain(String path, String host) {
        if (!path.startsWith("/")) {
            return "a path starts with /, such as /" + path;
        }
        Optional<Map.Entry<Map<String, Object>, Glue>> used = usedGlue();
        if (used.isEmpty()) {
            return noGlue();
        }
        Explanation explanation = used.get().getValue().explain(withoutPort(host), path);
        StringBuilder text = new StringBuilder()
                .append(path)
                .append(" on ")
                .append(explanation.host().isEmpty() ? "any host" : "host " + explanation.host())
                .append('\n');
        if (explanation.chosen().isPresent()) {
            candidate(text, "chosen", explanation.chosen().get());
        } else {
            text.append("chosen  none: the answer is 404\n");
        }
        for (Candidate other : explanation.others()) {
            candidate(text, "lost", other);
        }
        return shown(text.toString());
    }

    /**
     * {@code plinth:connections}: the connections open now, per listener, oldest first.
     *
     * @return for each listener, one line per connection: remote address, age, requests served, state, bytes queued
     */
    public String connections() {
        return eachListener(listener -> {
            List<ConnectionInfo> connections = new ArrayList<>(listener.connections());
            connections.sort(Comparator.comparing(ConnectionInfo::age).reversed());
            String heading = "listener " + Formats.hostAndPort(listener.address()) + ": " + connections.size()
                    + (connections.size() == 1 ? " connection\n" : " connections\n");
            if (connections.isEmpty()) {
                return heading;
            }
            Table table = new Table("REMOTE", "AGE", "REQUESTS", "STATE", "QUEUED BYTES");
            for (ConnectionInfo connection : connections) {
                table.row(
                        Formats.hostAndPort(connection.remoteAddress()),
                        Formats.age(connection.age()),
                        connection.requestsServed(),
                        connection.state(),
                        connection.queuedBytes());
            }
            return heading + table;
        });
    }

    /**
     * {@code plinth:stats}: the counters of each listener since it started.
     *
     * @return for each listener, its counters one per line
     */
    public String stats() {
        return eachListener(
                listener -> "listener " + Formats.hostAndPort(listener.address()) + "\n" + listener.stats());
    }

    /** @return what {@code describe} says of each listener, in the order of their ports */
    private String eachListener(Function<Listener, String> describe) {
        List<Listener> all = new ArrayList<>(listeners);
        if (all.isEmpty()) {
            return noListener();
        }
        all.sort(Comparator.comparingInt(l -> l.address().getPort()));
        StringBuilder text = new StringBuilder();
        for (Listener listener : all) {
            text.append(describe.apply(listener));
        }
        return shown(text.toString());
    }

    /** The glue the server uses: DS gives a listener the best-ranked glue, then the oldest (lowest id). */
    private Optional<Map.Entry<Map<String, Object>, Glue>> usedGlue() {
        return glues.stream()
                .min(Comparator.comparing((Map.Entry<Map<String, Object>, Glue> g) -> ranking(g))
                        .reversed()
                        .thenComparingLong(g -> serviceId(g)));
    }

    private String glueLine(Map.Entry<Map<String, Object>, Glue> used) {
        String line = "glue " + used.getValue().getClass().getName() + " (service.id " + serviceId(used)
                + ", service.ranking " + ranking(used) + ")";
        int unused = glues.size() - 1;
        if (unused > 0) {
            line += "; " + unused + (unused == 1 ? " other glue, ranked lower, is" : " other glues, ranked lower, are")
                    + " not used";
        }
        return line + "\n";
    }

    private static void candidate(StringBuilder text, String label, Candidate candidate) {
        text.append(String.format("%-6s  ", label))
                .append(candidate.handler())
                .append("  prefix ")
                .append(candidate.prefix())
                .append("  host ")
                .append(anyHost(candidate.host()))
                .append("  ranking ")
                .append(candidate.ranking())
                .append("\n        ")
                .append(candidate.verdict())
                .append('\n');
    }

    private static String anyHost(String host) {
        return host.isEmpty() ? "any" : host;
    }

    /**
     * @param host a host as a request's {@code Host} gives it
     * @return the host without its port, as the glue matches it: {@code example.com:8080} becomes
     *         {@code example.com}, {@code [::1]:8080} becomes {@code [::1]}; a bare IPv6 address is kept whole
     */
    static String withoutPort(String host) {
        String trimmed = host.trim();
        int colon = trimmed.lastIndexOf(':');
        boolean bracketed = trimmed.startsWith("[");
        if (colon < 0 || (bracketed ? colon < trimmed.indexOf(']') : trimmed.indexOf(':') != colon)) {
            return trimmed;
        }
        String port = trimmed.substring(colon + 1);
        return !port.isEmpty() && port.chars().allMatch(c -> c >= '0' && c <= '9')
                ? trimmed.substring(0, colon)
                : trimmed;
    }

    private static int ranking(Map.Entry<Map<String, Object>, Glue> glue) {
        return glue.getKey().get(RANKING) instanceof Integer ranking ? ranking : 0;
    }

    private static long serviceId(Map.Entry<Map<String, Object>, Glue> glue) {
        return glue.getKey().get(SERVICE_ID) instanceof Long id ? id : Long.MAX_VALUE;
    }

    /** Gogo ends what a command returns with a line feed of its own. */
    private static String shown(String text) {
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private static String noGlue() {
        return "no glue service: nothing routes requests to handlers (is the dev.plinth.http.core bundle active?)";
    }

    private static String noListener() {
        return "no listener: the server accepts no connections (is the dev.plinth.http.transport bundle active?)";
    }

    private static String describe(long id, Bundle bundle) {
        return bundle == null
                ? "[" + id + "] (uninstalled)"
                : "[" + id + "] " + bundle.getSymbolicName() + " " + bundle.getVersion();
    }
}

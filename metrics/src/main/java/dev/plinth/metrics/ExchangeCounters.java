package dev.plinth.metrics;

import dev.plinth.http.core.AccessLog;
import dev.plinth.http.core.ExchangeFacts;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access log sink that counts: per port the exchange arrived on ({@link ListenerCounts}), and per prefix the
 * glue chose a handler by ({@link MountCounts}). Non-blocking: the server calls it on the thread that ends the
 * exchange, possibly an I/O thread. Once a port and a prefix have been seen, counting one exchange takes a scan of a
 * small array, a hash lookup and a few atomic additions: no lock and no allocation.
 */
final class ExchangeCounters implements AccessLog {

    /** Copied on write: ports are few and come rarely. */
    private volatile ListenerCounts[] ports = new ListenerCounts[0];

    private final ConcurrentHashMap<String, MountCounts> prefixes = new ConcurrentHashMap<>();

    @Override
    public void exchangeCompleted(ExchangeFacts facts) {
        // The mount first: a reader who sees the listener's count of exchanges sees this one's mount counted too.
        String prefix = facts.prefix();
        if (!prefix.isEmpty()) {
            prefix(prefix).record(facts.status(), facts.complete());
        }
        InetSocketAddress local = facts.local();
        if (local != null) {
            port(local.getPort()).record(facts.status(), facts.durationNanos(), facts.complete());
        }
    }

    /** @return true: counting never blocks */
    @Override
    public boolean nonBlocking() {
        return true;
    }

    /**
     * @param port a listener's port
     * @return the counts of the exchanges that arrived on it, made empty the first time
     */
    ListenerCounts port(int port) {
        for (ListenerCounts counts : ports) {
            if (counts.port == port) {
                return counts;
            }
        }
        synchronized (this) {
            ListenerCounts[] now = ports;
            for (ListenerCounts counts : now) {
                if (counts.port == port) {
                    return counts;
                }
            }
            ListenerCounts added = new ListenerCounts(port);
            ListenerCounts[] next = Arrays.copyOf(now, now.length + 1);
            next[now.length] = added;
            ports = next;
            return added;
        }
    }

    /**
     * Drops a port's counts, when no listener is left on it: a listener bound to it later starts from zero, as its
     * own counters do.
     *
     * @param port the port
     */
    synchronized void forget(int port) {
        ports = Arrays.stream(ports).filter(c -> c.port != port).toArray(ListenerCounts[]::new);
    }

    /**
     * @param prefix a handler prefix, as the glue normalises it ({@code /docs}, {@code /})
     * @return the counts of the exchanges routed by it, made empty the first time; kept while this bundle runs, so a
     *     handler updated or replaced goes on from its predecessor's figures
     */
    MountCounts prefix(String prefix) {
        MountCounts counts = prefixes.get(prefix);
        return counts != null ? counts : prefixes.computeIfAbsent(prefix, p -> new MountCounts());
    }
}

package dev.plinth.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the access log facts tell of the exchanges on one port: responses by status class, exchanges that ended
 * without their whole response, and their durations. The listener's own counters (connections, bytes, errors) are in
 * its {@link dev.plinth.http.transport.ServerStats}.
 */
final class ListenerCounts {

    final int port;

    /** Responses by status class: index 0 for 1xx to 4 for 5xx. */
    private final LongAdder[] byClass = new LongAdder[5];

    private final LongAdder incomplete = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();

    /** @param port the port the exchanges arrived on */
    ListenerCounts(int port) {
        this.port = port;
        for (int i = 0; i < byClass.length; i++) {
            byClass[i] = new LongAdder();
        }
    }

    /**
     * Counts one exchange.
     *
     * @param status the status sent; outside 100-599 (0 when no response began) it counts in no class
     * @param nanos its duration
     * @param complete whether its response was sent whole
     */
    void record(int status, long nanos, boolean complete) {
        if (status >= 100 && status <= 599) {
            byClass[status / 100 - 1].increment();
        }
        if (!complete) {
            incomplete.increment();
        }
        latency.record(nanos);
    }

    /**
     * @param statusClass 1 for 1xx to 5 for 5xx
     * @return responses of that class
     */
    long responses(int statusClass) {
        return byClass[statusClass - 1].sum();
    }

    /** @return exchanges that ended without their whole response */
    long incomplete() {
        return incomplete.sum();
    }

    /** @return the durations now */
    LatencyHistogram.Snapshot latency() {
        return latency.snapshot();
    }
}

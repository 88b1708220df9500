package dev.plinth.metrics;

import java.util.List;

/**
 * The figures of the listeners and handlers in the Prometheus text format ({@link PrometheusText}). Listeners are
 * labelled by port ({@code listener="8080"}), handlers by prefix ({@code prefix="/docs"}).
 */
final class Exposition {

    private static final String LISTENER = "listener";
    private static final String PREFIX = "prefix";
    private static final String DURATION = "plinth_request_duration_seconds";

    private Exposition() {}

    /**
     * The figures of one port: its listeners' counters (added up, if several listen on it on different addresses)
     * and the counts of the exchanges that arrived on it.
     *
     * @param port the port
     * @param open connections open now
     * @param total connections accepted
     * @param refused connections refused
     * @param bytesIn bytes read from clients
     * @param bytesOut bytes written to clients
     * @param errors the listeners' errors
     * @param counts the exchanges' counts
     */
    record PortFigures(
            int port,
            long open,
            long total,
            long refused,
            long bytesIn,
            long bytesOut,
            long errors,
            ListenerCounts counts) {}

    /**
     * The figures of one prefix.
     *
     * @param prefix the prefix
     * @param requests exchanges routed by it
     * @param errors those answered 5xx or ended without their whole response
     * @param inFlight exchanges its handlers serve now
     */
    record PrefixFigures(String prefix, long requests, long errors, long inFlight) {}

    /**
     * @param ports the ports, in the order to write them
     * @param prefixes the prefixes, in the order to write them
     * @return the exposition
     */
    static String text(List<PortFigures> ports, List<PrefixFigures> prefixes) {
        PrometheusText text = new PrometheusText();
        text.family("plinth_connections_open", "gauge", "Connections open now.");
        ports.forEach(p -> text.sample("plinth_connections_open", p.open(), LISTENER, port(p)));
        text.family(
                "plinth_connections_total",
                "counter",
                "Connections accepted since the listener started, refused ones included.");
        ports.forEach(p -> text.sample("plinth_connections_total", p.total(), LISTENER, port(p)));
        text.family(
                "plinth_connections_refused_total",
                "counter",
                "Connections refused with 503 because the listener's connection limit was reached.");
        ports.forEach(p -> text.sample("plinth_connections_refused_total", p.refused(), LISTENER, port(p)));
        text.family("plinth_requests_total", "counter", "Responses sent, by status class.");
        for (PortFigures p : ports) {
            for (int statusClass = 1; statusClass <= 5; statusClass++) {
                text.sample(
                        "plinth_requests_total",
                        p.counts().responses(statusClass),
                        LISTENER,
                        port(p),
                        "code",
                        statusClass + "xx");
            }
        }
        text.family(
                "plinth_incomplete_responses_total",
                "counter",
                "Exchanges that ended without their whole response: closed short, or before any response.");
        ports.forEach(
                p -> text.sample("plinth_incomplete_responses_total", p.counts().incomplete(), LISTENER, port(p)));
        text.family(DURATION, "histogram", "Time from the end of a request's head to the end of its response.");
        ports.forEach(p -> latency(text, p));
        text.family("plinth_received_bytes_total", "counter", "Bytes read from clients.");
        ports.forEach(p -> text.sample("plinth_received_bytes_total", p.bytesIn(), LISTENER, port(p)));
        text.family("plinth_sent_bytes_total", "counter", "Bytes written to clients.");
        ports.forEach(p -> text.sample("plinth_sent_bytes_total", p.bytesOut(), LISTENER, port(p)));
        text.family(
                "plinth_errors_total",
                "counter",
                "Rejected requests, 5xx answers, and connections closed mid-response or by a timeout.");
        ports.forEach(p -> text.sample("plinth_errors_total", p.errors(), LISTENER, port(p)));
        text.family("plinth_handler_requests_total", "counter", "Exchanges routed to the handlers of a prefix.");
        prefixes.forEach(h -> text.sample("plinth_handler_requests_total", h.requests(), PREFIX, h.prefix()));
        text.family(
                "plinth_handler_errors_total",
                "counter",
                "Exchanges of a prefix answered 5xx or ended without their whole response.");
        prefixes.forEach(h -> text.sample("plinth_handler_errors_total", h.errors(), PREFIX, h.prefix()));
        text.family("plinth_handler_in_flight", "gauge", "Exchanges the handlers of a prefix are serving now.");
        prefixes.forEach(h -> text.sample("plinth_handler_in_flight", h.inFlight(), PREFIX, h.prefix()));
        return text.toString();
    }

    private static void latency(PrometheusText text, PortFigures p) {
        LatencyHistogram.Snapshot latency = p.counts().latency();
        long[] cumulative = latency.cumulative();
        for (int i = 0; i < cumulative.length; i++) {
            double bound = i < LatencyHistogram.BOUNDS_SECONDS.length
                    ? LatencyHistogram.BOUNDS_SECONDS[i]
                    : Double.POSITIVE_INFINITY;
            text.sample(DURATION + "_bucket", cumulative[i], LISTENER, port(p), "le", PrometheusText.number(bound));
        }
        text.sample(DURATION + "_sum", latency.sumSeconds(), LISTENER, port(p));
        text.sample(DURATION + "_count", cumulative[cumulative.length - 1], LISTENER, port(p));
    }

    private static String port(PortFigures p) {
        return Integer.toString(p.port());
    }
}

package dev.plinth.metrics;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The figures of the listeners and handlers in the Prometheus text format ({@link PrometheusText}). Listeners are
 * labelled by port ({@code listener="8080"}), handlers by prefix ({@code prefix="/docs"}). The TLS families have a
 * sample for every port, 0 for plain listeners, so that every listener has the same series.
 */
final class Exposition {

    private static final String LISTENER = "listener";
    private static final String PREFIX = "prefix";
    private static final String DURATION = "plinth_request_duration_seconds";
    private static final String TLS_FAILURES = "plinth_tls_failures_total";
    private static final String COUNTER = "counter";
    private static final String GAUGE = "gauge";

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
     * @param tls the listeners' TLS figures
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
            TlsFigures tls,
            ListenerCounts counts) {}

    /**
     * The TLS figures of one port, all 0 for a plain listener.
     *
     * @param handshakes handshakes completed
     * @param failures handshakes that failed
     * @param timeouts connections closed because their handshake was not over in time
     * @param plainHttp connections that spoke plain HTTP to a TLS port
     * @param renegotiations connections closed because the client tried to renegotiate TLS 1.2
     */
    record TlsFigures(long handshakes, long failures, long timeouts, long plainHttp, long renegotiations) {

        /** None at all. */
        static final TlsFigures NONE = new TlsFigures(0, 0, 0, 0, 0);

        /**
         * @param other the figures of another listener on the same port
         * @return these and those added up
         */
        TlsFigures plus(TlsFigures other) {
            return new TlsFigures(
                    handshakes + other.handshakes,
                    failures + other.failures,
                    timeouts + other.timeouts,
                    plainHttp + other.plainHttp,
                    renegotiations + other.renegotiations);
        }
    }

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
        perPort(text, ports, "plinth_connections_open", GAUGE, "Connections open now.", PortFigures::open);
        perPort(
                text,
                ports,
                "plinth_connections_total",
                COUNTER,
                "Connections accepted since the listener started, refused ones included.",
                PortFigures::total);
        perPort(
                text,
                ports,
                "plinth_connections_refused_total",
                COUNTER,
                "Connections refused with 503 because the listener's connection limit was reached.",
                PortFigures::refused);
        text.family("plinth_requests_total", COUNTER, "Responses sent, by status class.");
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
        perPort(
                text,
                ports,
                "plinth_incomplete_responses_total",
                COUNTER,
                "Exchanges that ended without their whole response: closed short, or before any response.",
                p -> p.counts().incomplete());
        text.family(DURATION, "histogram", "Time from the end of a request's head to the end of its response.");
        ports.forEach(p -> latency(text, p));
        perPort(text, ports, "plinth_received_bytes_total", COUNTER, "Bytes read from clients.", PortFigures::bytesIn);
        perPort(text, ports, "plinth_sent_bytes_total", COUNTER, "Bytes written to clients.", PortFigures::bytesOut);
        perPort(
                text,
                ports,
                "plinth_errors_total",
                COUNTER,
                "Rejected requests, 5xx answers, and connections closed mid-response or by a timeout.",
                PortFigures::errors);
        perPort(
                text,
                ports,
                "plinth_tls_handshakes_total",
                COUNTER,
                "TLS handshakes completed.",
                p -> p.tls().handshakes());
        text.family(
                TLS_FAILURES,
                COUNTER,
                "TLS connections closed on a failure, by reason: a handshake that failed (handshake_failure) or was"
                        + " not over in time (handshake_timeout), plain HTTP sent to a TLS port (plain_http), a TLS 1.2"
                        + " renegotiation refused (renegotiation).");
        ports.forEach(p -> tlsFailures(text, p));
        perPrefix(
                text,
                prefixes,
                "plinth_handler_requests_total",
                COUNTER,
                "Exchanges routed to the handlers of a prefix.",
                PrefixFigures::requests);
        perPrefix(
                text,
                prefixes,
                "plinth_handler_errors_total",
                COUNTER,
                "Exchanges of a prefix answered 5xx or ended without their whole response.",
                PrefixFigures::errors);
        perPrefix(
                text,
                prefixes,
                "plinth_handler_in_flight",
                GAUGE,
                "Exchanges the handlers of a prefix are serving now.",
                PrefixFigures::inFlight);
        return text.toString();
    }

    /** Writes a family with one sample per port. */
    private static void perPort(
            PrometheusText text,
            List<PortFigures> ports,
            String name,
            String type,
            String help,
            ToLongFunction<PortFigures> value) {
        text.family(name, type, help);
        ports.forEach(p -> text.sample(name, value.applyAsLong(p), LISTENER, port(p)));
    }

    /** Writes a family with one sample per prefix. */
    private static void perPrefix(
            PrometheusText text,
            List<PrefixFigures> prefixes,
            String name,
            String type,
            String help,
            ToLongFunction<PrefixFigures> value) {
        text.family(name, type, help);
        prefixes.forEach(h -> text.sample(name, value.applyAsLong(h), PREFIX, h.prefix()));
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

    private static void tlsFailures(PrometheusText text, PortFigures p) {
        text.sample(TLS_FAILURES, p.tls().failures(), LISTENER, port(p), "reason", "handshake_failure");
        text.sample(TLS_FAILURES, p.tls().timeouts(), LISTENER, port(p), "reason", "handshake_timeout");
        text.sample(TLS_FAILURES, p.tls().plainHttp(), LISTENER, port(p), "reason", "plain_http");
        text.sample(TLS_FAILURES, p.tls().renegotiations(), LISTENER, port(p), "reason", "renegotiation");
    }

    private static String port(PortFigures p) {
        return Integer.toString(p.port());
    }
}

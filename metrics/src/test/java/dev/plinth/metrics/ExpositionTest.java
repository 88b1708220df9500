package dev.plinth.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plinth.metrics.Exposition.PortFigures;
import dev.plinth.metrics.Exposition.PrefixFigures;
import dev.plinth.metrics.Exposition.TlsFigures;
import dev.plinth.metrics.TextFormat.Family;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpositionTest {

    @Test
    void everyFamilyWithHelpTypeAndTheFiguresOfEachPortAndPrefix() {
        ListenerCounts main = new ListenerCounts(8080);
        main.record(200, 300_000, true); // 0.3 ms
        main.record(200, 700_000, true); // 0.7 ms
        main.record(404, 1_000_000, true); // 1 ms, on the bound
        main.record(500, 12_000_000_000L, true); // 12 s
        main.record(0, 2_000_000, false);
        ListenerCounts second = new ListenerCounts(9090);
        second.record(302, 100, true);

        String text = Exposition.text(
                List.of(
                        new PortFigures(8080, 2, 10, 1, 1_000, 20_000, 3, new TlsFigures(21, 22, 23, 24, 25), main),
                        new PortFigures(9090, 0, 1, 0, 80, 120, 0, TlsFigures.NONE, second)),
                List.of(new PrefixFigures("/", 7, 1, 0), new PrefixFigures("/a \"b\"", 2, 0, 1)));
        Map<String, Family> families = TextFormat.parse(text);

        assertEquals(
                List.of(
                        "plinth_connections_open",
                        "plinth_connections_total",
                        "plinth_connections_refused_total",
                        "plinth_requests_total",
                        "plinth_incomplete_responses_total",
                        "plinth_request_duration_seconds",
                        "plinth_received_bytes_total",
                        "plinth_sent_bytes_total",
                        "plinth_errors_total",
                        "plinth_tls_handshakes_total",
                        "plinth_tls_failures_total",
                        "plinth_handler_requests_total",
                        "plinth_handler_errors_total",
                        "plinth_handler_in_flight"),
                List.copyOf(families.keySet()));
        assertEquals("gauge", families.get("plinth_connections_open").type());
        assertEquals(
                "histogram", families.get("plinth_request_duration_seconds").type());
        assertEquals("counter", families.get("plinth_sent_bytes_total").type());
        assertEquals("gauge", families.get("plinth_handler_in_flight").type());

        assertEquals(2, value(families, "plinth_connections_open", "listener", "8080"));
        assertEquals(10, value(families, "plinth_connections_total", "listener", "8080"));
        assertEquals(1, value(families, "plinth_connections_total", "listener", "9090"));
        assertEquals(1, value(families, "plinth_connections_refused_total", "listener", "8080"));
        assertEquals(1_000, value(families, "plinth_received_bytes_total", "listener", "8080"));
        assertEquals(20_000, value(families, "plinth_sent_bytes_total", "listener", "8080"));
        assertEquals(3, value(families, "plinth_errors_total", "listener", "8080"));
        assertEquals(1, value(families, "plinth_incomplete_responses_total", "listener", "8080"));

        assertEquals("counter", families.get("plinth_tls_handshakes_total").type());
        assertEquals(21, value(families, "plinth_tls_handshakes_total", "listener", "8080"));
        assertEquals(0, value(families, "plinth_tls_handshakes_total", "listener", "9090"), "a plain listener too");
        Family tls = families.get("plinth_tls_failures_total");
        String failures = "plinth_tls_failures_total";
        assertEquals("counter", tls.type());
        assertEquals(22, tls.value(failures, "listener", "8080", "reason", "handshake_failure"));
        assertEquals(23, tls.value(failures, "listener", "8080", "reason", "handshake_timeout"));
        assertEquals(24, tls.value(failures, "listener", "8080", "reason", "plain_http"));
        assertEquals(25, tls.value(failures, "listener", "8080", "reason", "renegotiation"));
        assertEquals(8, tls.samples().size(), "four reasons on each port");
        tls.samples().stream()
                .filter(s -> s.labels().get("listener").equals("9090"))
                .forEach(s -> assertEquals(0, s.value(), s::toString));

        Family requests = families.get("plinth_requests_total");
        assertEquals(10, requests.samples().size());
        assertEquals(0, requests.value("plinth_requests_total", "listener", "8080", "code", "1xx"));
        assertEquals(2, requests.value("plinth_requests_total", "listener", "8080", "code", "2xx"));
        assertEquals(1, requests.value("plinth_requests_total", "listener", "8080", "code", "4xx"));
        assertEquals(1, requests.value("plinth_requests_total", "listener", "8080", "code", "5xx"));
        assertEquals(1, requests.value("plinth_requests_total", "listener", "9090", "code", "3xx"));

        Family latency = families.get("plinth_request_duration_seconds");
        String name = "plinth_request_duration_seconds";
        assertEquals(1, latency.value(name + "_bucket", "listener", "8080", "le", "0.0005"));
        assertEquals(3, latency.value(name + "_bucket", "listener", "8080", "le", "0.001"));
        assertEquals(4, latency.value(name + "_bucket", "listener", "8080", "le", "0.0025"));
        assertEquals(4, latency.value(name + "_bucket", "listener", "8080", "le", "10"));
        assertEquals(5, latency.value(name + "_bucket", "listener", "8080", "le", "+Inf"));
        assertEquals(5, latency.value(name + "_count", "listener", "8080"));
        assertEquals(12.004, latency.value(name + "_sum", "listener", "8080"), 1e-9);
        assertEquals(1, latency.value(name + "_count", "listener", "9090"));
        assertEquals(
                2 * (LatencyHistogram.BOUNDS_SECONDS.length + 3),
                latency.samples().size());

        assertEquals(7, value(families, "plinth_handler_requests_total", "prefix", "/"));
        assertEquals(2, value(families, "plinth_handler_requests_total", "prefix", "/a \"b\""));
        assertEquals(1, value(families, "plinth_handler_errors_total", "prefix", "/"));
        assertEquals(1, value(families, "plinth_handler_in_flight", "prefix", "/a \"b\""));
        assertEquals(true, text.contains("{prefix=\"/a \\\"b\\\"\"}"));
    }

    @Test
    void withNothingToShowEveryFamilyIsStillDeclared() {
        Map<String, Family> families = TextFormat.parse(Exposition.text(List.of(), List.of()));
        assertEquals(14, families.size());
        families.values().forEach(f -> assertEquals(List.of(), f.samples()));
    }

    private static double value(Map<String, Family> families, String name, String... labels) {
        return families.get(name).value(name, labels);
    }
}

package dev.plinth.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.ExchangeFacts;
import dev.plinth.http.core.Glue;
import dev.plinth.http.core.Glue.Route;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.testing.TestRequest;
import dev.plinth.http.transport.ConnectionInfo;
import dev.plinth.http.transport.HttpServer;
import dev.plinth.http.transport.Listener;
import dev.plinth.http.transport.ServerStats;
import dev.plinth.metrics.TextFormat.Family;
import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.junit.jupiter.api.Test;

class MetricsComponentTest {

    /** An MBean server of the test's own (not kept by the factory), never the platform's. */
    private final MBeanServer server = MBeanServerFactory.newMBeanServer();

    private final List<Registered> endpoints = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();
    private long nextServiceId = 100;

    /** A handler service the component registered, and whether it unregistered it since. */
    private static final class Registered {
        final Handler handler;
        final Dictionary<String, Object> properties;
        boolean unregistered;

        Registered(Handler handler, Dictionary<String, Object> properties) {
            this.handler = handler;
            this.properties = properties;
        }
    }

    @Test
    void aListenerMBeanComesAndGoesWithItsService() throws Exception {
        MetricsComponent metrics = started(config(true, ""));
        Map<String, Object> listener = listener(metrics, 8080, "127.0.0.1", stats(4, 10));
        ObjectName name = new ObjectName("dev.plinth:type=Listener,port=8080");
        metrics.exchangeCompleted(facts(8080, "/", 200, 2_000_000, true));
        metrics.exchangeCompleted(facts(8080, "/", 201, 2_000_000, true));
        metrics.exchangeCompleted(facts(8080, "", 404, 400_000, true));
        metrics.exchangeCompleted(facts(8080, "/", 500, 20_000_000_000L, false));

        assertTrue(server.isRegistered(name));
        assertEquals(8080, server.getAttribute(name, "Port"));
        assertEquals("127.0.0.1", server.getAttribute(name, "Host"));
        assertEquals(4L, server.getAttribute(name, "ConnectionsOpen"));
        assertEquals(10L, server.getAttribute(name, "ConnectionsTotal"));
        assertEquals(1L, server.getAttribute(name, "ConnectionsRefused"));
        assertEquals(11L, server.getAttribute(name, "Requests"));
        assertEquals(0L, server.getAttribute(name, "Requests1xx"));
        assertEquals(2L, server.getAttribute(name, "Requests2xx"));
        assertEquals(0L, server.getAttribute(name, "Requests3xx"));
        assertEquals(1L, server.getAttribute(name, "Requests4xx"));
        assertEquals(1L, server.getAttribute(name, "Requests5xx"));
        assertEquals(1L, server.getAttribute(name, "IncompleteResponses"));
        assertEquals(12L, server.getAttribute(name, "BytesIn"));
        assertEquals(13L, server.getAttribute(name, "BytesOut"));
        assertEquals(14L, server.getAttribute(name, "Errors"));
        assertEquals(15L, server.getAttribute(name, "PeakQueuedBytes"));
        assertEquals(16L, server.getAttribute(name, "TlsHandshakes"));
        assertEquals(17L, server.getAttribute(name, "TlsHandshakeFailures"));
        assertEquals(18L, server.getAttribute(name, "TlsHandshakeTimeouts"));
        assertEquals(19L, server.getAttribute(name, "TlsPlainHttp"));
        assertEquals(20L, server.getAttribute(name, "TlsRenegotiationsRefused"));
        double[] bounds = (double[]) server.getAttribute(name, "LatencyBucketBounds");
        long[] counts = (long[]) server.getAttribute(name, "LatencyBucketCounts");
        assertEquals(15, bounds.length);
        assertEquals(0.0005, bounds[0]);
        assertEquals(Double.POSITIVE_INFINITY, bounds[14]);
        assertArrayEquals(new long[] {1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, counts);
        assertEquals(4L, server.getAttribute(name, "LatencyCount"));
        assertEquals(20.0044, (Double) server.getAttribute(name, "LatencySumSeconds"), 1e-9);
        assertEquals(1.75, (Double) server.getAttribute(name, "LatencyP50Millis"), 1e-9);
        assertEquals(10_000.0, server.getAttribute(name, "LatencyP90Millis"));
        assertEquals(10_000.0, server.getAttribute(name, "LatencyP99Millis"));

        metrics.removeListener(null, listener);

        assertFalse(server.isRegistered(name));
        assertEquals(List.of(), metrics.names());
    }

    @Test
    void twoListenersOnOnePortHaveTwoNamesAndShareTheCountsOfThePort() throws Exception {
        MetricsComponent metrics = started(config(true, ""));
        Map<String, Object> first = listener(metrics, 8080, "127.0.0.1", stats(1, 1));
        listener(metrics, 8080, "127.0.0.2", stats(2, 2));
        metrics.exchangeCompleted(facts(8080, "/", 200, 1, true));
        ObjectName byPort = new ObjectName("dev.plinth:type=Listener,port=8080");
        ObjectName byHost = new ObjectName("dev.plinth:type=Listener,port=8080,host=\"127.0.0.2\"");

        assertEquals(1L, server.getAttribute(byPort, "ConnectionsOpen"));
        assertEquals(2L, server.getAttribute(byHost, "ConnectionsOpen"));
        assertEquals(1L, server.getAttribute(byHost, "Requests2xx"));

        metrics.removeListener(null, first);

        assertFalse(server.isRegistered(byPort));
        assertEquals(1L, server.getAttribute(byHost, "Requests2xx"), "the port's counts stay while it has a listener");
    }

    @Test
    void aNameTakenBySomeoneElseIsNoError() throws Exception {
        ObjectName taken = new ObjectName("dev.plinth:type=Handler,prefix=\"/api\"");
        server.registerMBean(new StandardMBean(() -> 7, Runnable7.class), taken);
        MetricsComponent metrics = started(config(true, ""));

        handler(metrics, "/api", null);

        List<ObjectName> names = metrics.names();
        assertEquals(1, names.size());
        assertTrue(names.get(0).toString().startsWith("dev.plinth:type=Handler,prefix=\"/api\",id="), names::toString);
        assertEquals("/api", server.getAttribute(names.get(0), "Prefix"));
    }

    /** An MBean interface for a stranger's MBean. */
    public interface Runnable7 {
        /** @return 7 */
        int getSeven();
    }

    @Test
    void aHandlerMBeanPerMountWhileAServiceServesIt() throws Exception {
        MetricsComponent metrics = started(config(true, ""));
        Map<String, Object> first = handler(metrics, "/api/", null);
        Map<String, Object> second = handler(metrics, "/api", null);
        handler(metrics, "/api", " Example.COM");
        metrics.glue = glue();
        routes.add(route("/api", "", 2));
        routes.add(route("/api", "", 1));
        routes.add(route("/api", "example.com", 5));
        routes.add(route("/other", "", 9));
        metrics.exchangeCompleted(facts(8080, "/api", 200, 1, true));
        metrics.exchangeCompleted(facts(8080, "/api", 503, 1, true));
        metrics.exchangeCompleted(facts(8080, "/api", 200, 1, false));
        ObjectName any = new ObjectName("dev.plinth:type=Handler,prefix=\"/api\"");
        ObjectName host = new ObjectName("dev.plinth:type=Handler,prefix=\"/api\",host=\"example.com\"");

        assertEquals(2, metrics.names().size());
        assertEquals("/api", server.getAttribute(any, "Prefix"));
        assertEquals("", server.getAttribute(any, "Host"));
        assertEquals(2, server.getAttribute(any, "Services"));
        assertEquals(3L, server.getAttribute(any, "Requests"));
        assertEquals(2L, server.getAttribute(any, "Errors"));
        assertEquals(3, server.getAttribute(any, "InFlight"));
        assertEquals("example.com", server.getAttribute(host, "Host"));
        assertEquals(1, server.getAttribute(host, "Services"));
        assertEquals(5, server.getAttribute(host, "InFlight"));
        assertEquals(3L, server.getAttribute(host, "Requests"), "the facts name the prefix only");

        metrics.handlerLeft(first);
        assertTrue(server.isRegistered(any));
        assertEquals(1, server.getAttribute(any, "Services"));

        metrics.handlerLeft(second);
        assertFalse(server.isRegistered(any));
        assertTrue(server.isRegistered(host));
    }

    @Test
    void aHandlerWhosePrefixChangesMovesItsMBean() throws Exception {
        MetricsComponent metrics = started(config(true, ""));
        Map<String, Object> properties = handler(metrics, "/old", null);
        metrics.handlerChanged(properties); // unchanged: stays

        properties.put(Handler.PREFIX, "/new");
        metrics.handlerChanged(properties);

        assertFalse(server.isRegistered(new ObjectName("dev.plinth:type=Handler,prefix=\"/old\"")));
        assertTrue(server.isRegistered(new ObjectName("dev.plinth:type=Handler,prefix=\"/new\"")));

        properties.put(Handler.PREFIX, "relative"); // the glue drops it too
        metrics.handlerChanged(properties);
        assertEquals(List.of(), metrics.names());
        metrics.handlerLeft(properties);
        assertEquals(List.of(), metrics.names());
    }

    @Test
    void aHandlerWithoutAPathPrefixIsIgnoredAsTheGlueIgnoresIt() {
        MetricsComponent metrics = started(config(true, ""));
        handler(metrics, "no-slash", null);
        Map<String, Object> none = new HashMap<>(Map.of("service.id", nextServiceId++));
        metrics.handlerArrived(none);
        metrics.handlerLeft(none);

        assertEquals(List.of(), metrics.names());
    }

    @Test
    void withJmxOffNoMBeanUntilItIsSwitchedOn() throws Exception {
        MetricsComponent metrics = started(config(false, ""));
        listener(metrics, 8080, "127.0.0.1", stats(0, 0));
        handler(metrics, "/", null);
        assertEquals(List.of(), metrics.names());
        assertTrue(server.queryNames(new ObjectName("dev.plinth:*"), null).isEmpty());

        metrics.apply(config(true, ""));
        assertEquals(2, server.queryNames(new ObjectName("dev.plinth:*"), null).size());

        metrics.apply(config(false, ""));
        assertTrue(server.queryNames(new ObjectName("dev.plinth:*"), null).isEmpty());
    }

    @Test
    void thePrometheusHandlerIsRegisteredOnlyAtAConfiguredPath() {
        MetricsComponent metrics = started(config(true, ""));
        assertEquals(0, endpoints.size());

        metrics.apply(config(true, " /metrics "));
        assertEquals(1, endpoints.size());
        assertEquals("/metrics", endpoints.get(0).properties.get(Handler.PREFIX));
        assertNull(endpoints.get(0).properties.get(Handler.NONBLOCKING), "it runs on workers");

        metrics.apply(config(true, "/prometheus"));
        assertTrue(endpoints.get(0).unregistered);
        assertEquals("/prometheus", endpoints.get(1).properties.get(Handler.PREFIX));

        metrics.apply(config(true, "relative"));
        assertTrue(endpoints.get(1).unregistered);
        assertEquals(2, endpoints.size(), "a path without / is refused (logged)");

        metrics.apply(config(true, ""));
        assertEquals(2, endpoints.size());
    }

    @Test
    void aConfigurationFromConfigAdminIsCheckedAndARefusedOneChangesNothing() {
        MetricsComponent metrics = started(config(true, "/metrics"));
        metrics.modified(Map.of("prometheusPath", "relative"));
        metrics.modified(Map.of("jmx", "maybe"));
        metrics.modified(Map.of("prometheusPth", "/typo"));
        assertEquals(1, endpoints.size(), "nothing changed");
        assertFalse(endpoints.get(0).unregistered);
        metrics.modified(Map.of("prometheusPath", "/prometheus", "service.pid", MetricsComponent.PID));
        assertTrue(endpoints.get(0).unregistered);
        assertEquals("/prometheus", endpoints.get(1).properties.get(Handler.PREFIX));
    }

    @Test
    void unregisteringThePrometheusHandlerWaitsForItsScrapesWithoutDeadlock() throws Exception {
        // The glue's unregistration waits for the handler's exchanges in flight: a scrape running meanwhile on
        // another thread must finish, whatever the component holds while unregistering.
        List<String> scraped = new ArrayList<>();
        MetricsComponent[] component = new MetricsComponent[1];
        component[0] = new MetricsComponent(config(true, "/metrics"), server, (handler, properties) -> () -> {
            try {
                scraped.add(CompletableFuture.supplyAsync(() -> component[0].prometheus())
                        .get(5, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new AssertionError("the scrape in flight did not finish", e);
            }
        });
        component[0].start();
        listener(component[0], 8080, "127.0.0.1", stats(0, 0));

        component[0].apply(config(false, "/elsewhere"));
        component[0].stop();

        assertEquals(2, scraped.size());
        assertTrue(scraped.get(0).contains("plinth_connections_open{listener=\"8080\"} 0\n"), scraped::toString);
    }

    @Test
    void stoppingUnregistersEveryMBeanAndTheHandler() throws Exception {
        MetricsComponent metrics = started(config(true, "/metrics"));
        Map<String, Object> listener = listener(metrics, 8080, "127.0.0.1", stats(0, 0));
        Map<String, Object> handler = handler(metrics, "/", null);

        metrics.stop();

        assertTrue(server.queryNames(new ObjectName("dev.plinth:*"), null).isEmpty());
        assertTrue(endpoints.get(0).unregistered);
        listener(metrics, 9090, "127.0.0.1", stats(0, 0));
        handler(metrics, "/late", null);
        metrics.removeListener(null, listener);
        metrics.handlerLeft(handler);
        assertTrue(server.queryNames(new ObjectName("dev.plinth:*"), null).isEmpty(), "nothing after stopping");
    }

    @Test
    void thePrometheusHandlerShowsTheSameFigures() throws Exception {
        MetricsComponent metrics = started(config(false, "/metrics"));
        listener(metrics, 8080, "127.0.0.1", stats(4, 10));
        listener(metrics, 8080, "127.0.0.2", stats(1, 1));
        listener(metrics, 9090, "127.0.0.1", plain(0, 3));
        handler(metrics, "/api", null);
        handler(metrics, "/api", "example.com");
        handler(metrics, "/", null);
        metrics.glue = glue();
        routes.add(route("/api", "", 2));
        routes.add(route("/api", "example.com", 1));
        metrics.exchangeCompleted(facts(8080, "/api", 200, 2_000_000, true));
        metrics.exchangeCompleted(facts(8080, "/api", 500, 2_000_000, true));
        metrics.exchangeCompleted(facts(9090, "", 404, 100, true));

        Request request = TestRequest.get("/metrics").prefix("/metrics");
        Handler endpoint = endpoints.get(0).handler;
        String text = PrometheusHandlerTest.text(
                endpoint.handle(request).toCompletableFuture().join().body());
        Map<String, Family> families = TextFormat.parse(text);

        assertEquals(5, value(families, "plinth_connections_open", "listener", "8080"), "two listeners, one port");
        assertEquals(11, value(families, "plinth_connections_total", "listener", "8080"));
        assertEquals(3, value(families, "plinth_connections_total", "listener", "9090"));
        assertEquals(32, value(families, "plinth_tls_handshakes_total", "listener", "8080"), "16 on each listener");
        Family tls = families.get("plinth_tls_failures_total");
        String failures = "plinth_tls_failures_total";
        assertEquals(34, tls.value(failures, "listener", "8080", "reason", "handshake_failure"));
        assertEquals(36, tls.value(failures, "listener", "8080", "reason", "handshake_timeout"));
        assertEquals(38, tls.value(failures, "listener", "8080", "reason", "plain_http"));
        assertEquals(40, tls.value(failures, "listener", "8080", "reason", "renegotiation"));
        assertEquals(0, value(families, "plinth_tls_handshakes_total", "listener", "9090"), "a plain listener too");
        for (String reason : List.of("handshake_failure", "handshake_timeout", "plain_http", "renegotiation")) {
            assertEquals(0, tls.value(failures, "listener", "9090", "reason", reason), reason);
        }
        assertEquals(
                1,
                families.get("plinth_requests_total")
                        .value("plinth_requests_total", "listener", "8080", "code", "2xx"));
        assertEquals(
                1,
                families.get("plinth_requests_total")
                        .value("plinth_requests_total", "listener", "9090", "code", "4xx"));
        assertEquals(
                2,
                families.get("plinth_request_duration_seconds")
                        .value("plinth_request_duration_seconds_count", "listener", "8080"));
        assertEquals(2, value(families, "plinth_handler_requests_total", "prefix", "/api"));
        assertEquals(1, value(families, "plinth_handler_errors_total", "prefix", "/api"));
        assertEquals(3, value(families, "plinth_handler_in_flight", "prefix", "/api"), "every host of the prefix");
        assertEquals(0, value(families, "plinth_handler_requests_total", "prefix", "/"));
        assertEquals(2, families.get("plinth_handler_requests_total").samples().size());
        assertTrue(server.queryNames(new ObjectName("dev.plinth:*"), null).isEmpty(), "JMX is off");
    }

    private MetricsComponent started(MetricsComponent.Config config) {
        MetricsComponent metrics = new MetricsComponent(config, server, (handler, properties) -> {
            Registered registered = new Registered(handler, properties);
            endpoints.add(registered);
            return () -> registered.unregistered = true;
        });
        metrics.start();
        return metrics;
    }

    private Map<String, Object> listener(MetricsComponent metrics, int port, String host, ServerStats stats) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.id", nextServiceId++);
        properties.put(Listener.PORT, port);
        properties.put(Listener.HOST, host);
        metrics.addListener(new FixedListener(new InetSocketAddress(host, port), stats), properties);
        return properties;
    }

    private Map<String, Object> handler(MetricsComponent metrics, String prefix, String host) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.id", nextServiceId++);
        properties.put(Handler.PREFIX, prefix);
        if (host != null) {
            properties.put(Handler.HOST, host);
        }
        metrics.handlerArrived(properties);
        return properties;
    }

    private Glue glue() {
        return new Glue() {
            @Override
            public Decision choose(Request request) {
                return NOT_FOUND;
            }

            @Override
            public Explanation explain(String host, String path) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<Route> routes() {
                return List.copyOf(routes);
            }
        };
    }

    private static Route route(String prefix, String host, int inFlight) {
        return new Route(1, 1, "handler", prefix, host, 0, inFlight, "runs on workers");
    }

    private static double value(Map<String, Family> families, String name, String... labels) {
        return families.get(name).value(name, labels);
    }

    private static ExchangeFacts facts(int port, String prefix, int status, long nanos, boolean complete) {
        return ExchangeCountersTest.facts(port, prefix, status, nanos, complete);
    }

    /**
     * Counters whose every figure is distinct: open, total, then refused 1, requests 11, bytes in 12... peak queued
     * bytes 15, then TLS handshakes 16, failures 17, timeouts 18, plain HTTP 19, renegotiations 20.
     */
    private static ServerStats stats(long open, long total) {
        return new FixedStats(open, total, 1, 11, 12, 13, 14, 15, 0, 0, 16, 17, 18, 19, 20);
    }

    /** The counters of {@link #stats} on a plain listener: every TLS figure 0. */
    private static ServerStats plain(long open, long total) {
        return new FixedStats(open, total, 1, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0);
    }

    /** A listener's counters, fixed. */
    private record FixedStats(
            long connectionsOpen,
            long connectionsTotal,
            long connectionsRefused,
            long requests,
            long bytesIn,
            long bytesOut,
            long errors,
            long peakQueuedBytes,
            long inlineCalls,
            long blockedLoops,
            long tlsHandshakes,
            long tlsHandshakeFailures,
            long tlsHandshakeTimeouts,
            long tlsPlainHttp,
            long tlsRenegotiationsRefused)
            implements ServerStats {}

    /** A listener service that only tells its address and counters. */
    private record FixedListener(InetSocketAddress address, ServerStats stats) implements Listener {
        @Override
        public List<ConnectionInfo> connections() {
            return List.of();
        }

        @Override
        public HttpServer.Drained drain(long graceMillis) {
            throw new UnsupportedOperationException("metrics never drain");
        }
    }

    private static MetricsComponent.Config config(boolean jmx, String prometheusPath) {
        return new MetricsComponent.Config() {
            @Override
            public boolean jmx() {
                return jmx;
            }

            @Override
            public String prometheusPath() {
                return prometheusPath;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return MetricsComponent.Config.class;
            }
        };
    }
}

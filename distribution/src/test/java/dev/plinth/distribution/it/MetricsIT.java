package dev.plinth.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.plinth.distribution.it.HttpProbe.Reply;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Response;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.management.MBeanServer;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The metrics bundle inside Felix ({@link ContainerTest}): requests over real sockets, then the figures read back
 * through the platform MBean server and from the Prometheus text format.
 *
 * <p>Each test gets a fresh framework, so every request the server sees is the test's own. Waits are on the MBean
 * server's notifications and on service trackers. Two things have no event to wait on, and are polled with a
 * deadline: the access log facts of an exchange are counted on the server's thread just after its response is queued,
 * so a client can read the response before they are counted (the test waits until the listener's request heads equal
 * the exchanges counted); and FileInstall, itself a poller, applies a changed configuration file.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class MetricsIT extends ContainerTest {

    private static final String FAIL = "/metrics-it/fail";
    private static final String HOLD = "/metrics-it/hold";
    private static final String PROMETHEUS =
            "(&(objectClass=dev.plinth.http.handler.Handler)(" + Handler.PREFIX + "=/metrics))";
    private static final String SINK =
            "(&(objectClass=dev.plinth.http.core.AccessLog)(component.name=dev.plinth.metrics.MetricsComponent))";
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();

    @Test
    public void theMBeansCountWhatHappenedOnTheWire() throws Exception {
        int port = awaitCounting();
        ObjectName listener = listenerName(port);
        CompletableFuture<Response> held = new CompletableFuture<>();
        CountDownLatch holding = new CountDownLatch(1);
        ObjectName fail = handlerName(FAIL);
        ObjectName hold = handlerName(HOLD);
        ServiceRegistration<?>[] failing = new ServiceRegistration<?>[1];
        awaitMBean(
                fail,
                true,
                () -> failing[0] = register(FAIL, request -> {
                    throw new IllegalStateException("MetricsIT: this handler fails on purpose");
                }));
        awaitMBean(
                hold,
                true,
                () -> register(HOLD, request -> {
                    holding.countDown();
                    return held;
                }));
        HttpProbe.awaitStatus(port, FAIL, 500, HTTP_WAIT); // the glue routes to it too
        awaitCounted(listener);
        Map<String, Long> before = counters(listener);
        long rootBefore = (Long) mbeans.getAttribute(handlerName("/"), "Requests");
        long failBefore = (Long) mbeans.getAttribute(fail, "Requests");
        long failErrorsBefore = (Long) mbeans.getAttribute(fail, "Errors");

        long bodies = 0;
        for (int i = 0; i < 3; i++) {
            Reply index = HttpProbe.get(port, "/");
            assertEquals(200, index.status());
            bodies += index.body().length;
        }
        assertEquals(404, HttpProbe.get(port, "/no-such-file.txt").status());
        assertEquals(500, HttpProbe.get(port, FAIL).status());
        assertEquals(500, HttpProbe.get(port, FAIL).status());
        awaitCounted(listener);
        Map<String, Long> after = counters(listener);

        assertEquals(6, after.get("ConnectionsTotal") - before.get("ConnectionsTotal"));
        assertEquals(6, after.get("Requests") - before.get("Requests"));
        assertEquals(3, after.get("Requests2xx") - before.get("Requests2xx"));
        assertEquals(1, after.get("Requests4xx") - before.get("Requests4xx"));
        assertEquals(2, after.get("Requests5xx") - before.get("Requests5xx"));
        assertEquals(0, after.get("Requests1xx") + after.get("Requests3xx") + after.get("IncompleteResponses"));
        for (String tls : new String[] {
            "TlsHandshakes", "TlsHandshakeFailures", "TlsHandshakeTimeouts", "TlsPlainHttp", "TlsRenegotiationsRefused"
        }) {
            assertEquals("a plain listener: " + tls, 0L, mbeans.getAttribute(listener, tls));
        }
        assertEquals(6, after.get("LatencyCount") - before.get("LatencyCount"));
        assertTrue("the 500s are errors", after.get("Errors") - before.get("Errors") >= 2);
        assertTrue("bytes out " + after, after.get("BytesOut") - before.get("BytesOut") > bodies);
        assertTrue(
                "bytes in " + after, after.get("BytesIn") - before.get("BytesIn") > 6 * "GET / HTTP/1.1\r\n".length());
        long[] buckets = (long[]) mbeans.getAttribute(listener, "LatencyBucketCounts");
        double[] bounds = (double[]) mbeans.getAttribute(listener, "LatencyBucketBounds");
        assertEquals(bounds.length, buckets.length);
        assertEquals(Double.POSITIVE_INFINITY, bounds[bounds.length - 1], 0);
        long timed = 0;
        for (long n : buckets) {
            timed += n;
        }
        assertEquals((long) after.get("LatencyCount"), timed);
        double p50 = (Double) mbeans.getAttribute(listener, "LatencyP50Millis");
        double p99 = (Double) mbeans.getAttribute(listener, "LatencyP99Millis");
        assertTrue("p50 " + p50 + " <= p99 " + p99, p50 > 0 && p50 <= p99 && p99 <= 10_000);
        assertEquals(
                "/ served the 200s and the 404",
                4,
                (Long) mbeans.getAttribute(handlerName("/"), "Requests") - rootBefore);
        assertEquals(2, (Long) mbeans.getAttribute(fail, "Requests") - failBefore);
        assertEquals(2, (Long) mbeans.getAttribute(fail, "Errors") - failErrorsBefore);
        assertEquals(0L, mbeans.getAttribute(handlerName("/"), "Errors"));
        assertEquals(1, mbeans.getAttribute(fail, "Services"));

        try (Socket socket = send(port, "GET " + HOLD + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) {
            assertTrue("the handler has the request", holding.await(WAIT_MILLIS, TimeUnit.MILLISECONDS));
            assertEquals(0L, mbeans.getAttribute(hold, "Requests"));
            assertEquals(1, mbeans.getAttribute(hold, "InFlight"));
            held.complete(Response.text(200, "held\n"));
            assertEquals(200, HttpProbe.read(socket.getInputStream()).status());
        }
        awaitAttribute(hold, "InFlight", 0);
        awaitAttribute(hold, "Requests", 1L);

        awaitMBean(fail, false, () -> failing[0].unregister());
        assertTrue(mbeans.isRegistered(hold));
    }

    @Test
    public void thePrometheusFormatIsServedOnlyAtTheConfiguredPath() throws Exception {
        int port = awaitCounting();
        ObjectName listener = listenerName(port);
        HttpProbe.awaitStatus(port, "/", 200, HTTP_WAIT);
        assertEquals(
                "the distribution does not serve it",
                404,
                HttpProbe.get(port, "/metrics").status());

        Path cfg = Path.of(context.getProperty("plinth.base"), "etc", "dev.plinth.metrics.cfg");
        assertTrue("the distribution ships " + cfg, Files.isRegularFile(cfg));
        ServiceTracker<Object, Object> prometheus = track(PROMETHEUS);
        try {
            Files.writeString(cfg, "jmx=true\nprometheusPath=/metrics\n");
            assertNotNull("the Prometheus handler", prometheus.waitForService(DEPLOY_WAIT.toMillis()));
        } finally {
            prometheus.close();
        }
        HttpProbe.awaitStatus(port, "/metrics", 200, HTTP_WAIT);
        awaitCounted(listener);
        Map<String, Long> mbean = counters(listener);
        long root = (Long) mbeans.getAttribute(handlerName("/"), "Requests");
        long metrics = (Long) mbeans.getAttribute(handlerName("/metrics"), "Requests");

        Reply reply = HttpProbe.get(port, "/metrics");

        assertEquals(200, reply.status());
        assertEquals(CONTENT_TYPE, reply.header("content-type"));
        Map<String, Double> samples = samples(reply.text());
        String on = "{listener=\"" + port + "\"";
        for (String statusClass : new String[] {"1xx", "2xx", "3xx", "4xx", "5xx"}) {
            assertEquals(
                    statusClass,
                    (long) mbean.get("Requests" + statusClass),
                    sample(samples, "plinth_requests_total" + on + ",code=\"" + statusClass + "\"}"));
        }
        assertTrue("a 404 and a 200 at least", mbean.get("Requests4xx") >= 1 && mbean.get("Requests2xx") >= 2);
        long count = mbean.get("LatencyCount");
        assertEquals(count, sample(samples, "plinth_request_duration_seconds_count" + on + "}"));
        assertEquals(count, sample(samples, "plinth_request_duration_seconds_bucket" + on + ",le=\"+Inf\"}"));
        assertTrue(sample(samples, "plinth_request_duration_seconds_bucket" + on + ",le=\"0.0005\"}") <= count);
        assertTrue(samples.containsKey("plinth_request_duration_seconds_sum" + on + "}"));
        assertEquals(
                "its own connection too",
                mbean.get("ConnectionsTotal") + 1,
                sample(samples, "plinth_connections_total" + on + "}"));
        assertTrue(sample(samples, "plinth_connections_open" + on + "}") >= 1);
        assertEquals(0, sample(samples, "plinth_connections_refused_total" + on + "}"));
        assertTrue(sample(samples, "plinth_received_bytes_total" + on + "}") > mbean.get("BytesIn"));
        assertTrue(sample(samples, "plinth_sent_bytes_total" + on + "}") >= mbean.get("BytesOut"));
        assertTrue(sample(samples, "plinth_errors_total" + on + "}") >= mbean.get("Errors"));
        assertEquals("a plain listener has them too", 0, sample(samples, "plinth_tls_handshakes_total" + on + "}"));
        for (String reason : new String[] {"handshake_failure", "handshake_timeout", "plain_http", "renegotiation"}) {
            assertEquals(reason, 0, sample(samples, "plinth_tls_failures_total" + on + ",reason=\"" + reason + "\"}"));
        }
        assertEquals(root, sample(samples, "plinth_handler_requests_total{prefix=\"/\"}"));
        assertEquals(0, sample(samples, "plinth_handler_errors_total{prefix=\"/\"}"));
        assertEquals(metrics, sample(samples, "plinth_handler_requests_total{prefix=\"/metrics\"}"));
        assertEquals("this scrape", 1, sample(samples, "plinth_handler_in_flight{prefix=\"/metrics\"}"));
        assertEquals(0, sample(samples, "plinth_handler_in_flight{prefix=\"/stream/clock\"}"));

        String head = headOf(port, "/metrics");
        assertTrue(head, head.startsWith("HTTP/1.1 200 "));
        assertTrue(head, head.toLowerCase().contains("\r\ncontent-type: " + CONTENT_TYPE + "\r\n"));
        assertTrue("no body after the head: " + head, head.endsWith("\r\n\r\n"));

        CountDownLatch gone = awaitUnregistering(PROMETHEUS);
        awaitMBean(listener, false, () -> Files.writeString(cfg, "jmx=false\n"));
        assertTrue("the Prometheus handler left", gone.await(DEPLOY_WAIT.toMillis(), TimeUnit.MILLISECONDS));
        HttpProbe.awaitStatus(port, "/metrics", 404, HTTP_WAIT);
        assertFalse("no MBean with jmx=false", mbeans.isRegistered(handlerName("/")));

        // Config Admin keeps its configurations for the next framework of this virtual machine, and FileInstall
        // leaves one that came from another home's file alone: delete it, and the defaults (jmx=true) apply again.
        awaitMBean(listener, true, () -> Files.delete(cfg));
    }

    /** Registers a handler service from this test's bundle; it is unregistered after the test. */
    private ServiceRegistration<?> register(String prefix, Handler handler) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Handler.PREFIX, prefix);
        ServiceRegistration<?> registration = context.registerService(Handler.class, handler, properties);
        registrations.add(registration);
        return registration;
    }

    /** Something that registers or unregisters an MBean. */
    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    /**
     * Runs the action, then waits for the MBean server to say the MBean was registered (or unregistered), unless it
     * already is (or is not).
     */
    private void awaitMBean(ObjectName name, boolean registered, Action action) throws Exception {
        String type = registered
                ? MBeanServerNotification.REGISTRATION_NOTIFICATION
                : MBeanServerNotification.UNREGISTRATION_NOTIFICATION;
        CountDownLatch seen = new CountDownLatch(1);
        NotificationListener listener = (notification, handback) -> {
            if (notification instanceof MBeanServerNotification n
                    && n.getType().equals(type)
                    && n.getMBeanName().equals(name)) {
                seen.countDown();
            }
        };
        mbeans.addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, listener, null, null);
        try {
            action.run();
            if (mbeans.isRegistered(name) != registered) {
                boolean done = seen.await(DEPLOY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertTrue(
                        name + (registered ? " registered" : " unregistered") + "; registered now: "
                                + mbeans.queryNames(new ObjectName(name.getDomain() + ":*"), null),
                        done);
            }
        } finally {
            mbeans.removeNotificationListener(MBeanServerDelegate.DELEGATE_NAME, listener);
        }
    }

    /**
     * Waits for the listener, its MBean and the metrics bundle's access log sink bound to it.
     *
     * @return the listener's port
     */
    private int awaitCounting() throws Exception {
        int port = awaitListenerPort();
        awaitMBean(listenerName(port), true, () -> {});
        awaitSinkBound();
        return port;
    }

    /**
     * Waits until the listener uses the metrics bundle's access log sink: connections opened before it did report to
     * no sink, and the counts would miss them. Declarative Services binds it while registering it, so this is true at
     * once unless the listener is still starting.
     */
    private void awaitSinkBound() throws Exception {
        ServiceTracker<Object, Object> sink = track(SINK);
        try {
            assertNotNull("the metrics access log sink", sink.waitForService(WAIT_MILLIS));
            ServiceReference<Object> reference = sink.getServiceReference();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
            while (!usedBy(reference, "dev.plinth.http.transport")) {
                assertTrue("the transport binds the sink", System.nanoTime() < deadline);
                LockSupport.parkNanos(POLL_NANOS);
            }
        } finally {
            sink.close();
        }
    }

    private static boolean usedBy(ServiceReference<?> reference, String symbolicName) {
        Bundle[] users = reference.getUsingBundles();
        if (users != null) {
            for (Bundle user : users) {
                if (symbolicName.equals(user.getSymbolicName())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Waits until every request head the listener received has been counted as an exchange: no client is busy. */
    private void awaitCounted(ObjectName listener) throws Exception {
        long deadline = System.nanoTime() + HTTP_WAIT.toNanos();
        while (true) {
            long requests = (Long) mbeans.getAttribute(listener, "Requests");
            long counted = (Long) mbeans.getAttribute(listener, "LatencyCount");
            if (requests == counted) {
                return;
            }
            assertTrue(requests + " request heads, " + counted + " exchanges counted", System.nanoTime() < deadline);
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private void awaitAttribute(ObjectName name, String attribute, Object value) throws Exception {
        long deadline = System.nanoTime() + HTTP_WAIT.toNanos();
        Object now;
        while (!value.equals(now = mbeans.getAttribute(name, attribute))) {
            assertTrue(name + " " + attribute + " is " + now + ", not " + value, System.nanoTime() < deadline);
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private Map<String, Long> counters(ObjectName listener) throws Exception {
        Map<String, Long> values = new HashMap<>();
        for (String name : new String[] {
            "ConnectionsTotal",
            "Requests",
            "Requests1xx",
            "Requests2xx",
            "Requests3xx",
            "Requests4xx",
            "Requests5xx",
            "IncompleteResponses",
            "LatencyCount",
            "BytesIn",
            "BytesOut",
            "Errors"
        }) {
            values.put(name, (Long) mbeans.getAttribute(listener, name));
        }
        return values;
    }

    private static ObjectName listenerName(int port) throws Exception {
        return new ObjectName("dev.plinth:type=Listener,port=" + port);
    }

    private static ObjectName handlerName(String prefix) throws Exception {
        return new ObjectName("dev.plinth:type=Handler,prefix=" + ObjectName.quote(prefix));
    }

    /**
     * Reads an exposition's samples, by series as written ({@code name{labels}}), checking that each comes after the
     * {@code # TYPE} of its family and appears once. The module's own tests check the format strictly.
     */
    private static Map<String, Double> samples(String text) {
        assertTrue("ends with a line feed", text.endsWith("\n"));
        Map<String, Double> samples = new HashMap<>();
        Set<String> typed = new HashSet<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                typed.add(line.split(" ")[2]);
            } else if (!line.startsWith("# HELP ")) {
                int space = line.lastIndexOf(' ');
                String series = line.substring(0, space);
                String name = series.replaceFirst("\\{.*", "");
                assertTrue(
                        "the TYPE of " + name + " comes before it",
                        typed.contains(name) || typed.contains(name.replaceFirst("_(bucket|sum|count)$", "")));
                assertNull("one sample of " + series, samples.put(series, Double.valueOf(line.substring(space + 1))));
            }
        }
        return samples;
    }

    private static long sample(Map<String, Double> samples, String series) {
        Double value = samples.get(series);
        assertNotNull("a sample " + series + " in " + samples.keySet(), value);
        return value.longValue();
    }

    /** @return everything a {@code HEAD} request receives before the server closes the connection */
    private static String headOf(int port, String path) throws Exception {
        String request = "HEAD " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        try (Socket socket = send(port, request);
                InputStream in = socket.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** @return a connection to 127.0.0.1 on which the request was sent, reads bounded by {@link #HTTP_WAIT} */
    private static Socket send(int port, String request) throws Exception {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) HTTP_WAIT.toMillis());
            socket.setSoTimeout((int) HTTP_WAIT.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return socket;
        } catch (Exception e) {
            socket.close();
            throw e;
        }
    }
}

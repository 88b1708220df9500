package dev.plinth.http.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.config.ConfigCheck;
import dev.plinth.http.core.AccessLog;
import dev.plinth.http.core.Glue;
import dev.plinth.http.core.testing.TestGlue;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import dev.plinth.http.transport.Listener;
import dev.plinth.http.transport.ServerConfig;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * The listener component without a framework: its activate, modified and deactivate methods called as DS would call
 * them, a bundle context that records the services registered, and the server it runs asked over loopback sockets.
 */
@Timeout(30)
class ListenerComponentTest {

    /**
     * The longest a test waits for one event: a loopback answer or an access log entry comes in milliseconds, and a
     * broken listener (a mutant) must fail the test at once rather than hang it.
     */
    private static final int EVENT_MILLIS = 1_000;
    /** The first answer in a JVM waits for the server's classes to load. */
    private static final int FIRST_ANSWER_MILLIS = 2_000;

    private static volatile boolean warm;

    private final List<Registration> registrations = new ArrayList<>();
    private final BundleContext context = (BundleContext) Proxy.newProxyInstance(
            BundleContext.class.getClassLoader(), new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                if (method.getName().equals("registerService") && args[0] == Listener.class) {
                    Registration registration = new Registration((Listener) args[1], (Dictionary<?, ?>) args[2]);
                    registrations.add(registration);
                    return registration.handle();
                }
                throw new UnsupportedOperationException(method.getName());
            });
    private final TestGlue glue = TestGlue.of(
            "/hello", request -> CompletableFuture.completedStage(Response.text(200, "hello " + request.path())));
    private ListenerComponent component;

    /** A service the component registered, and whether it took it back. */
    private static final class Registration {
        final Listener listener;
        final Dictionary<?, ?> properties;
        volatile boolean unregistered;

        Registration(Listener listener, Dictionary<?, ?> properties) {
            this.listener = listener;
            this.properties = properties;
        }

        @SuppressWarnings("unchecked")
        ServiceRegistration<Listener> handle() {
            return (ServiceRegistration<Listener>) Proxy.newProxyInstance(
                    ServiceRegistration.class.getClassLoader(),
                    new Class<?>[] {ServiceRegistration.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("unregister")) {
                            if (unregistered) {
                                throw new IllegalStateException("unregistered twice");
                            }
                            unregistered = true;
                            return null;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }

        int port() {
            return (Integer) properties.get(Listener.PORT);
        }
    }

    /** The component's properties: a free loopback port with few threads, with some values set. */
    static Map<String, Object> config(Map<String, Object> set) {
        Map<String, Object> all = new HashMap<>(Map.of(
                "host", "127.0.0.1", "port", 0, "selectorThreads", 1, "workerThreads", 2, "stopGraceMillis", 200L));
        all.put(Constants.SERVICE_PID, MainListener.PID);
        all.putAll(set);
        return all;
    }

    /** The settings from these properties, as the component computes them. */
    private static ServerConfig settings(Map<String, Object> properties) {
        return ListenerComponent.settings(ConfigCheck.check(ListenerConfig.class, properties), MainListener.PID);
    }

    /** Activates a main listener as DS would: constructed, its glue bound, then started. */
    private Registration activate(Map<String, Object> set) throws IOException {
        component = new MainListener(config(set), context);
        component.setGlue(glue);
        component.start();
        return registrations.get(registrations.size() - 1);
    }

    @AfterEach
    void deactivate() throws InterruptedException {
        if (component != null) {
            component.stop();
        }
    }

    /** One request on a new connection that asks the server to close after it; @return the whole answer */
    private static String get(int port, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(warm ? EVENT_MILLIS : FIRST_ANSWER_MILLIS);
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            warm = true;
            return answer;
        }
    }

    @Test
    void activationServesAndRegistersTheListenerWithTheRealPort() throws Exception {
        Registration registration = activate(Map.of());
        assertEquals(1, registrations.size());
        int port = registration.port();
        assertTrue(port > 0, "the bound port, not the configured 0: " + port);
        assertEquals("127.0.0.1", registration.properties.get(Listener.HOST));
        assertEquals(new InetSocketAddress("127.0.0.1", port), registration.listener.address());
        String answer = get(port, "/hello/there");
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        assertTrue(answer.endsWith("hello /hello/there"), answer);
        assertTrue(answer.contains("\r\nServer: Plinth\r\n"), answer);
        assertEquals(1, registration.listener.stats().requests(), "the service's counters are the server's");
    }

    @Test
    void deactivationUnregistersTheListenerThenStopsAccepting() throws Exception {
        Registration registration = activate(Map.of());
        component.stop();
        assertTrue(registration.unregistered);
        assertThrows(ConnectException.class, () -> get(registration.port(), "/hello"));
        component.stop(); // DS may deactivate a component whose activation failed half way: nothing left to undo
        component = null;
    }

    @Test
    void aChangedBehaviourAppliesToNewConnectionsWithoutRebinding() throws Exception {
        Registration registration = activate(Map.of());
        assertEquals(200, status(get(registration.port(), "/hello")));
        component.modified(config(Map.of("serverName", "Changed", "maxRequestLineLength", 20)));
        assertEquals(1, registrations.size(), "the same listener service");
        assertFalse(registration.unregistered);
        String answer = get(registration.port(), "/hello/then");
        assertTrue(answer.contains("\r\nServer: Changed\r\n"), answer);
        assertEquals(414, status(get(registration.port(), "/hello/" + "x".repeat(20))), "the new limit applies");
        assertEquals(3, registration.listener.stats().connectionsTotal(), "the same server counts on");
    }

    @Test
    void aConfigurationRefusedAtActivationStartsNothingAndTheFirstGoodOneStartsTheListener() throws Exception {
        component = new MainListener(config(Map.of("port", "notanumber")), context);
        component.setGlue(glue);
        component.start();
        assertEquals(0, registrations.size(), "no listener for a port that is not a number");
        component.modified(config(Map.of("prot", 8081)));
        assertEquals(0, registrations.size(), "nor for an unknown key");
        component.modified(config(Map.of()));
        assertEquals(1, registrations.size());
        assertEquals(200, status(get(registrations.get(0).port(), "/hello")));
    }

    @Test
    void aRefusedChangeLeavesTheListenerServingAsItWas() throws Exception {
        Registration registration = activate(Map.of("serverName", "Before"));
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("port", "notanumber"),
                Map.of("port", 70_000),
                Map.of("prot", 8081),
                Map.of("idleTimeoutMillis", 0L),
                Map.of("compliance", "sloppy"),
                Map.of("virtualWorkers", "yes"))) {
            Map<String, Object> changed = new HashMap<>(bad);
            changed.put("serverName", "After");
            component.modified(config(changed));
            assertEquals(1, registrations.size(), "no rebind for " + bad);
            assertFalse(registration.unregistered);
            assertTrue(get(registration.port(), "/hello").contains("\r\nServer: Before\r\n"), "unchanged by " + bad);
        }
    }

    @Test
    void aNewAddressThatCannotBeBoundLeavesTheOldListenerServing() throws Exception {
        Registration registration = activate(Map.of());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            component.modified(config(Map.of("port", taken.getLocalPort(), "serverName", "Moved")));
            assertEquals(1, registrations.size(), "no new listener");
            assertFalse(registration.unregistered);
            String answer = get(registration.port(), "/hello");
            assertTrue(answer.contains("\r\nServer: Plinth\r\n"), "the old settings still apply: " + answer);
        }
    }

    @Test
    void aChangedThreadCountRebindsAndRegistersTheNewListener() throws Exception {
        Registration first = activate(Map.of());
        assertEquals(200, status(get(first.port(), "/hello")));
        component.modified(config(Map.of("workerThreads", 3, "serverName", "Rebound")));
        assertTrue(first.unregistered, "the old listener service is gone");
        assertEquals(2, registrations.size());
        Registration second = registrations.get(1);
        assertFalse(second.unregistered);
        String answer = get(second.port(), "/hello/again");
        assertTrue(answer.contains("\r\nServer: Rebound\r\n"), answer);
        assertEquals(1, second.listener.stats().requests(), "a new server with its own counters");
        assertEquals(1, first.listener.stats().requests());
    }

    @Test
    void theGraceOfAChangeAppliesToTheNextStop() throws Exception {
        CompletableFuture<Response> never = new CompletableFuture<>();
        CountDownLatch called = new CountDownLatch(1);
        glue.mount("/never", request -> {
            called.countDown();
            return never;
        });
        Registration registration = activate(Map.of("stopGraceMillis", 30_000L));
        component.modified(config(Map.of("stopGraceMillis", 100L)));
        try (Socket socket = new Socket("127.0.0.1", registration.port())) {
            socket.getOutputStream()
                    .write("GET /never HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(called.await(EVENT_MILLIS, TimeUnit.MILLISECONDS));
            ListenerComponent stopping = component;
            component = null; // a stop that waits out the old grace must not hold up the next test too
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    stopping.stop();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            stopped.get(EVENT_MILLIS, TimeUnit.MILLISECONDS); // far within the first grace of 30 s
        }
    }

    @Test
    void accessLogsFollowTheServicesThatComeAndGo() throws Exception {
        BlockingQueue<String> first = new LinkedBlockingQueue<>();
        BlockingQueue<String> second = new LinkedBlockingQueue<>();
        AccessLog firstLog = facts -> first.add(facts.target());
        AccessLog secondLog = facts -> second.add(facts.target());
        component = new MainListener(config(Map.of()), context);
        component.setGlue(glue);
        component.addAccessLog(firstLog); // before activation: the server starts with it
        component.start();
        int port = registrations.get(0).port();
        get(port, "/hello/1");
        assertEquals("/hello/1", first.poll(EVENT_MILLIS, TimeUnit.MILLISECONDS));
        component.addAccessLog(secondLog);
        get(port, "/hello/2");
        assertEquals("/hello/2", first.poll(EVENT_MILLIS, TimeUnit.MILLISECONDS), "both sinks hear of it");
        assertEquals("/hello/2", second.poll(EVENT_MILLIS, TimeUnit.MILLISECONDS));
        component.removeAccessLog(firstLog);
        get(port, "/hello/3");
        assertEquals("/hello/3", second.poll(EVENT_MILLIS, TimeUnit.MILLISECONDS));
        assertNull(first.poll(), "a sink gone hears no more");
        component.removeAccessLog(secondLog);
        get(port, "/hello/4");
        assertEquals(4, registrations.get(0).listener.stats().requests());
        assertTrue(first.isEmpty() && second.isEmpty(), "no sink left: " + first + second);
    }

    @Test
    void aGlueThatMayBlockIsAskedOnAWorker() throws Exception {
        BlockingQueue<String> askedOn = new LinkedBlockingQueue<>();
        int port = activate(Map.of()).port();
        component.setGlue(
                new Glue() { // does not say it is non-blocking
                    @Override
                    public Decision choose(Request request) {
                        askedOn.add(Thread.currentThread().getName());
                        return glue.choose(request);
                    }

                    @Override
                    public Explanation explain(String host, String path) {
                        return glue.explain(host, path);
                    }
                });
        assertEquals(200, status(get(port, "/hello")));
        assertTrue(askedOn.poll().startsWith("plinth-worker-"), "asked on a worker, not on the I/O thread");
    }

    @Test
    void aReplacedGlueServesTheNextRequest() throws Exception {
        int port = activate(Map.of()).port();
        assertEquals(200, status(get(port, "/hello")));
        component.setGlue(TestGlue.of("/other", request -> CompletableFuture.completedStage(Response.text(200, "o"))));
        component.unsetGlue(glue); // DS sets the replacement first, then unsets the old one
        assertEquals(404, status(get(port, "/hello")));
        assertEquals(200, status(get(port, "/other")));
    }

    @Test
    void switchingInlineCallsOnMakesTheGlueDecideWhereHandlersRunAndHearOfOnesThatBlock() throws Exception {
        theGlueHearsOfHandlersThatBlockPastTheThreshold(0); // 0: every handler runs on workers
    }

    @Test
    void aThresholdLoweredWhileRunningApplies() throws Exception {
        theGlueHearsOfHandlersThatBlockPastTheThreshold(1_000);
    }

    private void theGlueHearsOfHandlersThatBlockPastTheThreshold(long initialThreshold) throws Exception {
        BlockingQueue<String> threads = new LinkedBlockingQueue<>();
        CountDownLatch blockedReported = new CountDownLatch(1);
        Handler blocking = request -> {
            threads.add(Thread.currentThread().getName());
            try {
                // the misbehaviour under test: holding the I/O thread past the threshold, and past the period the
                // watchdog's sampler was parked for when the threshold changed (a quarter of the old one)
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CompletableFuture.completedStage(Response.text(200, "slow"));
        };
        Glue inline = new Glue() {
            @Override
            public Decision choose(Request request) {
                return new Choice(blocking, "/", true);
            }

            @Override
            public boolean nonBlocking() {
                return true;
            }

            @Override
            public void blocked(Handler handler) {
                if (handler == blocking) {
                    blockedReported.countDown();
                }
            }

            @Override
            public Explanation explain(String host, String path) {
                throw new UnsupportedOperationException();
            }
        };
        int port = activate(Map.of("inlineThresholdMillis", initialThreshold)).port();
        component.setGlue(inline);
        if (initialThreshold == 0) {
            assertEquals(200, status(get(port, "/")));
            assertTrue(threads.poll().startsWith("plinth-worker-"), "inline calls switched off");
        }
        component.modified(config(Map.of("inlineThresholdMillis", 1_000L)));
        assertEquals(200, status(get(port, "/")));
        String thread = threads.poll();
        assertTrue(thread.startsWith("plinth-selector-"), "asked and run on the I/O thread: " + thread);
        assertEquals(1, blockedReported.getCount(), "within the threshold");
        component.modified(config(Map.of("inlineThresholdMillis", 20L)));
        assertEquals(200, status(get(port, "/")));
        assertEquals(0, blockedReported.getCount(), "the glue hears of the block past the new threshold");
    }

    @Test
    void unsetThreadCountsFollowTheCoresAndAMissingServerNameSendsNone() {
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Object> unset = new HashMap<>();
        unset.put("selectorThreads", 0);
        unset.put("workerThreads", 0);
        unset.put("serverName", "");
        ServerConfig settings = settings(config(unset));
        assertEquals(cores, settings.selectorThreads(), "one loop per core");
        assertEquals(Math.max(8, 4 * cores), settings.workerThreads(), "4 workers per core, at least 8");
        assertEquals("", settings.core().serverName());
        ServerConfig set = settings(config(Map.of(
                "selectorThreads",
                3,
                "workerThreads",
                5,
                "readBufferSize",
                4096,
                "maxConnections",
                7,
                "writeTimeoutMillis",
                9L,
                "virtualWorkers",
                true)));
        assertEquals(new ServerConfig("127.0.0.1", 0, 3, 5, true, 7, 9, set.core(), 4096), set);
    }

    private static int status(String answer) {
        return Integer.parseInt(answer.substring(9, 12));
    }
}

package dev.plinth.http.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.config.ConfigCheck;
import dev.plinth.config.RefusedConfiguration;
import dev.plinth.http.core.testing.TestGlue;
import dev.plinth.http.handler.Response;
import dev.plinth.http.transport.Listener;
import dev.plinth.http.transport.TestTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/** The listener's TLS settings, as Config Admin gives them, over real sockets. */
@Timeout(30)
class TlsListenerTest {

    private final List<Dictionary<?, ?>> registered = new ArrayList<>();
    private final BundleContext context = (BundleContext) Proxy.newProxyInstance(
            BundleContext.class.getClassLoader(), new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                if (method.getName().equals("registerService") && args[0] == Listener.class) {
                    registered.add((Dictionary<?, ?>) args[2]);
                    return Proxy.newProxyInstance(
                            ServiceRegistration.class.getClassLoader(),
                            new Class<?>[] {ServiceRegistration.class},
                            (p, m, a) -> null);
                }
                throw new UnsupportedOperationException(method.getName());
            });
    private final TestGlue glue = TestGlue.of(
            "/",
            request -> CompletableFuture.completedStage(Response.text(200, request.scheme() + " " + request.path())));
    private final List<ListenerComponent> components = new ArrayList<>();

    private static Map<String, Object> config(Map<String, Object> set) {
        return ListenerComponentTest.config(set);
    }

    private static Map<String, Object> pem(String chain, String key) {
        return Map.of(
                "tlsCertificate",
                TestTls.file(chain).toString(),
                "tlsPrivateKey",
                TestTls.file(key).toString());
    }

    /** @return the port it registered, or -1 if it did not start */
    private int activate(Map<String, Object> set) throws IOException {
        ListenerComponent component =
                new MainListener(set.containsKey(Constants.SERVICE_PID) ? set : config(set), context);
        component.setGlue(glue);
        int before = registered.size();
        component.start();
        components.add(component);
        return registered.size() > before ? (Integer) registered.get(before).get(Listener.PORT) : -1;
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (ListenerComponent component : components) {
            component.stop();
        }
    }

    @Test
    void pemKeyMaterialMakesAnHttpsListenerThatSendsHsts() throws Exception {
        Map<String, Object> set = new HashMap<>(pem("localhost.pem", "localhost.key"));
        set.put("hstsMaxAgeSeconds", 600L);
        set.put("hstsIncludeSubDomains", "true");
        int port = activate(set);
        try (SSLSocket socket = TestTls.connect(TestTls.client(), new InetSocketAddress("127.0.0.1", port))) {
            String answer = exchange(socket, "GET /x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
            assertTrue(answer.contains("\r\nStrict-Transport-Security: max-age=600; includeSubDomains\r\n"), answer);
            assertTrue(answer.endsWith("https /x"), answer);
        }
    }

    @Test
    void brokenKeyMaterialLeavesThatListenerStoppedAndAGoodChangeStartsIt() throws Exception {
        int plain = activate(Map.of());
        assertEquals(-1, activate(pem("localhost.pem", "other.key")), "a key that is not the certificate's");
        Map<String, Object> missing = new HashMap<>(pem("localhost.pem", "localhost.key"));
        missing.put(
                "tlsPrivateKey",
                TestTls.file("localhost.key").resolveSibling("missing.key").toString());
        assertEquals(-1, activate(missing), "a key file that is not there");
        assertTrue(get(plain, "/still").endsWith("http /still"), "the other listener serves on");
        ListenerComponent stopped = components.get(1);
        int before = registered.size();
        stopped.modified(config(pem("localhost.pem", "localhost.key")));
        assertEquals(before + 1, registered.size(), "started by a configuration that works");
    }

    @Test
    void brokenKeyMaterialInAChangeLeavesTheListenerServingAsItWas() throws Exception {
        Map<String, Object> good = config(pem("localhost.pem", "localhost.key"));
        good.put("port", freePort());
        int port = activate(good);
        Map<String, Object> broken = new HashMap<>(good);
        broken.putAll(pem("localhost.pem", "other.key"));
        components.get(0).modified(broken);
        try (SSLSocket socket = TestTls.connect(TestTls.client(), new InetSocketAddress("127.0.0.1", port))) {
            String answer = exchange(socket, "GET /y HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertTrue(answer.endsWith("https /y"), answer);
        }
        assertEquals(1, registered.size(), "not stopped, not rebound");
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    @Test
    void aPlainListenerCanRedirectEveryRequestToHttps() throws Exception {
        int port = activate(Map.of("redirectToHttpsPort", 8443));
        String answer = get(port, "/a/b?x=1", "shop.example:8080");
        assertTrue(answer.startsWith("HTTP/1.1 308 "), answer);
        assertTrue(answer.contains("\r\nLocation: https://shop.example:8443/a/b?x=1\r\n"), answer);
        assertTrue(get(port, "/", "[::1]:8080").contains("\r\nLocation: https://[::1]:8443/\r\n"));
        assertTrue(get(port, "/", "evil.example/x").startsWith("HTTP/1.1 400 "), "only a host goes in a Location");
    }

    @Test
    void contradictoryTlsSettingsAreRefusedNamingTheKey() {
        Map<Map<String, Object>, String> refused = Map.of(
                Map.of("hstsMaxAgeSeconds", 60L), "hstsMaxAgeSeconds",
                Map.of("tlsCertificate", "a.pem,b.pem", "tlsPrivateKey", "a.key"), "tlsPrivateKey",
                merged(pem("localhost.pem", "localhost.key"), Map.of("tlsClientAuth", "need")), "tlsTrustStore",
                merged(pem("localhost.pem", "localhost.key"), Map.of("tlsClientAuth", "sometimes")), "tlsClientAuth",
                merged(pem("localhost.pem", "localhost.key"), Map.of("tlsProtocols", "TLSv1.3,TLSv1.1")),
                        "tlsProtocols",
                merged(pem("localhost.pem", "localhost.key"), Map.of("redirectToHttpsPort", 443)),
                        "redirectToHttpsPort");
        refused.forEach((set, key) -> {
            RefusedConfiguration e = assertThrows(
                    RefusedConfiguration.class,
                    () -> ListenerComponent.settings(
                            ConfigCheck.check(ListenerConfig.class, config(set)), MainListener.PID),
                    key);
            assertTrue(e.getMessage().contains(key), e.getMessage());
        });
        assertNull(ListenerComponent.settings(ConfigCheck.check(ListenerConfig.class, config(Map.of())), "p")
                .tls());
    }

    private static Map<String, Object> merged(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> all = new HashMap<>(a);
        all.putAll(b);
        return all;
    }

    private static String get(int port, String path) throws IOException {
        return get(port, path, "localhost");
    }

    private static String get(int port, String path, String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return exchange(socket, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
        }
    }

    private static String exchange(Socket socket, String request) throws IOException {
        socket.setSoTimeout(2_000);
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}

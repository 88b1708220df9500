package dev.plinth.http.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.core.testing.TestGlue;
import dev.plinth.http.handler.Response;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HttpServer#connections()} over real loopback sockets, on two selector threads so that the description
 * gathers both: each connection's state and the requests it has served, told apart by the client's port.
 */
@Timeout(30)
class ListenerConnectionsTest {

    private final TestGlue glue = new TestGlue();
    private final CountDownLatch handling = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        glue.mount("/fast", request -> CompletableFuture.completedStage(Response.text(200, "fast")));
        glue.mount("/slow", request -> {
            handling.countDown();
            Await.latch(release, "the test's release of the slow handler");
            return CompletableFuture.completedStage(Response.text(200, "slow"));
        });
        server = new HttpServer(new ServerConfig("127.0.0.1", 0, 2, 4, false, 100, 30_000, CoreConfig.DEFAULT), glue);
        address = server.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        server.stop(200);
    }

    @Test
    void eachConnectionSaysWhetherItsRequestIsBeingHandledOrItIsIdleAndHowManyRequestsItServed() throws Exception {
        try (RawClient idle = new RawClient(address);
                RawClient busy = new RawClient(address)) {
            get(idle, "/fast");
            get(idle, "/fast");
            busy.send("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n");
            Await.latch(handling, "the slow handler's call");

            List<ConnectionInfo> during = server.connections();
            assertEquals(2, during.size(), during.toString());
            ConnectionInfo idleInfo = of(during, idle);
            assertEquals("idle", idleInfo.state());
            assertEquals(2, idleInfo.requestsServed());
            ConnectionInfo busyInfo = of(during, busy);
            assertEquals("handling", busyInfo.state());
            assertEquals(1, busyInfo.requestsServed());
            assertEquals(0, busyInfo.queuedBytes());
            assertEquals("127.0.0.1", busyInfo.remoteAddress().getAddress().getHostAddress());
            assertFalse(busyInfo.age().isNegative(), busyInfo.toString());
            assertTrue(busyInfo.age().compareTo(Duration.ofSeconds(10)) < 0, busyInfo.toString());

            release.countDown();
            assertEquals("slow", busy.read().text());
            ConnectionInfo after = of(server.connections(), busy);
            assertEquals("idle", after.state());
            assertEquals(1, after.requestsServed());
        }
    }

    @Test
    void aHalfSentHeadIsReadingAndCountsNoRequestAndAClosedConnectionLeavesTheList() throws Exception {
        try (RawClient partial = new RawClient(address)) {
            partial.send("GET /fast HTTP/1.1\r\n");
            ConnectionInfo reading = await(partial, info -> info.state().equals("reading head"));
            assertEquals(0, reading.requestsServed());

            partial.send("Host: localhost\r\n\r\n");
            assertEquals("fast", partial.read().text());
            assertEquals(1, of(server.connections(), partial).requestsServed());
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Await.EVENT_MILLIS);
        while (!server.connections().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the closed connection is still listed");
            Thread.sleep(5); // the server sees the close on its next read: no event to wait on from here
        }
    }

    @Test
    void aServerWithoutConnectionsDescribesNone() {
        assertEquals(List.of(), server.connections());
    }

    private static void get(RawClient client, String path) throws Exception {
        client.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertEquals(200, client.read().status());
    }

    /** @return the description of the client's connection: the server's remote port is the client's local one */
    private static ConnectionInfo of(List<ConnectionInfo> connections, RawClient client) {
        Optional<ConnectionInfo> found = connections.stream()
                .filter(info -> info.remoteAddress().getPort() == client.socket.getLocalPort())
                .findFirst();
        assertTrue(found.isPresent(), "no connection from port " + client.socket.getLocalPort() + ": " + connections);
        return found.get();
    }

    /**
     * Polls briefly: the server accepts the connection and reads what the client sent at moments this test cannot
     * observe.
     */
    private ConnectionInfo await(RawClient client, Predicate<ConnectionInfo> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Await.EVENT_MILLIS);
        while (true) {
            List<ConnectionInfo> connections = server.connections();
            Optional<ConnectionInfo> info = connections.stream()
                    .filter(c -> c.remoteAddress().getPort() == client.socket.getLocalPort())
                    .filter(condition)
                    .findFirst();
            if (info.isPresent()) {
                return info.get();
            }
            assertTrue(System.nanoTime() < deadline, "still " + connections);
            Thread.sleep(2);
        }
    }
}

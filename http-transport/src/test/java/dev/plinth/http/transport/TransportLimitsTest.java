package dev.plinth.http.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.core.testing.TestGlue;
import dev.plinth.http.handler.Bodies;
import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Timeouts, limits, graceful stop and counters, over real loopback sockets. */
@Timeout(30)
class TransportLimitsTest {

    private static final CoreConfig.Timeouts SHORT = new CoreConfig.Timeouts(400, 400, 400, 30_000);
    /** Longer than the longest short timeout plus one sweep of the loop (250 ms), with room for a busy machine. */
    private static final int PATIENCE_MILLIS = 2_000;

    private final TestGlue glue = TestGlue.of(
            "/hello", request -> CompletableFuture.completedStage(Response.text(200, "hello " + request.path())));
    private HttpServer server;
    private InetSocketAddress address;

    private void start(ServerConfig config) throws IOException {
        server = new HttpServer(config, glue);
        address = server.start();
    }

    private static ServerConfig config() {
        return new ServerConfig("127.0.0.1", 0, 2, 4, false, 2_000, 30_000, CoreConfig.DEFAULT);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.stop(200);
        }
    }

    /** A client that waits for an answer the server gives only when one of its short timeouts expires. */
    private RawClient patientClient() throws IOException {
        RawClient client = new RawClient(address);
        client.socket.setSoTimeout(PATIENCE_MILLIS);
        return client;
    }

    @Test
    void idleKeepAliveConnectionIsClosed() throws Exception {
        start(config().withCore(CoreConfig.DEFAULT.withTimeouts(SHORT)));
        try (RawClient client = patientClient()) {
            client.send("GET /hello/x HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals(200, client.read().status());
            long start = System.nanoTime();
            assertTrue(client.atEnd(), "the server closes the idle connection");
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waited >= 300, "closed after " + waited + " ms");
        }
    }

    @Test
    void tricklingRequestHeadMeetsADeadline() throws Exception {
        start(config().withCore(CoreConfig.DEFAULT.withTimeouts(SHORT)));
        try (RawClient client = patientClient()) {
            client.send("GET /hello/x HTTP/1.1\r\n");
            Thread trickler = new Thread(() -> {
                try {
                    for (int i = 0; i < 400; i++) {
                        client.send("X"); // one byte every 25 ms: always active, never complete
                        Thread.sleep(25);
                    }
                } catch (IOException | InterruptedException stopped) {
                    // the server closed the connection, as it should
                }
            });
            trickler.start();
            RawClient.Reply reply = client.read(); // within the patience: the activity did not extend the deadline
            trickler.interrupt();
            assertEquals(408, reply.status());
            assertEquals("close", reply.header("Connection"));
        }
    }

    @Test
    void aRequestPipelinedBeforeTheClientsHalfCloseIsAnsweredAfterTheOneBeforeItTimesOut() throws Exception {
        glue.mount("/never", request -> new CompletableFuture<>());
        // a handler timeout short enough for its answer (after at most one more sweep) to come within a read's wait
        start(config().withCore(CoreConfig.DEFAULT.withTimeouts(new CoreConfig.Timeouts(30_000, 30_000, 30_000, 100))));
        try (RawClient client = new RawClient(address)) {
            client.send("GET /never HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "GET /hello/next HTTP/1.1\r\nHost: localhost\r\n\r\n");
            // the end of input arrives while the first request is in its handler and the second waits unread; the
            // timeout's answer resumes reading from the loop's sweep, so the loop meets the end before the leftover
            client.socket.shutdownOutput();
            assertEquals(503, client.read().status(), "the handler did not answer in time");
            assertEquals("hello /hello/next", client.read().text(), "the request behind it is not lost");
            assertTrue(client.atEnd(), "then the server closes, as the client will send nothing more");
        }
    }

    @Test
    void stalledRequestBodyGets408() throws Exception {
        glue.mount(
                "/upload",
                request -> Bodies.collect(request.body(), 1000)
                        .thenApply(bytes -> Response.text(200, "got " + bytes.length)));
        start(config().withCore(CoreConfig.DEFAULT.withTimeouts(SHORT)));
        try (RawClient client = patientClient()) {
            client.send("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nabc");
            RawClient.Reply reply = client.read();
            assertEquals(408, reply.status());
            assertTrue(client.atEnd());
        }
    }

    @Test
    void clientThatReadsNothingIsDroppedAfterTheWriteTimeout() throws Exception {
        glue.mount(
                "/endless",
                request -> CompletableFuture.completedStage(
                        Response.of(200).body(Body.ofParts(new HttpServerTest.Counting(Integer.MAX_VALUE, 16384)))));
        start(config().withWriteTimeoutMillis(200));
        try (RawClient client = new RawClient(address, 16384)) {
            client.send("GET /endless HTTP/1.1\r\nHost: localhost\r\n\r\n");
            Await.counter(server.stats()::requests, 1);
            Await.counter(server.stats()::connectionsOpen, 0);
            assertEquals(1, server.stats().errors());
        }
        long peak = server.stats().peakQueuedBytes();
        int ceiling = CoreConfig.DEFAULT.outboundCeiling();
        assertTrue(peak <= ceiling + 16384, "an endless answer to a client that reads nothing queued " + peak);
    }

    @Test
    void clientThatReadsSlowlyButSteadilyIsNotDroppedByTheWriteTimeout() throws Exception {
        int part = 8192;
        int parts = 64; // half a mebibyte: much of it waits in the server while the client takes its time
        glue.mount(
                "/stream",
                request -> CompletableFuture.completedStage(Response.of(200)
                        .body(Body.ofParts(new HttpServerTest.Counting(parts, part), (long) parts * part))));
        start(config().withWriteTimeoutMillis(200));
        try (RawClient client = new RawClient(address, part)) {
            client.send("GET /stream HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawClient.Reply head = client.read(true);
            assertEquals(200, head.status());
            byte[] buffer = new byte[part];
            long read = 0;
            while (read < (long) parts * part) {
                int n = client.input().read(buffer);
                assertTrue(n > 0, "the server closed the connection after " + read + " bytes");
                read += n;
                Thread.sleep(10); // the pace of a slow client, always well within the write timeout
            }
        }
        assertEquals(0, server.stats().errors());
    }

    @Test
    void clientResettingMidResponseIsCountedAndItsConnectionReleased() throws Exception {
        HttpServerTest.Counting endless = new HttpServerTest.Counting(Integer.MAX_VALUE, 16384);
        glue.mount(
                "/endless",
                request -> CompletableFuture.completedStage(Response.of(200).body(Body.ofParts(endless))));
        start(config());
        try (RawClient client = new RawClient(address, 16384)) {
            client.send("GET /endless HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals('H', client.input().read(), "the response has begun");
            // the client reads no more: the server's queue reaches its ceiling and waits for the socket
            Await.counter(
                    () -> Math.min(server.stats().peakQueuedBytes(), CoreConfig.DEFAULT.outboundCeiling()),
                    CoreConfig.DEFAULT.outboundCeiling());
            client.socket.setSoLinger(true, 0);
        } // closed with a reset
        Await.counter(server.stats()::connectionsOpen, 0);
        assertEquals(1, server.stats().errors(), "a response cut short counts as an error");
        Await.latch(endless.cancelled, "cancellation of the handler's stream");
    }

    @Test
    void aClosedAnswerLingersForTheClientsCloseThenTheServerClosesAnyway() throws Exception {
        int size = 4 << 20; // more than the socket takes at once: the answer ends on a write the socket asked for
        glue.mount(
                "/big",
                request -> CompletableFuture.completedStage(
                        Response.of(200).body(Body.ofParts(new HttpServerTest.Counting(size / 16384, 16384), size))));
        start(config());
        try (RawClient client = new RawClient(address)) {
            client.send("GET /big HTTP/1.0\r\n\r\n");
            assertEquals(size, client.read().body().length);
            assertTrue(client.atEnd());
            long ended = System.nanoTime();
            long lingered = 0;
            // the client never closes, and sends on now and then: the server drops that, and closes after 2 s
            while (server.stats().connectionsOpen() > 0) {
                lingered = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - ended);
                assertTrue(lingered < 3_000, "still open after " + lingered + " ms");
                try {
                    client.send("more");
                } catch (IOException closedByTheServer) {
                    break;
                }
                Thread.sleep(50); // the client's pace
            }
            Await.counter(server.stats()::connectionsOpen, 0);
            assertTrue(lingered >= 1_500, "a client that never closes is waited for 2 s, not " + lingered + " ms");
        }
    }

    @Test
    void aClientPausingShorterThanTheWriteTimeoutKeepsItsConnection() throws Exception {
        int size = 4 << 20;
        glue.mount(
                "/big",
                request -> CompletableFuture.completedStage(
                        Response.of(200).body(Body.ofParts(new HttpServerTest.Counting(size / 16384, 16384), size))));
        start(config().withWriteTimeoutMillis(1_000));
        try (RawClient client = new RawClient(address, 16384)) {
            client.send("GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n");
            int ceiling = CoreConfig.DEFAULT.outboundCeiling();
            Await.counter(() -> Math.min(server.stats().peakQueuedBytes(), ceiling), ceiling); // the socket is full
            Thread.sleep(400); // the client's pause: longer than a sweep of the loop, shorter than the write timeout
            assertEquals(size, client.read().body().length);
        }
        assertEquals(0, server.stats().errors());
    }

    @Test
    void aStopClosesEveryIdleConnectionOfALoopAtOnce() throws Exception {
        start(new ServerConfig("127.0.0.1", 0, 1, 2, false, 100, 30_000, CoreConfig.DEFAULT));
        try (RawClient first = new RawClient(address);
                RawClient second = new RawClient(address)) {
            for (RawClient client : List.of(first, second)) {
                client.send("GET /hello/x HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertEquals(200, client.read().status());
            }
            HttpServer stopping = server;
            server = null;
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    stopping.stop(10_000);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(first.atEnd(), "the first idle connection closes at once");
            assertTrue(second.atEnd(), "and so does the second on the same loop");
            first.close(); // else the server's close lingers, waiting for the client's own
            second.close();
            stopped.get(Await.EVENT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void aLingeringCloseEndsAsSoonAsTheClientCloses() throws Exception {
        glue.mount("/ignores-body", request -> CompletableFuture.completedStage(Response.text(200, "no thanks")));
        start(config());
        try (RawClient client = new RawClient(address)) {
            // a body far over the drain limit that the handler never reads: the server answers, then closes
            client.send(
                    "POST /ignores-body HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n" + "x".repeat(100_000));
            RawClient.Reply reply = client.read();
            assertEquals("close", reply.header("Connection"));
            assertTrue(client.atEnd());
        }
        Await.counter(server.stats()::connectionsOpen, 0); // well before the linger's 2 s
    }

    @Test
    void connectionOverTheLimitGets503AndTheNextOneAfterACloseIsServed() throws Exception {
        start(config().withMaxConnections(2));
        try (RawClient first = new RawClient(address);
                RawClient second = new RawClient(address)) {
            for (RawClient client : List.of(first, second)) {
                client.send("GET /hello/x HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertEquals(200, client.read().status());
            }
            try (RawClient third = new RawClient(address)) {
                RawClient.Reply refused = third.read();
                assertEquals(503, refused.status());
                assertEquals("close", refused.header("Connection"));
                assertTrue(third.atEnd());
            }
            assertEquals(1, server.stats().connectionsRefused());
            first.close();
            Await.counter(server.stats()::connectionsOpen, 1);
            try (RawClient fourth = new RawClient(address)) {
                fourth.send("GET /hello/again HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertEquals("hello /hello/again", fourth.read().text());
            }
        }
    }

    @Test
    void gracefulStopLetsTheExchangeInFlightFinish() throws Exception {
        CompletableFuture<Response> answer = new CompletableFuture<>();
        glue.mount("/slow", request -> answer);
        start(config());
        try (RawClient client = new RawClient(address);
                RawClient idle = new RawClient(address)) {
            client.send("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n");
            Await.counter(server.stats()::requests, 1);
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    server.stop(10_000);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(idle.atEnd(), "an idle connection closes at once");
            idle.close(); // else the server's close lingers, waiting for the client's own
            assertThrows(ConnectException.class, () -> new RawClient(address).close(), "no longer accepting");
            // nothing to await here but the absence of a close: a moment of the grace passes with the connection open
            client.socket.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> client.input().read(), "closed before the grace ended");
            client.socket.setSoTimeout(RawClient.READ_TIMEOUT_MILLIS);
            answer.complete(Response.text(200, "finished"));
            RawClient.Reply reply = client.read();
            assertEquals("finished", reply.text());
            assertEquals("close", reply.header("Connection"));
            assertTrue(client.atEnd());
            client.close(); // else the server's close lingers, waiting for the client's own
            stopped.get(Await.EVENT_MILLIS, TimeUnit.MILLISECONDS);
        }
        server = null;
    }

    @Test
    void thousandConcurrentConnectionsAreAllServed() throws Exception {
        start(config());
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                RawClient client = new RawClient(address);
                clients.add(client);
                client.send("GET /hello/" + i + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            }
            Await.counter(server.stats()::connectionsOpen, 1000, 3_000); // a thousand accepts take a while
            for (int i = 0; i < 1000; i++) {
                assertEquals("hello /hello/" + i, clients.get(i).read().text());
            }
            assertEquals(1000, server.stats().requests());
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void slowReaderOf16MebibytesNeverMakesTheServerQueueMoreThanTheCeiling() throws Exception {
        int part = 16384;
        long total = 16L << 20; // 256 times the ceiling: the server meets a full socket again and again
        glue.mount(
                "/stream",
                request -> CompletableFuture.completedStage(Response.of(200)
                        .body(Body.ofParts(new HttpServerTest.Counting((int) (total / part), part), total))));
        start(config());
        long read = 0;
        try (RawClient client = new RawClient(address, 65536)) {
            client.send("GET /stream HTTP/1.0\r\n\r\n"); // HTTP/1.0: the server closes at the end
            InputStream in = client.input();
            byte[] buffer = new byte[4096];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                read += n;
                if (read % (1 << 20) < n) {
                    Thread.yield(); // a slow reader: the server keeps meeting a full socket
                }
            }
            assertTrue(read > total, "whole body received: " + read);
        }
        long ceiling = CoreConfig.DEFAULT.outboundCeiling();
        long peak = server.stats().peakQueuedBytes();
        assertTrue(peak <= ceiling + part + 1024, "peak queued " + peak + " over the ceiling " + ceiling);
        assertEquals(read, server.stats().bytesOut(), "every byte sent counted once, partial writes too");
    }

    @Test
    void anAnswerQueuedWholeBeforeItsCloseIsSentWholeBeforeIt() throws Exception {
        byte[] body = new byte[8 << 20]; // one buffer, far more than the socket takes: queued at once, sent in turns
        new Random(3).nextBytes(body);
        glue.mount(
                "/whole",
                request -> CompletableFuture.completedStage(Response.of(200).body(Body.of(body))));
        start(config());
        try (RawClient client = new RawClient(address, 16384)) {
            client.send("GET /whole HTTP/1.0\r\n\r\n"); // HTTP/1.0: the close is asked for with the answer
            RawClient.Reply reply = client.read();
            assertEquals("close", reply.header("Connection"));
            assertTrue(Arrays.equals(body, reply.body()), "the whole body, then the close");
            assertTrue(client.atEnd());
        }
    }

    @Test
    void countersCountConnectionsRequestsAndBytes() throws Exception {
        start(config());
        String request = "GET /hello/x HTTP/1.1\r\nHost: localhost\r\n\r\n";
        String last = "GET /hello/x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        long received;
        try (RawClient client = new RawClient(address)) {
            client.send(request + last);
            received = client.input().readAllBytes().length; // both answers, until the server closes
        }
        Await.counter(server.stats()::connectionsOpen, 0);
        ServerStats stats = server.stats();
        assertEquals(1, stats.connectionsTotal());
        assertEquals(2, stats.requests());
        assertEquals((long) request.length() + last.length(), stats.bytesIn());
        assertTrue(received > 2L * "hello /hello/x".length(), "two answers: " + received);
        assertEquals(received, stats.bytesOut());
        assertEquals(0, stats.errors());
    }
}

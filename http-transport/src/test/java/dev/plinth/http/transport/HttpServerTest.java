package dev.plinth.http.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.core.Router;
import dev.plinth.http.core.testing.TestGlue;
import dev.plinth.http.handler.Bodies;
import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.CountingSubscriber;
import dev.plinth.http.handler.testing.ListPublisher;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The transport over real loopback sockets. */
@Timeout(30)
class HttpServerTest {

    private final TestGlue glue = new TestGlue();
    private HttpServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws IOException {
        mount("/hello", request -> CompletableFuture.completedStage(Response.text(200, "hello " + request.path())));
        server = new HttpServer(new ServerConfig("127.0.0.1", 0, 2, 4, false, 100, 30_000, CoreConfig.DEFAULT), glue);
        address = server.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.stop(200);
        }
    }

    private void mount(String prefix, Handler handler) {
        glue.mount(prefix, handler);
    }

    @Test
    void anEmbeddedServerIsUsedWithARouterAndStopsWhenClosed() throws IOException {
        Router router = Router.builder()
                .mount("/", (Handler.Synchronous) request -> Response.text(200, "root"))
                .mount("/hi", (Handler.Synchronous) request -> Response.text(200, "hi " + request.pathBelowPrefix()))
                .build();
        HttpServer embedded = new HttpServer(ServerConfig.of("127.0.0.1", 0), router);
        assertThrows(IllegalStateException.class, embedded::address, "not bound before start");
        InetSocketAddress bound;
        try (embedded) {
            bound = embedded.start();
            assertTrue(bound.getPort() > 0, "port 0 asks for a free port, and the bound one is told");
            assertEquals(bound, embedded.address());
            try (RawClient client = new RawClient(bound)) {
                client.send("GET /hi/there HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n");
                assertEquals("hi /there", client.read().text());
                assertEquals("root", client.read().text());
            }
            assertThrows(IllegalStateException.class, embedded::start, "a server starts once");
        }
        assertThrows(IOException.class, () -> new RawClient(bound).close(), "closed: the port refuses connections");
        embedded.close(); // a second stop does nothing
    }

    @Test
    void servesKeepAliveRequestsOnOneConnection() throws IOException {
        try (RawClient client = new RawClient(address)) {
            for (int i = 0; i < 3; i++) {
                client.send("GET /hello/" + i + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
                RawClient.Reply reply = client.read();
                assertEquals(200, reply.status());
                assertEquals("hello /hello/" + i, reply.text());
            }
        }
    }

    @Test
    void aMalformedBodyNobodyReadsMakesTheAnswerSayCloseBeforeTheServerCloses() throws IOException {
        try (RawClient client = new RawClient(address)) {
            client.send("POST /hello/x HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\nnot-a-size\r\n");
            RawClient.Reply reply = client.read();
            assertEquals(200, reply.status());
            assertEquals("close", reply.header("Connection"), "the answer says what the server then does");
            assertTrue(client.atEnd());
        }
    }

    @Test
    void aHandlerRelayingASmallBodySentWithoutExpectAnswersWithIt() throws IOException {
        mount(
                "/echo",
                request -> CompletableFuture.completedStage(
                        Response.of(200).body(Body.ofParts(request.body(), request.contentLength()))));
        try (RawClient client = new RawClient(address)) {
            client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello");
            RawClient.Reply reply = client.read();
            assertEquals(200, reply.status());
            assertEquals("hello", reply.text());
            client.send("GET /hello/after HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals("hello /hello/after", client.read().text(), "the connection goes on");
        }
    }

    @Test
    void emptyLinesBeforeAndBetweenPipelinedRequestsAreIgnored() throws IOException {
        try (RawClient client = new RawClient(address)) {
            client.send("\r\nPOST /hello/a HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc\r\n"
                    + "GET /hello/b HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals("hello /hello/a", client.read().text());
            assertEquals("hello /hello/b", client.read().text());
            client.send("GET /hello/c HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals("hello /hello/c", client.read().text(), "the connection is still open");
        }
    }

    @Test
    void optionsAsteriskIsAnsweredByTheServer() throws IOException {
        try (RawClient client = new RawClient(address)) {
            client.send("OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawClient.Reply reply = client.read();
            assertEquals(200, reply.status());
            assertEquals("GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE, PATCH", reply.header("Allow"));
            assertEquals("0", reply.header("Content-Length"));
        }
    }

    @Test
    void aSmallReadBufferStillServesLargeHeadsBodiesAndPipelines() throws Exception {
        server.stop(200);
        mount(
                "/upload",
                request -> Bodies.collect(request.body(), 1 << 20)
                        .thenApply(bytes -> Response.text(
                                200,
                                request.headers().first("X-Padding").orElse("").length() + " header bytes, "
                                        + bytes.length + " body bytes")));
        server = new HttpServer(
                new ServerConfig("127.0.0.1", 0, 1, 2, false, 100, 30_000, CoreConfig.DEFAULT).withReadBufferSize(1024),
                glue);
        address = server.start();
        String padding = "p".repeat(6000); // a head six times the read buffer
        byte[] body = new byte[10_000];
        new Random(7).nextBytes(body);
        try (RawClient client = new RawClient(address)) {
            client.send("POST /upload HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + padding + "\r\nContent-Length: "
                    + body.length + "\r\n\r\n");
            client.send(body);
            client.send("GET /hello/a HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "GET /hello/b HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals("6000 header bytes, 10000 body bytes", client.read().text());
            assertEquals("hello /hello/a", client.read().text());
            assertEquals("hello /hello/b", client.read().text());
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> ServerConfig.of("127.0.0.1", 0).withReadBufferSize(512));
    }

    @Test
    void answersHundredPipelinedRequestsInOrder() throws IOException {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            batch.append("GET /hello/").append(i).append(" HTTP/1.1\r\nHost: localhost\r\n\r\n");
        }
        try (RawClient client = new RawClient(address)) {
            client.send(batch.toString());
            for (int i = 0; i < 100; i++) {
                assertEquals("hello /hello/" + i, client.read().text());
            }
        }
    }

    @Test
    void sameStreamIsChunkedToHttp11AndCloseDelimitedToHttp10() throws IOException {
        mount(
                "/parts",
                request -> CompletableFuture.completedStage(Response.of(200).body(Body.ofParts(new Counting(3, 10)))));
        try (RawClient client = new RawClient(address)) {
            client.send("GET /parts HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawClient.Reply reply = client.read();
            assertEquals("chunked", reply.header("Transfer-Encoding"));
            assertEquals(30, reply.body().length);
        }
        try (RawClient client = new RawClient(address)) {
            client.send("GET /parts HTTP/1.0\r\n\r\n");
            RawClient.Reply reply = client.read();
            assertEquals(null, reply.header("Transfer-Encoding"));
            assertEquals("close", reply.header("Connection"));
            assertEquals(30, reply.body().length);
        }
    }

    @Test
    void sendsFileRegionsExactly(@TempDir Path dir) throws IOException {
        byte[] content = new byte[(2 << 20) + 17]; // more than the socket buffers take at once
        new Random(42).nextBytes(content);
        Path file = Files.write(dir.resolve("big.bin"), content);
        mount(
                "/file",
                request -> CompletableFuture.completedStage(Response.of(200).body(Body.ofFile(file))));
        try (RawClient client = new RawClient(address)) {
            client.send("GET /file HTTP/1.1\r\nHost: localhost\r\n\r\nGET /file HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertArrayEquals(content, client.read().body());
            assertArrayEquals(content, client.read().body(), "the connection stays in sync after a file");
        }
        try (RawClient client = new RawClient(address)) {
            client.send("GET /file HTTP/1.0\r\n\r\n"); // the close waits for the file's last byte
            RawClient.Reply reply = client.read();
            assertEquals("close", reply.header("Connection"));
            assertArrayEquals(content, reply.body());
            assertTrue(client.atEnd());
        }
    }

    @Test
    void aFileAnswerCutShortByTheClientClosesItsFile(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("big.bin"), new byte[16 << 20]); // far more than the socket buffers take
        FileChannel[] opened = new FileChannel[1];
        CountDownLatch answered = new CountDownLatch(1);
        mount("/file", request -> {
            opened[0] = FileChannel.open(file);
            answered.countDown();
            return CompletableFuture.completedStage(Response.of(200).body(Body.ofFile(opened[0], 0, 16 << 20)));
        });
        try (RawClient client = new RawClient(address, 16384)) {
            client.send("GET /file HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals('H', client.input().read(), "the answer has begun");
            Await.latch(answered, "the answer");
            assertTrue(opened[0].isOpen(), "most of the file is still to send");
            client.socket.setSoLinger(true, 0);
        } // closed with a reset
        Await.counter(() -> opened[0].isOpen() ? 1 : 0, 0);
    }

    @Test
    void pipelinedInputLargerThanAPooledBufferIsKeptWholeWhileTheRequestBeforeIsAnswered() throws Exception {
        CompletableFuture<Response> held = new CompletableFuture<>();
        CountDownLatch called = new CountDownLatch(1);
        mount("/held", request -> {
            called.countDown();
            return held;
        });
        StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < 600; i++) { // some 24 KB behind the held request: more than a pooled 16 KiB buffer
            pipeline.append("GET /hello/").append(i).append(" HTTP/1.1\r\nHost: localhost\r\n\r\n");
        }
        try (RawClient client = new RawClient(address)) {
            client.send("GET /held HTTP/1.1\r\nHost: localhost\r\n\r\n" + pipeline);
            Await.latch(called, "call of the held handler");
            held.complete(Response.text(200, "held"));
            assertEquals("held", client.read().text());
            for (int i = 0; i < 600; i++) {
                assertEquals("hello /hello/" + i, client.read().text());
            }
        }
    }

    @Test
    void afterTheGraceTheStopClosesWhatIsStillOpenAndEndsItsThreads() throws Exception {
        CountDownLatch called = new CountDownLatch(1);
        mount("/never", request -> {
            called.countDown();
            return new CompletableFuture<>();
        });
        int port = address.getPort();
        try (RawClient client = new RawClient(address)) {
            client.send("GET /never HTTP/1.1\r\nHost: localhost\r\n\r\n");
            Await.latch(called, "call of the handler");
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().startsWith("plinth-")) {
                    assertTrue(thread.isDaemon(), "a server never stopped must not keep the JVM alive: " + thread);
                }
            }
            assertTrue(alive("plinth-acceptor-" + port) && alive("plinth-loop-watchdog-" + port));
            HttpServer stopped = server;
            server = null;
            stopped.stop(100);
            assertTrue(client.atEnd(), "closed after the grace");
            assertEquals(0, stopped.stats().connectionsOpen());
        }
        assertFalse(alive("plinth-acceptor-" + port), "the acceptor has ended");
        assertFalse(alive("plinth-loop-watchdog-" + port), "the watchdog has ended");
    }

    @Test
    void aDrainClosesIdleConnectionsLetsTheExchangeInFlightFinishWithCloseAndAcceptsNoMore() throws Exception {
        CountDownLatch called = new CountDownLatch(1);
        CompletableFuture<Response> answer = new CompletableFuture<>();
        mount("/slow", request -> {
            called.countDown();
            return answer;
        });
        try (RawClient idle = new RawClient(address);
                RawClient busy = new RawClient(address)) {
            idle.send("GET /hello/a HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals(200, idle.read().status());
            busy.send("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n");
            Await.latch(called, "call of the slow handler");
            CompletableFuture<HttpServer.Drained> drained = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.drain(10_000);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(idle.atEnd(), "the idle connection is closed at once");
            assertThrows(IOException.class, () -> new RawClient(address).send("GET / HTTP/1.1\r\n\r\n"));
            assertFalse(drained.isDone(), "the drain waits for the exchange in flight");
            answer.complete(Response.text(200, "late"));
            RawClient.Reply reply = busy.read();
            assertEquals("late", new String(reply.body(), StandardCharsets.US_ASCII));
            // Connection: close when the drain reached this connection's loop first; closed after it either way
            assertTrue(busy.atEnd(), "closed after the exchange in flight");
            HttpServer.Drained result = drained.get(10, TimeUnit.SECONDS);
            assertEquals(new HttpServer.Drained(2, 1, 0, result.millis()), result);
        }
    }

    private static boolean alive(String threadName) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals(threadName) && thread.isAlive());
    }

    @Test
    void echoesAnUploadThroughTheRequestBody() throws IOException {
        mount(
                "/size",
                request -> Bodies.collect(request.body(), 1 << 20)
                        .thenApply(bytes -> Response.text(200, Integer.toString(bytes.length))));
        try (RawClient client = new RawClient(address)) {
            client.send("POST /size HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
                    + "Expect: 100-continue\r\n\r\n");
            assertEquals(100, client.read().status());
            client.send("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            assertEquals("11", client.read().text());
        }
    }

    @Test
    void badRequestIsAnsweredCompletelyBeforeTheClose() throws IOException {
        try (RawClient client = new RawClient(address)) {
            client.send("GET /hello HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nTransfer-Encoding: chunked"
                    + "\r\n\r\n" + "x".repeat(100_000));
            RawClient.Reply reply = client.read();
            assertEquals(400, reply.status());
            assertEquals("close", reply.header("Connection"));
            assertTrue(client.atEnd());
        }
    }

    @Test
    void headAnswersWithTheHeadersOfGet() throws IOException {
        try (RawClient client = new RawClient(address)) {
            client.send("GET /hello/h HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "HEAD /hello/h HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "GET /hello/after HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawClient.Reply get = client.read();
            RawClient.Reply head = client.read(true);
            get.headers().remove("date");
            head.headers().remove("date");
            assertEquals(get.headers(), head.headers());
            assertEquals("hello /hello/after", client.read().text(), "no body bytes followed the HEAD response");
        }
    }

    @Test
    void continueIsNotSentWhenTheHandlerAnswersWithoutReading() throws IOException {
        try (RawClient client = new RawClient(address)) {
            client.send("POST /hello/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n"
                    + "Expect: 100-continue\r\n\r\n");
            RawClient.Reply reply = client.read();
            assertEquals(200, reply.status(), "the final answer comes without a 100 first");
            assertEquals("close", reply.header("Connection"));
            assertTrue(client.atEnd());
        }
    }

    @Test
    void handlerFailuresGive500BeforeTheFirstPartAndACloseAfterIt() throws IOException {
        mount("/throws", request -> {
            throw new IllegalStateException("handler bug");
        });
        mount(
                "/breaks",
                request -> CompletableFuture.completedStage(Response.of(200)
                        .body(Body.ofParts(
                                new ListPublisher(List.of("ok"), new IllegalStateException("broken stream"))))));
        try (RawClient client = new RawClient(address)) {
            client.send("GET /throws HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals(500, client.read().status());
            client.send("GET /hello/still HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals("hello /hello/still", client.read().text(), "the connection survives a 500");
            client.send("GET /breaks HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThrows(IOException.class, client::read, "a broken stream never looks complete");
        }
    }

    @Test
    void handlerWritingMoreThanItsDeclaredLengthGetsTheConnectionClosed() throws IOException {
        mount(
                "/long",
                request ->
                        CompletableFuture.completedStage(Response.of(200).body(Body.ofParts(new Counting(3, 10), 25))));
        try (RawClient client = new RawClient(address)) {
            client.send("GET /long HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "GET /hello/x HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawClient.Reply reply = client.read();
            assertEquals("25", reply.header("Content-Length"));
            assertEquals(20, reply.body().length, "two parts fit, the third is refused, then the connection closes");
            assertTrue(client.atEnd(), "the pipelined request is not answered on a desynchronised connection");
        }
    }

    @Test
    void handlerNotReadingItsBodyMakesTheServerStopReadingTheSocket() throws Exception {
        CountingSubscriber body = new CountingSubscriber(1);
        mount("/upload", request -> {
            request.body().subscribe(body);
            return body.done().thenApply(total -> Response.text(200, Long.toString(total)));
        });
        long total = 32L << 20; // more than the kernel buffers while the server does not read (the client's at most)
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", address.getPort()));
                Selector selector = Selector.open()) {
            channel.write(ByteBuffer.wrap(
                    ("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + total + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1)));
            Flow.Subscription subscription = body.subscription().get(Await.EVENT_MILLIS, TimeUnit.MILLISECONDS);
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, 0);
            ByteBuffer block = ByteBuffer.allocate(1 << 16);
            long written = 0;
            // write until the socket refuses more: the server is not reading, so the kernel buffers fill
            for (int refusals = 0; refusals < 200 && written < total; ) {
                int n = channel.write(block.clear());
                written += n;
                if (n == 0) {
                    refusals++;
                    Thread.onSpinWait();
                } else {
                    refusals = 0;
                }
            }
            assertTrue(written < total, "the server must not swallow the whole upload: " + written);
            assertTrue(body.received() <= 64 * 1024, "one part delivered for one requested: " + body.received());
            subscription.request(Long.MAX_VALUE);
            while (written < total) {
                awaitReady(selector, key, SelectionKey.OP_WRITE);
                written += channel.write(block.clear().limit((int) Math.min(block.capacity(), total - written)));
            }
            ByteBuffer reply = ByteBuffer.allocate(4096);
            String text = "";
            while (!text.endsWith(Long.toString(total))) {
                awaitReady(selector, key, SelectionKey.OP_READ);
                if (channel.read(reply) < 0) {
                    break;
                }
                text = new String(reply.array(), 0, reply.position(), StandardCharsets.ISO_8859_1);
            }
            assertTrue(text.startsWith("HTTP/1.1 200 "), text);
            assertTrue(text.endsWith(Long.toString(total)), text);
        }
    }

    /** Waits, bounded, until a non-blocking socket is ready for {@code op}: a server that stalls fails the test. */
    private static void awaitReady(Selector selector, SelectionKey key, int op) throws IOException {
        key.interestOps(op);
        assertTrue(
                selector.select(Await.EVENT_MILLIS) > 0,
                "the server made no progress within " + Await.EVENT_MILLIS + " ms");
        selector.selectedKeys().clear();
    }

    /** Publishes {@code count} parts of {@code size} bytes on demand, counting bytes produced. */
    static final class Counting implements Flow.Publisher<ByteBuffer> {
        private final int count;
        private final int size;
        final AtomicLong produced = new AtomicLong();
        final CountDownLatch cancelled = new CountDownLatch(1);

        Counting(int count, int size) {
            this.count = count;
            this.size = size;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                private int sent;

                @Override
                public synchronized void request(long n) {
                    for (long i = 0; i < n && sent < count; i++) {
                        sent++;
                        produced.addAndGet(size);
                        subscriber.onNext(ByteBuffer.allocate(size));
                        if (sent == count) {
                            subscriber.onComplete();
                        }
                    }
                }

                @Override
                public void cancel() {
                    sent = count;
                    cancelled.countDown();
                }
            });
        }
    }
}

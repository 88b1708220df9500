package dev.plinth.http.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.core.testing.TestGlue;
import dev.plinth.http.handler.Bodies;
import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The transport over TLS, with real clients over loopback sockets. */
@Timeout(30)
class TlsTransportTest {

    private static final byte[] BIG = new Random(7)
            .ints(3 << 20)
            .collect(java.io.ByteArrayOutputStream::new, (out, i) -> out.write(i), (a, b) -> {})
            .toByteArray();

    private final TestGlue glue = new TestGlue();
    private HttpServer server;
    private InetSocketAddress address;

    @TempDir
    Path folder;

    private void start(TlsConfig tls) throws IOException {
        start(ServerConfig.of("127.0.0.1", 0).withTls(tls));
    }

    private void start(ServerConfig config) throws IOException {
        glue.mount(
                "/who",
                request -> CompletableFuture.completedStage(Response.text(
                        200,
                        request.scheme() + " "
                                + request.tlsSession().map(s -> s.getProtocol()).orElse("-") + " " + request.path())));
        glue.mount(
                "/big",
                request -> CompletableFuture.completedStage(Response.of(200).body(Body.of(BIG))));
        glue.mount(
                "/count",
                request -> Bodies.collect(request.body(), 8 << 20)
                        .thenApply(bytes -> Response.text(200, Integer.toString(bytes.length))));
        server = new HttpServer(config, glue);
        address = server.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.stop(200);
        }
    }

    @Test
    void servesKeepAliveRequestsOverTlsAndTellsTheHandlerTheScheme() throws IOException {
        start(TestTls.localhost());
        try (RawClient client = new RawClient(TestTls.connect(TestTls.client(), address))) {
            for (int i = 0; i < 3; i++) {
                client.send("GET /who/" + i + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
                RawClient.Reply reply = client.read();
                assertEquals(200, reply.status());
                assertEquals("https TLSv1.3 /who/" + i, reply.text());
            }
        }
        assertEquals(1, server.stats().tlsHandshakes());
    }

    @Test
    void servesTls12Too() throws IOException {
        start(TestTls.localhost());
        try (RawClient client = new RawClient(TestTls.connect(TestTls.client(), address, "TLSv1.2"))) {
            client.send("GET /who HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals("https TLSv1.2 /who", client.read().text());
        }
    }

    @Test
    void pipelinedRequestsInOneRecordAreAnsweredInOrder() throws IOException {
        start(TestTls.localhost());
        try (RawClient client = new RawClient(TestTls.connect(TestTls.client(), address))) {
            client.send("GET /who/1 HTTP/1.1\r\nHost: a\r\n\r\nGET /who/2 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /who/3 HTTP/1.1\r\nHost: a\r\n\r\n");
            for (int i = 1; i <= 3; i++) {
                assertEquals("https TLSv1.3 /who/" + i, client.read().text());
            }
        }
    }

    @Test
    void pipelinedRequestsInManyRecordsWaitingWhileTheConnectionAnswersAreAllAnswered() throws IOException {
        // a small read buffer: decrypted bytes and whole records wait in the TLS layer, off the socket, while the
        // connection answers; nothing but the connection's resumption will bring them in
        start(ServerConfig.of("127.0.0.1", 0).withReadBufferSize(1024).withTls(TestTls.localhost()));
        try (RawClient client = new RawClient(TestTls.connect(TestTls.client(), address))) {
            for (int i = 0; i < 50; i++) { // a record each, read off the socket while the first ones are answered
                client.send("POST /count HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n" + (10000 + i));
            }
            for (int i = 0; i < 50; i++) {
                assertEquals("5", client.read().text(), "answer " + i);
            }
        }
    }

    @Test
    void theJdkHttpClientGetsLargeBodiesAndSendsLargeOnes() throws Exception {
        start(TestTls.localhost());
        HttpClient client = HttpClient.newBuilder()
                .sslContext(TestTls.client())
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        URI base = URI.create("https://localhost:" + address.getPort());
        HttpResponse<byte[]> big = client.send(
                HttpRequest.newBuilder(base.resolve("/big")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, big.statusCode());
        assertArrayEquals(BIG, big.body());
        HttpResponse<String> count = client.send(
                HttpRequest.newBuilder(base.resolve("/count"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(BIG))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(Integer.toString(BIG.length), count.body());
    }

    @Test
    void aFileIsSentThroughTheRecordBufferIntact() throws Exception {
        Path file = folder.resolve("big.bin");
        Files.write(file, BIG);
        glue.mount("/file", request -> {
            try {
                FileChannel channel = FileChannel.open(file);
                return CompletableFuture.completedStage(
                        Response.of(200).body(Body.ofFile(channel, 1000, BIG.length - 2000)));
            } catch (IOException e) {
                return CompletableFuture.failedStage(e);
            }
        });
        start(TestTls.localhost());
        try (RawClient client = new RawClient(TestTls.connect(TestTls.client(), address))) {
            client.send("GET /file HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Reply reply = client.read();
            assertArrayEquals(java.util.Arrays.copyOfRange(BIG, 1000, BIG.length - 1000), reply.body());
            client.send("GET /who HTTP/1.1\r\nHost: a\r\n\r\n"); // the connection goes on after it
            assertEquals("https TLSv1.3 /who", client.read().text());
        }
    }

    @Test
    void aRequiredClientCertificateIsVerifiedAndShownToTheHandler() throws Exception {
        glue.mount(
                "/me",
                request -> CompletableFuture.completedStage(Response.text(
                        200,
                        request.clientCertificates().stream()
                                .map(c -> c.getSubjectX500Principal().getName())
                                .toList()
                                .toString())));
        start(TestTls.localhost().withClientAuth(TlsConfig.ClientAuth.NEED, TestTls.file("ca.pem"), ""));
        try (RawClient client = new RawClient(TestTls.connect(TestTls.client("client.p12"), address))) {
            client.send("GET /me HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("[CN=Test Client, CN=Plinth Test CA]", client.read().text());
        }
        for (String refused : new String[] {null, "stranger.p12"}) {
            // TLS 1.3 lets the client finish first: the server's refusal arrives as the client reads
            assertThrows(
                    IOException.class,
                    () -> {
                        try (RawClient client = new RawClient(TestTls.connect(TestTls.client(refused), address))) {
                            client.send("GET /me HTTP/1.1\r\nHost: a\r\n\r\n");
                            client.read();
                        }
                    },
                    String.valueOf(refused));
        }
        Await.counter(server.stats()::tlsHandshakeFailures, 2);
        assertEquals(1, server.stats().requests(), "only the verified client got an answer");
    }

    @Test
    void aWantedClientCertificateIsOptional() throws Exception {
        glue.mount(
                "/me",
                request -> CompletableFuture.completedStage(Response.text(
                        200, Integer.toString(request.clientCertificates().size()))));
        start(TestTls.localhost().withClientAuth(TlsConfig.ClientAuth.WANT, TestTls.file("ca.pem"), ""));
        for (String keyStore : new String[] {"client.p12", null}) {
            try (RawClient client = new RawClient(TestTls.connect(TestTls.client(keyStore), address))) {
                client.send("GET /me HTTP/1.1\r\nHost: a\r\n\r\n");
                assertEquals(keyStore == null ? "0" : "2", client.read().text(), String.valueOf(keyStore));
            }
        }
    }

    @Test
    void plainHttpToTheTlsPortGetsA400ThatSaysSoAndAClose() throws Exception {
        start(TestTls.localhost());
        try (RawClient client = new RawClient(address)) {
            client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawClient.Reply reply = client.read();
            assertEquals(400, reply.status());
            assertEquals("close", reply.header("Connection"));
            assertTrue(reply.text().contains("HTTPS"), reply.text());
            assertTrue(client.atEnd());
        }
        Await.counter(server.stats()::tlsPlainHttp, 1);
        Await.counter(server.stats()::connectionsOpen, 0);
    }

    @Test
    void garbageInsteadOfAClientHelloIsClosedAndCounted() throws Exception {
        start(TestTls.localhost());
        try (Socket socket = new Socket("127.0.0.1", address.getPort())) {
            socket.setSoTimeout(2_000);
            byte[] garbage = new byte[300];
            new Random(1).nextBytes(garbage);
            garbage[0] = 22; // looks like a handshake record, then nonsense
            socket.getOutputStream().write(garbage);
            assertTrue(readsToEnd(socket.getInputStream()), "closed");
        }
        Await.counter(server.stats()::tlsHandshakeFailures, 1);
        Await.counter(server.stats()::connectionsOpen, 0);
    }

    @Test
    void aClientThatNeverFinishesItsHandshakeIsClosedAtTheDeadline() throws Exception {
        start(TestTls.localhost().withHandshakeTimeoutMillis(300));
        try (Socket socket = new Socket("127.0.0.1", address.getPort())) {
            socket.setSoTimeout(3_000);
            socket.getOutputStream().write(new byte[] {22, 3, 1, 0, (byte) 200, 1}); // a hello that stops short
            Await.counter(
                    () -> server.connections().stream()
                            .filter(c -> c.state().equals("tls handshake"))
                            .count(),
                    1); // what an operator sees meanwhile
            long start = System.nanoTime();
            assertTrue(readsToEnd(socket.getInputStream()), "closed");
            assertTrue(System.nanoTime() - start >= 250_000_000L, "not before the deadline");
        }
        assertEquals(1, server.stats().tlsHandshakeTimeouts());
        assertTrue(server.connections().isEmpty());
        Await.counter(server.stats()::connectionsOpen, 0);
    }

    @Test
    void aTls11HelloIsRefusedWithAnAlert() throws Exception {
        start(TestTls.localhost());
        // the JDK's client will not even offer TLS 1.1 any more: the hello is written by hand
        assertEquals(ALERT, answerTo(clientHello(0x0302, 0xc013, 0x002f)));
        Await.counter(server.stats()::tlsHandshakeFailures, 1);
        Await.counter(server.stats()::connectionsOpen, 0);
    }

    @Test
    void aTls12HelloWithOnlyWeakCipherSuitesIsRefusedWithAnAlert() throws Exception {
        start(TestTls.localhost().withHandshakeTimeoutMillis(500));
        // RC4, 3DES, and AES-CBC with RSA key transport: none is offered
        assertEquals(ALERT, answerTo(clientHello(0x0303, 0x0005, 0x000a, 0x002f, 0x003c)));
        Await.counter(server.stats()::tlsHandshakeFailures, 1);
        // the same hello with a strong suite is answered with the server's hello (and then waits, in vain)
        assertEquals(HANDSHAKE, answerTo(clientHello(0x0303, 0x0005, 0xc02f)));
        assertEquals(1, server.stats().tlsHandshakeFailures());
        Await.counter(server.stats()::connectionsOpen, 0);
    }

    private static final int ALERT = 21;
    private static final int HANDSHAKE = 22;

    /** @return the type of the first record the server answers with, then reads to the end */
    private int answerTo(byte[] hello) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", address.getPort())) {
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write(hello);
            InputStream in = socket.getInputStream();
            int type = in.read();
            assertTrue(readsToEnd(in), "closed");
            return type;
        }
    }

    /** A small ClientHello record: no session, the extensions a TLS 1.2 server needs for ECDHE. */
    private static byte[] clientHello(int version, int... suites) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(version >> 8);
        body.write(version);
        body.writeBytes(new byte[32]); // random
        body.write(0); // session id
        body.write(0);
        body.write(suites.length * 2);
        for (int suite : suites) {
            body.write(suite >> 8);
            body.write(suite);
        }
        body.write(1); // compression methods: null
        body.write(0);
        byte[] extensions = {
            0x00,
            0x0a,
            0x00,
            0x06,
            0x00,
            0x04,
            0x00,
            0x1d,
            0x00,
            0x17, // supported groups: x25519, secp256r1
            0x00,
            0x0b,
            0x00,
            0x02,
            0x01,
            0x00, // EC point formats: uncompressed
            0x00,
            0x0d,
            0x00,
            0x08,
            0x00,
            0x06,
            0x08,
            0x04,
            0x04,
            0x01,
            0x04,
            0x03 // signature algorithms
        };
        body.write(0);
        body.write(extensions.length);
        body.writeBytes(extensions);
        byte[] message = body.toByteArray();
        java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream();
        record.writeBytes(new byte[] {22, 3, 1, 0, (byte) (message.length + 4), 1, 0, 0, (byte) message.length});
        record.writeBytes(message);
        return record.toByteArray();
    }

    @Test
    void renegotiatingTls12IsRefused() throws Exception {
        start(TestTls.localhost());
        try (SSLSocket socket = TestTls.connect(TestTls.client(), address, "TLSv1.2")) {
            RawClient client = new RawClient(socket);
            client.send("GET /who HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(200, client.read().status());
            socket.startHandshake(); // a new handshake on the same connection
            assertThrows(IOException.class, () -> {
                client.send("GET /who HTTP/1.1\r\nHost: a\r\n\r\n");
                client.read();
            });
        }
        Await.counter(server.stats()::tlsRenegotiationsRefused, 1);
        Await.counter(server.stats()::connectionsOpen, 0);
    }

    @Test
    void aClientsCloseNotifyClosesTheConnection() throws Exception {
        start(TestTls.localhost());
        SSLSocket socket = TestTls.connect(TestTls.client(), address);
        RawClient client = new RawClient(socket);
        client.send("GET /who HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(200, client.read().status());
        assertEquals(1, server.stats().connectionsOpen());
        socket.close(); // sends close_notify
        Await.counter(server.stats()::connectionsOpen, 0);
        assertEquals(0, server.stats().errors());
    }

    @Test
    void closingAfterAnAnswerSendsCloseNotify() throws Exception {
        start(TestTls.localhost());
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            try (EngineClient client = new EngineClient(address, protocol)) {
                client.send("GET /who HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                String answer = client.readToEnd();
                assertTrue(answer.startsWith("HTTP/1.1 200 ") && answer.endsWith(" /who"), answer);
                assertTrue(client.closeNotifyReceived(), protocol + ": close_notify, not a bare close");
            }
        }
    }

    @Test
    void strictTransportSecurityIsSentOverTlsOnly() throws Exception {
        CoreConfig core = CoreConfig.DEFAULT.withStrictTransportSecurity("max-age=31536000");
        start(ServerConfig.of("127.0.0.1", 0).withCore(core).withTls(TestTls.localhost()));
        try (RawClient client = new RawClient(TestTls.connect(TestTls.client(), address))) {
            client.send("GET /who HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("max-age=31536000", client.read().header("Strict-Transport-Security"));
            client.send("GET /nothing-here HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("max-age=31536000", client.read().header("Strict-Transport-Security"), "on a 404 too");
        }
        server.stop(200);
        server = null;
        start(ServerConfig.of("127.0.0.1", 0).withCore(core));
        try (RawClient client = new RawClient(address)) {
            client.send("GET /who HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Reply reply = client.read();
            assertEquals("http - /who", reply.text());
            assertNull(reply.header("Strict-Transport-Security"));
        }
    }

    @Test
    void aClientThatReadsNothingMakesTheServerHoldNoMoreThanItsCeilingAndTwoRecords() throws Exception {
        glue.mount(
                "/endless",
                request -> CompletableFuture.completedStage(
                        Response.of(200).body(Body.ofParts(new HttpServerTest.Counting(Integer.MAX_VALUE, 16384)))));
        start(ServerConfig.of("127.0.0.1", 0).withWriteTimeoutMillis(300).withTls(TestTls.localhost()));
        SSLSocket socket = (SSLSocket) TestTls.client().getSocketFactory().createSocket();
        socket.setReceiveBufferSize(16384);
        socket.connect(address, 1_000);
        try (RawClient client = new RawClient(socket)) {
            socket.startHandshake();
            client.send("GET /endless HTTP/1.1\r\nHost: localhost\r\n\r\n");
            Await.counter(server.stats()::requests, 1);
            Await.counter(server.stats()::connectionsOpen, 0, 3_000); // dropped by the write timeout
        }
        long peak = server.stats().peakQueuedBytes();
        int ceiling = CoreConfig.DEFAULT.outboundCeiling();
        int records = 2 * 16709; // what one buffer of encrypted records holds
        assertTrue(peak > ceiling / 2, "the queue filled: " + peak);
        assertTrue(
                peak <= ceiling + 16384 + records, "an endless answer to a client that reads nothing queued " + peak);
    }

    private static boolean readsToEnd(InputStream in) throws IOException {
        byte[] sink = new byte[4096];
        try {
            while (in.read(sink) >= 0) {
                // what the server says before it closes (an alert) does not matter here
            }
            return true;
        } catch (java.net.SocketException reset) {
            return true; // closed with unread input: a reset is a close too
        }
    }
}

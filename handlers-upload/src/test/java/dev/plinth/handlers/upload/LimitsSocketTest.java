package dev.plinth.handlers.upload;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The size limit on the wire: refused from the head when Content-Length says too much (no body byte read, no
 * {@code 100 Continue}), or on the part of a chunked body that passes it; and {@code Expect: 100-continue} honoured
 * for a body of acceptable size.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LimitsSocketTest {

    private static final int LIMIT = 200_000;

    @TempDir
    Path temp;

    private Server server;
    private Path root;
    private final Recorder events = new Recorder();

    @BeforeEach
    void start() throws IOException {
        server = Server.start(UploadConfig.of(temp.resolve("files")).maxBytes(LIMIT), events);
        root = server.handler.root();
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    @Test
    void aContentLengthOverTheLimitIsRefusedFromTheHeadAlone() throws Exception {
        try (Socket socket = Http.connect(server.address)) {
            // the head only: if the server waited for any body byte, the read below would time out
            socket.getOutputStream()
                    .write(Http.head("PUT", "/up/big.bin", "Content-Length: 5000000000")
                            .getBytes(ISO_8859_1));
            Http.Reply reply = Http.read(socket.getInputStream());
            assertEquals(413, reply.status(), reply::toString);
            assertEquals("close", reply.header("Connection"));
        }
        assertEquals(0, server.handler.inFlight().peak(), "no body byte reached the handler");
        assertTrue(events.quiet(), "no upload was started");
        assertEquals(List.of(), UploadSocketTest.names(root));
    }

    @Test
    void anExpectationOfContinueOverTheLimitGets413AndNo100() throws Exception {
        try (Socket socket = Http.connect(server.address)) {
            socket.getOutputStream()
                    .write(Http.head("POST", "/up/", "Content-Length: " + (LIMIT + 1), "Expect: 100-continue")
                            .getBytes(ISO_8859_1));
            InputStream in = socket.getInputStream();
            byte[] first = in.readNBytes(12);
            assertEquals("HTTP/1.1 413", new String(first, ISO_8859_1), "the first bytes on the wire");
        }
        assertEquals(0, server.handler.inFlight().peak());
        assertTrue(events.quiet());
    }

    @Test
    void anExpectationOfContinueWithinTheLimitGets100ThenTheUploadCompletes() throws Exception {
        byte[] body = UploadSocketTest.random(LIMIT, 9);
        try (Socket socket = Http.connect(server.address)) {
            OutputStream out = socket.getOutputStream();
            out.write(Http.head("PUT", "/up/ok.bin", "Content-Length: " + body.length, "Expect: 100-continue")
                    .getBytes(ISO_8859_1));
            InputStream in = socket.getInputStream();
            Http.Reply interim = Http.read(in); // before any body byte is sent
            assertEquals(100, interim.status(), interim::toString);
            out.write(body);
            Http.Reply reply = Http.read(in);
            assertEquals(201, reply.status(), reply::toString);
        }
        assertArrayEquals(body, Files.readAllBytes(root.resolve("ok.bin")));
    }

    @Test
    void aChunkedBodyIsRefusedWhenItPassesTheLimitAndTheConnectionCloses() throws Exception {
        try (Socket socket = Http.connect(server.address)) {
            OutputStream out = socket.getOutputStream();
            out.write(Http.head("PUT", "/up/endless.bin", "Transfer-Encoding: chunked")
                    .getBytes(ISO_8859_1));
            Thread writer = new Thread(() -> {
                byte[] chunk = Http.chunked(new byte[16_384], 16_384);
                int withoutEnd = chunk.length - 5; // "0\r\n\r\n"
                try {
                    for (int i = 0; i < 1024; i++) { // 16 MiB, far past the limit and the server's drain limit
                        out.write(chunk, 0, withoutEnd);
                    }
                } catch (IOException closed) {
                    // the server closed (it reads and drops input for a while first, so this may not happen)
                }
            });
            writer.start();
            InputStream in = socket.getInputStream();
            Http.Reply reply = Http.read(in);
            assertEquals(413, reply.status(), reply::toString);
            assertEquals("close", reply.header("Connection"));
            assertEquals(-1, in.read(), "the server closes the connection after the answer");
            writer.join(TimeUnit.MILLISECONDS.toMillis(Recorder.WAIT_MILLIS));
        }
        Recorder.Outcome outcome = events.next();
        assertEquals(413, outcome.status());
        assertEquals(1, outcome.deleted());
        assertTrue(events.written() <= LIMIT, "nothing past the limit was written: " + events.written());
        assertTrue(
                server.handler.inFlight().peak() <= 65_536,
                "peak " + server.handler.inFlight().peak());
        assertEquals(List.of(), UploadSocketTest.names(root));
    }

    @Test
    void aFormPassingTheLimitIsRefusedToo() throws Exception {
        byte[] form = new Form()
                .file("f", "a.bin", UploadSocketTest.random(LIMIT, 10))
                .bytes();
        Http.Reply reply = Http.send(
                server.address,
                Http.head("POST", "/up/", Form.CONTENT_TYPE, "Transfer-Encoding: chunked"),
                Http.chunked(form, 8_192));
        assertEquals(413, reply.status(), reply::toString);
        assertEquals(413, events.next().status());
        assertEquals(List.of(), UploadSocketTest.names(root));
    }
}

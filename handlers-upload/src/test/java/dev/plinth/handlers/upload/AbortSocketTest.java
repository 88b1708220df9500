package dev.plinth.handlers.upload;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.CoreConfig;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads that do not finish leave nothing behind: the client closing mid-body (a raw body, a form), the handler
 * stopped mid-body, the server's body and handler timeouts. Each test waits until the server has written some of the body to a temporary file, so there is
 * one to delete, then waits for the upload's outcome event.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AbortSocketTest {

    @TempDir
    Path temp;

    private Server server;
    private final Recorder events = new Recorder();

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    private Path start() throws Exception {
        return start(CoreConfig.DEFAULT);
    }

    private Path start(CoreConfig core) throws Exception {
        server = Server.start(UploadConfig.of(temp.resolve("files")), events, core);
        Path root = server.handler.root();
        Files.createDirectories(root.resolve("sub"));
        return root;
    }

    @Test
    void aRawBodyCutShortLeavesNothing() throws Exception {
        Path root = start();
        try (Socket socket = Http.connect(server.address)) {
            OutputStream out = socket.getOutputStream();
            out.write(Http.head("PUT", "/up/sub/cut.bin", "Content-Length: 1000000")
                    .getBytes(ISO_8859_1));
            out.write(new byte[300_000]);
            out.flush();
            events.awaitWritten(100_000);
            assertEquals(1, hidden(root.resolve("sub")), "a temporary file is being written");
        }
        Recorder.Outcome outcome = events.next();
        assertEquals(400, outcome.status(), outcome::toString);
        assertEquals(1, outcome.deleted());
        assertEquals(List.of("sub"), UploadSocketTest.names(root));
    }

    @Test
    void aFormCutShortLeavesNothingNotEvenItsCompleteFiles() throws Exception {
        Path root = start();
        byte[] form = new Form()
                .file("a", "first.bin", new byte[100_000])
                .file("b", "second.bin", new byte[200_000])
                .open();
        byte[] cut = Arrays.copyOf(form, form.length - 50_000);
        try (Socket socket = Http.connect(server.address)) {
            OutputStream out = socket.getOutputStream();
            out.write(Http.head("POST", "/up/", Form.CONTENT_TYPE, "Transfer-Encoding: chunked")
                    .getBytes(ISO_8859_1));
            byte[] chunked = Http.chunked(cut, 10_000);
            out.write(chunked, 0, chunked.length - 5); // no last chunk
            out.flush();
            events.awaitWritten(cut.length);
            assertEquals(2, hidden(root), "two temporary files");
        }
        Recorder.Outcome outcome = events.next();
        assertEquals(400, outcome.status(), outcome::toString);
        assertEquals(2, outcome.deleted());
        assertEquals(List.of("sub"), UploadSocketTest.names(root));
    }

    @Test
    void stoppingTheHandlerMidBodyAnswers503AndLeavesNothing() throws Exception {
        Path root = start();
        try (Socket socket = Http.connect(server.address)) {
            OutputStream out = socket.getOutputStream();
            out.write(Http.head("PUT", "/up/stopped.bin", "Content-Length: 1000000")
                    .getBytes(ISO_8859_1));
            out.write(new byte[300_000]);
            out.flush();
            events.awaitWritten(100_000);
            server.handler.close();
            Http.Reply reply = Http.read(socket.getInputStream());
            assertEquals(503, reply.status(), reply::toString);
        }
        Recorder.Outcome outcome = events.next();
        assertEquals(503, outcome.status());
        assertEquals(1, outcome.deleted());
        assertEquals(List.of("sub"), UploadSocketTest.names(root));
    }

    @Test
    void aBodyThatStallsPastTheServersBodyTimeoutIs408AndLeavesNothing() throws Exception {
        Path root = start(CoreConfig.DEFAULT.withTimeouts(new CoreConfig.Timeouts(30_000, 10_000, 500, 30_000)));
        try (Socket socket = Http.connect(server.address)) {
            OutputStream out = socket.getOutputStream();
            out.write(Http.head("PUT", "/up/stalled.bin", "Content-Length: 1000000")
                    .getBytes(ISO_8859_1));
            out.write(new byte[300_000]);
            out.flush();
            events.awaitWritten(300_000);
            Http.Reply reply = Http.read(socket.getInputStream()); // then nothing more is sent
            assertEquals(408, reply.status(), reply::toString);
        }
        Recorder.Outcome outcome = events.next();
        assertEquals(1, outcome.deleted(), outcome::toString);
        assertEquals(List.of("sub"), UploadSocketTest.names(root));
    }

    /**
     * The server's handler timeout counts from the body's last movement: an upload whose client keeps sending outlasts
     * it, one whose client stops is answered 503 by the server when it expires (before the longer body timeout) and
     * discarded here.
     */
    @Test
    void anUploadThatKeepsMovingOutlastsTheHandlerTimeout() throws Exception {
        start(CoreConfig.DEFAULT.withTimeouts(new CoreConfig.Timeouts(30_000, 10_000, 30_000, 500)));
        long started = System.nanoTime();
        try (Socket socket = Http.connect(server.address)) {
            OutputStream out = socket.getOutputStream();
            out.write(
                    Http.head("PUT", "/up/moving.bin", "Content-Length: 500000").getBytes(ISO_8859_1));
            for (int sent = 100_000; sent <= 500_000; sent += 100_000) {
                out.write(new byte[100_000]);
                out.flush();
                events.awaitWritten(sent);
                if (sent < 500_000) {
                    Thread.sleep(300); // the client's own pace, the subject of the test: 1.2 s in all, 0.3 s per gap
                }
            }
            Http.Reply reply = Http.read(socket.getInputStream());
            assertEquals(201, reply.status(), reply::toString);
        }
        assertTrue(System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(1_000), "longer than the timeout");
    }

    @Test
    void anUploadThatStopsIsEndedByTheHandlerTimeoutAndLeavesNothing() throws Exception {
        Path root = start(CoreConfig.DEFAULT.withTimeouts(new CoreConfig.Timeouts(30_000, 10_000, 30_000, 1_000)));
        try (Socket socket = Http.connect(server.address)) {
            OutputStream out = socket.getOutputStream();
            out.write(
                    Http.head("PUT", "/up/slow.bin", "Content-Length: 1000000").getBytes(ISO_8859_1));
            out.write(new byte[300_000]);
            out.flush();
            events.awaitWritten(300_000);
            Http.Reply reply = Http.read(socket.getInputStream());
            assertEquals(503, reply.status(), reply::toString);
        }
        Recorder.Outcome outcome = events.next();
        assertEquals(1, outcome.deleted(), outcome::toString);
        assertEquals(List.of("sub"), UploadSocketTest.names(root));
    }

    private static long hidden(Path folder) throws Exception {
        try (var files = Files.list(folder)) {
            return files.filter(f -> Names.isTemporary(f.getFileName().toString()))
                    .count();
        }
    }
}

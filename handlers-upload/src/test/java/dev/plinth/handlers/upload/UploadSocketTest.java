package dev.plinth.handlers.upload;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Uploads that succeed, and requests refused by their head, over a real socket. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UploadSocketTest {

    @TempDir
    Path temp;

    private Server server;
    private final Recorder events = new Recorder();

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    private Path start(UploadConfig config) throws IOException {
        server = Server.start(config, events);
        return server.handler.root();
    }

    private Path directory() {
        return temp.resolve("files");
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** @return every name in the directory tree, hidden ones included */
    static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(f -> !f.equals(directory))
                    .map(f -> directory.relativize(f).toString())
                    .sorted()
                    .toList();
        }
    }

    @Test
    void aPutWithContentLengthIsStoredAndAnswered201WithLocation() throws Exception {
        Path root = start(UploadConfig.of(directory()).locationPrefix("/files").fsync(true));
        byte[] body = random(300_000, 1);
        Http.Reply reply = Http.send(
                server.address, Http.head("PUT", "/up/report%20v1.bin", "Content-Length: " + body.length), body);
        assertEquals(201, reply.status(), reply::toString);
        assertEquals("/files/report%20v1.bin", reply.header("Location"));
        assertEquals("application/json", reply.header("Content-Type"));
        assertEquals(
                "{\"files\":[{\"name\":\"report v1.bin\",\"size\":300000,\"location\":\"/files/report%20v1.bin\"}]}\n",
                reply.text());
        assertArrayEquals(body, Files.readAllBytes(root.resolve("report v1.bin")));
        assertEquals(201, events.next().status());
        assertEquals(List.of("report v1.bin"), names(root), "no temporary file left");
    }

    @Test
    void aHandlerCalledOnAWorkerStoresTheSame() throws Exception {
        server = Server.onWorkers(UploadConfig.of(directory()), events);
        Path root = server.handler.root();
        byte[] body = random(100_000, 11);
        Http.Reply put = Http.send(
                server.address, Http.head("PUT", "/up/w.bin", "Transfer-Encoding: chunked"), Http.chunked(body, 9_999));
        assertEquals(201, put.status(), put::toString);
        byte[] form = new Form().file("f", "v.bin", body).bytes();
        Http.Reply post = Http.send(
                server.address, Http.head("POST", "/up/", Form.CONTENT_TYPE, "Content-Length: " + form.length), form);
        assertEquals(201, post.status(), post::toString);
        assertArrayEquals(body, Files.readAllBytes(root.resolve("w.bin")));
        assertArrayEquals(body, Files.readAllBytes(root.resolve("v.bin")));
        Http.Reply tooLarge = Http.send(
                server.address,
                Http.head("PUT", "/up/x.bin", "Content-Length: " + (UploadHandler.DEFAULT_MAX_BYTES + 1)),
                new byte[0]);
        assertEquals(413, tooLarge.status(), tooLarge::toString);
    }

    @Test
    void aChunkedPutIsStoredWhole() throws Exception {
        Path root = start(UploadConfig.of(directory()));
        Files.createDirectories(root.resolve("sub"));
        byte[] body = random(200_001, 2);
        Http.Reply reply = Http.send(
                server.address,
                Http.head("PUT", "/up/sub/data.bin", "Transfer-Encoding: chunked"),
                Http.chunked(body, 7_777));
        assertEquals(201, reply.status(), reply::toString);
        assertEquals("/up/sub/data.bin", reply.header("Location"));
        assertArrayEquals(body, Files.readAllBytes(root.resolve("sub/data.bin")));
        assertEquals(List.of("sub", "sub/data.bin"), names(root));
    }

    @Test
    void anEmptyPutMakesAnEmptyFile() throws Exception {
        Path root = start(UploadConfig.of(directory()));
        Http.Reply reply =
                Http.send(server.address, Http.head("PUT", "/up/empty.txt", "Content-Length: 0"), new byte[0]);
        assertEquals(201, reply.status(), reply::toString);
        assertEquals(0, Files.size(root.resolve("empty.txt")));
    }

    @Test
    void anExistingFileIsReplacedOnlyWhenOverwriteIsOn() throws Exception {
        Path root = start(UploadConfig.of(directory()));
        Files.writeString(root.resolve("a.txt"), "old");
        Http.Reply refused =
                Http.send(server.address, Http.head("PUT", "/up/a.txt", "Content-Length: 3"), "new".getBytes(UTF_8));
        assertEquals(409, refused.status(), refused::toString);
        assertEquals("old", Files.readString(root.resolve("a.txt")));
        assertEquals(409, events.next().status());
        server.close();

        start(UploadConfig.of(directory()).overwrite(true));
        Http.Reply replaced =
                Http.send(server.address, Http.head("PUT", "/up/a.txt", "Content-Length: 3"), "new".getBytes(UTF_8));
        assertEquals(204, replaced.status(), replaced::toString);
        assertEquals("new", Files.readString(root.resolve("a.txt")));
        assertEquals(List.of("a.txt"), names(root));
    }

    @Test
    void ifNoneMatchStarNeverReplacesAndAPartialPutIsRefused() throws Exception {
        Path root = start(UploadConfig.of(directory()).overwrite(true));
        Files.writeString(root.resolve("a.txt"), "old");
        Http.Reply kept = Http.send(
                server.address,
                Http.head("PUT", "/up/a.txt", "If-None-Match: *", "Content-Length: 3"),
                "new".getBytes(UTF_8));
        assertEquals(412, kept.status(), kept::toString);
        assertEquals("old", Files.readString(root.resolve("a.txt")));
        Http.Reply created = Http.send(
                server.address,
                Http.head("PUT", "/up/b.txt", "If-None-Match: *", "Content-Length: 3"),
                "new".getBytes(UTF_8));
        assertEquals(201, created.status(), created::toString);
        Http.Reply partial = Http.send(
                server.address,
                Http.head("PUT", "/up/a.txt", "Content-Range: bytes 0-2/10", "Content-Length: 3"),
                "new".getBytes(UTF_8));
        assertEquals(400, partial.status(), partial::toString);
        assertEquals("old", Files.readString(root.resolve("a.txt")));
    }

    @Test
    void aTakenNameIsRefusedBeforeTheBodyIsAskedFor() throws Exception {
        Path root = start(UploadConfig.of(directory()));
        Files.writeString(root.resolve("a.txt"), "old");
        try (var socket = Http.connect(server.address)) {
            socket.getOutputStream()
                    .write(Http.head("PUT", "/up/a.txt", "Content-Length: 3", "Expect: 100-continue")
                            .getBytes(UTF_8));
            Http.Reply reply = Http.read(socket.getInputStream());
            assertEquals(409, reply.status(), "no 100 Continue first: " + reply);
        }
    }

    @Test
    void aRawPostGetsAGeneratedName() throws Exception {
        Path root = start(UploadConfig.of(directory()));
        byte[] body = "hello, world\n".getBytes(UTF_8);
        Http.Reply reply = Http.send(
                server.address,
                Http.head("POST", "/up/", "Content-Type: text/plain; charset=utf-8", "Content-Length: " + body.length),
                body);
        assertEquals(201, reply.status(), reply::toString);
        String location = reply.header("Location");
        assertTrue(location.matches("/up/[0-9a-f]{32}\\.txt"), location);
        String name = location.substring("/up/".length());
        assertArrayEquals(body, Files.readAllBytes(root.resolve(name)));
        assertEquals(List.of(name), names(root));
    }

    @Test
    void aFormStoresEachFileAndKeepsItsSmallFields() throws Exception {
        Path root = start(UploadConfig.of(directory())
                .locationPrefix("https://cdn.example/f")
                .fsync(true));
        byte[] first = random(150_000, 3);
        byte[] second = ("line one\r\n--" + Form.BOUNDARY.substring(0, 10) + " not a delimiter\r\n").getBytes(UTF_8);
        byte[] body = new Form()
                .file("photo", "C:\\\\Users\\\\me\\\\holiday.jpg", first) // quoted-pairs: C:\\Users\\me\\...
                .field("note", "with \"quotes\" and ünïcödé")
                .file("doc", "notes.txt", second)
                .bytes();
        Http.Reply reply = Http.send(
                server.address,
                Http.head("POST", "/up", Form.CONTENT_TYPE, "Transfer-Encoding: chunked"),
                Http.chunked(body, 4_096));
        assertEquals(201, reply.status(), reply::toString);
        assertEquals("https://cdn.example/f/holiday.jpg", reply.header("Location"));
        assertEquals(
                "{\"files\":[{\"name\":\"holiday.jpg\",\"field\":\"photo\",\"size\":150000,"
                        + "\"location\":\"https://cdn.example/f/holiday.jpg\"},"
                        + "{\"name\":\"notes.txt\",\"field\":\"doc\",\"size\":" + second.length
                        + ",\"location\":\"https://cdn.example/f/notes.txt\"}],"
                        + "\"fields\":{\"note\":\"with \\\"quotes\\\" and ünïcödé\"}}\n",
                reply.text());
        assertArrayEquals(first, Files.readAllBytes(root.resolve("holiday.jpg")));
        assertArrayEquals(second, Files.readAllBytes(root.resolve("notes.txt")));
        assertEquals(List.of("holiday.jpg", "notes.txt"), names(root));
    }

    @Test
    void aFormNeverReplacesAFile() throws Exception {
        Path root = start(UploadConfig.of(directory()).overwrite(true));
        Files.writeString(root.resolve("a.txt"), "old");
        byte[] body = new Form()
                .file("f", "a.txt", "one".getBytes(UTF_8))
                .file("g", "a.txt", "two".getBytes(UTF_8))
                .file("h", "../../.bashrc", "three".getBytes(UTF_8))
                .file("i", "", new byte[0])
                .bytes();
        Http.Reply reply = Http.send(
                server.address, Http.head("POST", "/up/", Form.CONTENT_TYPE, "Content-Length: " + body.length), body);
        assertEquals(201, reply.status(), reply::toString);
        assertEquals("old", Files.readString(root.resolve("a.txt")));
        List<String> names = names(root);
        assertEquals(4, names.size(), names::toString);
        assertTrue(names.contains("bashrc"), "the dot-file name lost its dots: " + names);
        List<String> variants =
                names.stream().filter(n -> n.matches("a-[0-9a-f]{6}\\.txt")).toList();
        assertEquals(2, variants.size(), names::toString);
        assertEquals(
                List.of("one", "two"),
                variants.stream()
                        .map(n -> {
                            try {
                                return Files.readString(root.resolve(n));
                            } catch (IOException e) {
                                throw new AssertionError(e);
                            }
                        })
                        .sorted()
                        .toList());
    }

    @Test
    void theFormLimitsComeFromTheConfiguration() throws Exception {
        Path root = start(UploadConfig.of(directory()).maxParts(2).maxPartHeaderBytes(128));
        byte[] three = new Form()
                .file("a", "a.bin", random(70_000, 12))
                .file("b", "b.bin", random(70_000, 13))
                .file("c", "c.bin", random(10, 14))
                .bytes();
        Http.Reply parts = Http.send(
                server.address, Http.head("POST", "/up/", Form.CONTENT_TYPE, "Content-Length: " + three.length), three);
        assertEquals(413, parts.status(), parts::toString);
        assertEquals(2, events.next().deleted(), "the two parts begun were deleted");
        byte[] longHead =
                new Form().file("a", "x".repeat(100) + ".bin", new byte[10]).bytes();
        Http.Reply head = Http.send(
                server.address,
                Http.head("POST", "/up/", Form.CONTENT_TYPE, "Content-Length: " + longHead.length),
                longHead);
        assertEquals(413, head.status(), head::toString);
        assertEquals(List.of(), names(root));
    }

    @Test
    void otherMethodsAnswer405WithAllowAndOptionsSaysTheSame() throws Exception {
        start(UploadConfig.of(directory()));
        Http.Reply get = Http.send(server.address, Http.head("GET", "/up/a.txt"), new byte[0]);
        assertEquals(405, get.status());
        assertEquals("PUT, OPTIONS", get.header("Allow"));
        Http.Reply put = Http.send(server.address, Http.head("PUT", "/up/", "Content-Length: 0"), new byte[0]);
        assertEquals(405, put.status());
        assertEquals("POST, OPTIONS", put.header("Allow"));
        Http.Reply post = Http.send(server.address, Http.head("POST", "/up/a.txt", "Content-Length: 0"), new byte[0]);
        assertEquals(405, post.status());
        Http.Reply options = Http.send(server.address, Http.head("OPTIONS", "/up"), new byte[0]);
        assertEquals(204, options.status());
        assertEquals("POST, OPTIONS", options.header("Allow"));
        assertTrue(events.quiet());
    }

    @Test
    void unacceptedContentTypesAnswer415() throws Exception {
        Path root = start(UploadConfig.of(directory()).multipart(false));
        byte[] form = new Form().file("f", "a.txt", "x".getBytes(UTF_8)).bytes();
        Http.Reply off = Http.send(
                server.address, Http.head("POST", "/up/", Form.CONTENT_TYPE, "Content-Length: " + form.length), form);
        assertEquals(415, off.status(), off::toString);
        Http.Reply urlencoded = Http.send(
                server.address,
                Http.head("POST", "/up/", "Content-Type: application/x-www-form-urlencoded", "Content-Length: 3"),
                "a=b".getBytes(UTF_8));
        assertEquals(415, urlencoded.status());
        Http.Reply mixed = Http.send(
                server.address,
                Http.head("POST", "/up/", "Content-Type: multipart/mixed; boundary=x", "Content-Length: 0"),
                new byte[0]);
        assertEquals(415, mixed.status());
        assertEquals(List.of(), names(root));
    }

    @Test
    void aBadFormIsItsParsersStatusAndLeavesNothing() throws Exception {
        Path root = start(UploadConfig.of(directory()).maxFieldBytes(100));
        byte[] bad = new Form().file("f", "a.bin", random(100_000, 4)).bytes();
        bad[bad.length - 10] = '\n'; // a bare LF in the close delimiter line... or data: cut the form instead
        byte[] cut = new Form().file("f", "a.bin", random(100_000, 4)).open();
        Http.Reply unfinished = Http.send(
                server.address, Http.head("POST", "/up/", Form.CONTENT_TYPE, "Content-Length: " + cut.length), cut);
        assertEquals(400, unfinished.status(), unfinished::toString);
        assertEquals(400, events.next().status());

        Http.Reply noBoundary = Http.send(
                server.address,
                Http.head("POST", "/up/", "Content-Type: multipart/form-data", "Content-Length: 0"),
                new byte[0]);
        assertEquals(400, noBoundary.status(), noBoundary::toString);

        byte[] bigField = new Form()
                .file("f", "a.bin", random(1_000, 5))
                .field("note", "x".repeat(200))
                .bytes();
        Http.Reply tooBig = Http.send(
                server.address,
                Http.head("POST", "/up/", Form.CONTENT_TYPE, "Content-Length: " + bigField.length),
                bigField);
        assertEquals(413, tooBig.status(), tooBig::toString);
        Recorder.Outcome outcome = events.next();
        assertEquals(413, outcome.status());
        assertEquals(1, outcome.deleted(), "the file part before the field was deleted");

        byte[] noFile = new Form().field("note", "hi").bytes();
        Http.Reply nothing = Http.send(
                server.address,
                Http.head("POST", "/up/", Form.CONTENT_TYPE, "Content-Length: " + noFile.length),
                noFile);
        assertEquals(400, nothing.status(), nothing::toString);
        assertEquals(List.of(), names(root));
        assertFalse(nothing.text().isEmpty());
    }
}

package dev.plinth.handlers.upload;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Unsafe names over the wire, sent byte for byte: each is refused with 400 (by the server's own target checks or by
 * the handler), and nothing is ever written outside the upload directory, nor through a symbolic link, even with
 * {@code overwrite} on.
 *
 * <pre>
 * outside/secret.txt                      SECRET
 * files/                                  the upload directory
 * files/linkdir -> ../outside             a folder link out
 * files/link.txt -> ../outside/secret.txt a file link out
 * files/plain.txt                         a file, not a folder
 * </pre>
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NameSafetySocketTest {

    private static final String SECRET = "SECRET";

    @TempDir
    Path temp;

    private Server server;
    private Path root;
    private Path outside;
    private final Recorder events = new Recorder();

    @BeforeEach
    void start() throws Exception {
        outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), SECRET);
        Path files = Files.createDirectories(temp.resolve("files"));
        Files.createSymbolicLink(files.resolve("linkdir"), Path.of("../outside"));
        Files.createSymbolicLink(files.resolve("link.txt"), Path.of("../outside/secret.txt"));
        Files.writeString(files.resolve("plain.txt"), "plain");
        server = Server.start(UploadConfig.of(files).overwrite(true), events);
        root = server.handler.root();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        assertEquals(List.of("secret.txt"), UploadSocketTest.names(outside), "nothing written outside");
        assertEquals(SECRET, Files.readString(outside.resolve("secret.txt")));
        assertEquals(SECRET, Files.readString(temp.resolve("outside/secret.txt")));
        try (var all = Files.list(temp)) {
            assertEquals(
                    List.of("files", "outside"),
                    all.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(List.of("link.txt", "linkdir", "plain.txt"), UploadSocketTest.names(root), "nothing new stored");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/up/../secret.txt",
                "/up/%2e%2e/secret.txt",
                "/up/..%2fsecret.txt",
                "/up/a/../../secret.txt",
                "/up/./x.txt",
                "/up/.hidden",
                "/up/.upload-0123456789abcdef.part",
                "/up/a%5cb.txt",
                "/up/..%5csecret.txt",
                "/up/a%00b.txt",
                "/up/a%01b.txt",
                "/up/a%0d%0ab.txt",
                "/up/a%7fb.txt",
                "/up//x.txt",
                "/up/dir/",
                "/up/%2Fetc%2Fpasswd",
                "/up//etc/passwd"
            })
    void aBadNameIs400(String target) throws Exception {
        Http.Reply reply =
                Http.send(server.address, Http.head("PUT", target, "Content-Length: 3"), "bad".getBytes(UTF_8));
        assertEquals(400, reply.status(), () -> target + ": " + reply); // from the server's target checks or ours
    }

    @Test
    void anOverlongNameIs400() throws Exception {
        String segment = "a".repeat(256);
        Http.Reply reply = Http.send(
                server.address, Http.head("PUT", "/up/" + segment, "Content-Length: 3"), "bad".getBytes(UTF_8));
        assertEquals(400, reply.status(), reply::toString);
        String deep = "/up" + "/a".repeat(17);
        assertEquals(
                400,
                Http.send(server.address, Http.head("PUT", deep, "Content-Length: 0"), new byte[0])
                        .status());
    }

    @Test
    void aFolderLinkIsNotFollowed() throws Exception {
        Http.Reply reply = Http.send(
                server.address, Http.head("PUT", "/up/linkdir/new.txt", "Content-Length: 3"), "bad".getBytes(UTF_8));
        assertEquals(403, reply.status(), reply::toString);
        Http.Reply replace = Http.send(
                server.address, Http.head("PUT", "/up/linkdir/secret.txt", "Content-Length: 3"), "bad".getBytes(UTF_8));
        assertEquals(403, replace.status(), replace::toString);
    }

    @Test
    void aFileLinkIsNotReplacedNorWrittenThrough() throws Exception {
        Http.Reply reply =
                Http.send(server.address, Http.head("PUT", "/up/link.txt", "Content-Length: 3"), "bad".getBytes(UTF_8));
        assertEquals(403, reply.status(), reply::toString);
        assertTrue(Files.isSymbolicLink(root.resolve("link.txt")));
    }

    @Test
    void aMissingFolderOrAFileInTheWayIs409() throws Exception {
        assertEquals(
                409,
                Http.send(
                                server.address,
                                Http.head("PUT", "/up/nofolder/x.txt", "Content-Length: 3"),
                                "bad".getBytes(UTF_8))
                        .status());
        assertEquals(
                409,
                Http.send(
                                server.address,
                                Http.head("PUT", "/up/plain.txt/x.txt", "Content-Length: 3"),
                                "bad".getBytes(UTF_8))
                        .status());
    }

    @Test
    void aFormsFileNamesCannotLeadOutEither() throws Exception {
        byte[] form = new Form()
                .file("a", "../outside/secret.txt", "bad".getBytes(UTF_8))
                .file("b", "/etc/passwd", "bad".getBytes(UTF_8))
                .file("c", "linkdir/x.txt", "bad".getBytes(UTF_8))
                .bytes();
        Http.Reply reply = Http.send(
                server.address, Http.head("POST", "/up/", Form.CONTENT_TYPE, "Content-Length: " + form.length), form);
        assertEquals(201, reply.status(), reply::toString);
        List<Stored> stored = events.next().files();
        assertEquals(
                List.of("secret.txt", "passwd", "x.txt"),
                stored.stream().map(Stored::name).toList());
        for (Stored file : stored) {
            assertEquals("bad", Files.readString(root.resolve(file.name())));
            Files.delete(root.resolve(file.name())); // for the check after each test
        }
    }
}

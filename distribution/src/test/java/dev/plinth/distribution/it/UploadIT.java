package dev.plinth.distribution.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shipped upload example, switched on as its comment says (copied to {@code .cfg}), with curl as the client:
 * a PUT and a multipart form are stored byte for byte under {@code data/uploads}, a body over the limit is refused
 * from its Content-Length alone, and nothing temporary is left.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class UploadIT extends ProcessTest {

    @Test
    void curlPutsAndPostsFilesThatArriveWhole() throws Exception {
        Path home = PlinthProcess.copyHome(temp.resolve("home"));
        Files.copy(
                home.resolve("etc/dev.plinth.handlers.upload-inbox.cfg.example"),
                home.resolve("etc/dev.plinth.handlers.upload-inbox.cfg"));
        server = PlinthProcess.start(home, home);
        int port = server.awaitServingHttp(START_WAIT);
        HttpProbe.awaitStatus(port, "/upload/", 405, Duration.ofSeconds(15)); // GET: the mount is there
        String base = "http://127.0.0.1:" + port + "/upload/";

        byte[] report = new byte[3_000_000];
        new Random(15).nextBytes(report);
        Path file = Files.write(temp.resolve("report.bin"), report);
        Tools.Run put =
                Tools.curl(temp, home, "-T", file.toString(), "-w", "\n%{http_code}", "-D", "-", base + "r.bin");
        assertTrue(put.out().endsWith("\n201"), put.toString());
        assertTrue(put.out().contains("Location: /upload/r.bin"), put.toString());
        Path uploads = home.resolve("data/uploads");
        assertArrayEquals(report, Files.readAllBytes(uploads.resolve("r.bin")));

        Path notes = Files.writeString(temp.resolve("notes.txt"), "some notes\n");
        Tools.Run form = Tools.curl(
                temp,
                home,
                "-F",
                "title=two files",
                "-F",
                "first=@" + file + ";filename=first.bin",
                "-F",
                "second=@" + notes,
                "-w",
                "\n%{http_code}",
                base);
        assertTrue(form.out().endsWith("\n201"), form.toString());
        assertArrayEquals(report, Files.readAllBytes(uploads.resolve("first.bin")));
        assertEquals("some notes\n", Files.readString(uploads.resolve("notes.txt")));

        Tools.Run tooLarge = Tools.curl(
                temp,
                home,
                "-H",
                "Expect: 100-continue",
                "-H",
                "Content-Length: 104857601",
                "--data-binary",
                "@" + notes,
                "-w",
                "\n%{http_code}",
                "-X",
                "PUT",
                base + "huge.bin");
        assertTrue(tooLarge.out().endsWith("\n413"), tooLarge.toString());

        try (Stream<Path> left = Files.list(uploads)) {
            assertEquals(
                    List.of("first.bin", "notes.txt", "r.bin"),
                    left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "the three files and nothing temporary");
        }
    }
}

package dev.plinth.distribution.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.distribution.it.HttpProbe.Reply;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the distribution as a user would, {@code java -jar plinth.jar}, from a copy of {@code target/plinth} and from
 * another working directory, with standard input closed (as under CI or a service manager): Felix's launcher, the
 * shipped {@code config.properties}, auto-deploy and FileInstall must bring the server up, and it must stay up
 * without a console.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LauncherIT extends ProcessTest {

    /** The shipped listener compresses: curl --compressed gets gzip, and exactly the files' bytes. */
    private void assertCompressed(Path home, int port) throws Exception {
        for (String file : new String[] {"index.html", "style.css", "logo.svg"}) {
            Path body = temp.resolve(file);
            Tools.Run curl = Tools.curl(
                    temp,
                    home,
                    "--compressed",
                    "-o",
                    body.toString(),
                    "-w",
                    "%{http_code} %{content_type} %{size_download}",
                    "-D",
                    temp.resolve(file + ".head").toString(),
                    "http://127.0.0.1:" + port + "/" + file);
            byte[] original = Files.readAllBytes(home.resolve("www").resolve(file));
            assertEquals(0, curl.exit(), curl.toString());
            assertArrayEquals(original, Files.readAllBytes(body), file + " through curl --compressed");
            String head = Files.readString(temp.resolve(file + ".head")).toLowerCase(Locale.ROOT);
            assertTrue(head.contains("content-encoding: gzip") && head.contains("vary: accept-encoding"), head);
            long downloaded = Long.parseLong(curl.out().substring(curl.out().lastIndexOf(' ') + 1));
            assertTrue(downloaded < original.length, file + " came compressed: " + curl.out());
        }
    }

    @Test
    void startsFromAnyDirectoryAndServesTheSampleSite() throws Exception {
        Path home = PlinthProcess.copyHome(temp.resolve("plinth home"));
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        server = PlinthProcess.start(home, elsewhere);
        int port = server.awaitServingHttp(START_WAIT);

        Reply index = HttpProbe.awaitStatus(port, "/", 200, Duration.ofSeconds(10));
        assertArrayEquals(Files.readAllBytes(home.resolve("www/index.html")), index.body(), "index.html");
        Reply png = HttpProbe.get(port, "/plinth.png");
        assertEquals("image/png", png.header("content-type"));
        assertArrayEquals(Files.readAllBytes(home.resolve("www/plinth.png")), png.body(), "plinth.png");
        assertEquals(200, HttpProbe.awaitHeadStatus(port, "/stream/clock", 200, Duration.ofSeconds(10)));
        assertEquals(404, HttpProbe.get(port, "/hello").status());
        assertCompressed(home, port);

        assertTrue(server.process().isAlive(), "still running with standard input closed: " + server.output());
        assertTrue(Files.isDirectory(home.resolve("data/felix-cache")), "the framework storage is under home");
        assertTrue(server.output().stream().noneMatch(line -> line.contains("Gogo")), "no shell without a console");
    }

    @Test
    void sigtermDrainsLetsTheUploadInFlightFinishAndExitsWithStatus0() throws Exception {
        Path home = PlinthProcess.copyHome(temp.resolve("home"));
        Path shutdown = home.resolve("etc/dev.plinth.shutdown.cfg");
        Files.writeString(shutdown, Files.readString(shutdown).replace("delayMillis=5000", "delayMillis=1000"));
        server = PlinthProcess.start(home, temp);
        int port = server.awaitServingHttp(START_WAIT);
        HttpProbe.awaitStatus(port, "/health/ready", 200, Duration.ofSeconds(20));

        try (Socket upload = new Socket("127.0.0.1", port);
                Socket idle = new Socket("127.0.0.1", port)) {
            upload.setSoTimeout(20_000);
            idle.setSoTimeout(20_000);
            idle.getOutputStream().write("GET / HTTP/1.1\r\nHost: it\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(200, HttpProbe.read(idle.getInputStream()).status());
            OutputStream out = upload.getOutputStream();
            out.write(("POST /stream/echo HTTP/1.1\r\nHost: it\r\nContent-Type: text/plain\r\n"
                            + "Content-Length: 10\r\n\r\nfirst")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            server.process().toHandle().destroy(); // SIGTERM
            server.awaitLine("SIGTERM: readiness answers 503", Duration.ofSeconds(10));
            assertEquals(503, HttpProbe.get(port, "/health/ready").status(), "not ready at once");
            assertEquals(200, HttpProbe.get(port, "/").status(), "still serving during the delay");
            assertEquals(-1, idle.getInputStream().read(), "the idle connection is closed after the delay");

            out.write("-last".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Reply echoed = HttpProbe.read(upload.getInputStream());
            assertEquals(200, echoed.status());
            assertEquals("first-last", new String(echoed.body(), StandardCharsets.US_ASCII));
            // the echo's head left before the drain, so it could not say close: the server closes after it
            assertEquals(-1, upload.getInputStream().read(), "closed after the exchange in flight");
        }
        assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), "the process ends after the drain");
        assertEquals(0, server.process().exitValue(), "exit status 0 after SIGTERM: " + server.output());
        String drained = server.awaitLine("drained in", Duration.ofSeconds(1));
        assertTrue(drained.contains("listener 127.0.0.1:" + port + " drained in "), drained);
        assertTrue(drained.contains("1 with an exchange in flight; 0 still open after the grace"), drained);
    }

    @Test
    void invalidOptionsExitWithStatus2() throws Exception {
        Path dist = Path.of(System.getProperty("plinth.it.dist"));
        server = PlinthProcess.start(dist, dist, "--port", "http");
        server.awaitLine("Usage: java -jar plinth.jar", Duration.ofSeconds(30));
        assertTrue(server.process().waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, server.process().exitValue(), String.join("\n", server.output()));
    }
}

package dev.plinth.distribution.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.distribution.it.HttpProbe.Reply;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the distribution as a user would, {@code java -jar plinth.jar}, from a copy of {@code target/plinth} and from
 * another working directory, with standard input closed (as under CI or a service manager): Felix's launcher, the
 * shipped {@code config.properties}, auto-deploy and FileInstall must bring the server up, and it must stay up
 * without a console.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LauncherIT {

    private static final Pattern SERVING = Pattern.compile("Plinth serving http://([^/]+):(\\d+)/");
    private static final Duration START_WAIT = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    private Process server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void startsFromAnyDirectoryAndServesTheSampleSite() throws Exception {
        Path home = copy(Path.of(System.getProperty("plinth.it.dist")), temp.resolve("plinth home"));
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        server = start(home, elsewhere);
        List<String> output = new ArrayList<>();
        int port = awaitServing(output);

        Reply index = HttpProbe.awaitStatus(port, "/", 200, Duration.ofSeconds(10));
        assertArrayEquals(Files.readAllBytes(home.resolve("www/index.html")), index.body(), "index.html");
        Reply png = HttpProbe.get(port, "/plinth.png");
        assertEquals("image/png", png.header("content-type"));
        assertArrayEquals(Files.readAllBytes(home.resolve("www/plinth.png")), png.body(), "plinth.png");
        assertEquals(200, HttpProbe.awaitHeadStatus(port, "/stream/clock", 200, Duration.ofSeconds(10)));
        assertEquals(404, HttpProbe.get(port, "/hello").status());

        assertTrue(server.isAlive(), "still running with standard input closed: " + output);
        assertTrue(Files.isDirectory(home.resolve("data/felix-cache")), "the framework storage is under home");
        assertTrue(output.stream().noneMatch(line -> line.contains("Gogo")), "no shell without a console");
    }

    @Test
    void sigtermDrainsLetsTheUploadInFlightFinishAndExitsWithStatus0() throws Exception {
        Path home = copy(Path.of(System.getProperty("plinth.it.dist")), temp.resolve("home"));
        Path shutdown = home.resolve("etc/dev.plinth.shutdown.cfg");
        Files.writeString(shutdown, Files.readString(shutdown).replace("delayMillis=5000", "delayMillis=1000"));
        server = start(home, temp);
        List<String> output = new ArrayList<>();
        int port = awaitServing(output);
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

            server.toHandle().destroy(); // SIGTERM
            awaitLine(output, "SIGTERM: readiness answers 503", Duration.ofSeconds(10));
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
        assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the process ends after the drain");
        assertEquals(0, server.exitValue(), "exit status 0 after SIGTERM: " + output);
        String drained = awaitLine(output, "drained in", Duration.ofSeconds(1));
        assertTrue(drained.contains("listener 127.0.0.1:" + port + " drained in "), drained);
        assertTrue(drained.contains("1 with an exchange in flight; 0 still open after the grace"), drained);
    }

    @Test
    void invalidOptionsExitWithStatus2() throws Exception {
        Path jar = Path.of(System.getProperty("plinth.it.dist"), "plinth.jar");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        server = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--port", "http")
                .redirectErrorStream(true)
                .start();
        String text = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(server.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, server.exitValue(), text);
        assertTrue(text.contains("Usage: java -jar plinth.jar"), text);
    }

    /** Reads the server's output (on a helper thread, bounded) until the transport says which port it bound. */
    private int awaitServing(List<String> output) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines = new BufferedReader(
                            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            synchronized (output) {
                                output.add(line);
                            }
                            Matcher serving = SERVING.matcher(line);
                            if (serving.find()) {
                                port.complete(Integer.valueOf(serving.group(2)));
                            }
                        }
                        port.completeExceptionally(new AssertionError("the server ended: " + output));
                    } catch (IOException e) {
                        port.completeExceptionally(e);
                    }
                },
                "plinth output");
        reader.setDaemon(true);
        reader.start();
        try {
            return port.get(START_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            synchronized (output) {
                throw new AssertionError("no 'Plinth serving' line within " + START_WAIT + ": " + output);
            }
        }
    }

    /** Starts {@code plinth.jar} of the home folder on 127.0.0.1 and a free port, with standard input closed. */
    private static Process start(Path home, Path workingDirectory) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(
                        java.toString(),
                        "-jar",
                        home.resolve("plinth.jar").toString(),
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0")
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                .start();
    }

    /** Waits for an output line containing the text, bounded. */
    private static String awaitLine(List<String> output, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (output) {
                for (String line : output) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
            }
            Thread.sleep(20); // the output arrives on its reader thread
        }
        synchronized (output) {
            throw new AssertionError("no line with '" + text + "' within " + timeout + ": " + output);
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(file);
                if (relative.startsWith("data")) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return to;
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}

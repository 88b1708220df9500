package dev.plinth.distribution.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sample site's live page in a real browser: headless Chromium's {@code EventSource} on {@code /live.html}
 * receives what is published to the demo channel, in order, and the bundle events Event Admin bridges to the
 * {@code bundles} channel when a handler bundle is dropped into {@code deploy/}. Besides, a gzip'd event stream is
 * decodable event by event: compression holds nothing back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EventSourceIT extends ProcessTest {

    private static final Duration EVENT_WAIT = Duration.ofSeconds(15);
    private static final Pattern EVENT_ID = Pattern.compile("[0-9a-z]+-\\d+");

    private final HttpClient client =
            HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

    @Test
    void chromiumFollowsTheDemoAndBundleChannelsOnTheLivePage() throws Exception {
        Path home = PlinthProcess.copyHome(temp.resolve("home"));
        server = PlinthProcess.start(home, home);
        int port = server.awaitServingHttp(START_WAIT);
        HttpProbe.awaitStatus(port, "/live.html", 200, Duration.ofSeconds(10));

        try (HeadlessChromium chromium = HeadlessChromium.start(temp.resolve("profile"))) {
            chromium.open("http://127.0.0.1:" + port + "/live.html");
            chromium.awaitTrue("plinth.opened >= 2", "plinth-live", EVENT_WAIT, "JSON.stringify(plinth)");

            for (int i = 1; i <= 3; i++) {
                assertEquals(200, publish(port, "message " + i), "POST /channels/demo");
            }
            chromium.awaitTrue("plinth.demo.length >= 3", "plinth-live", EVENT_WAIT, "JSON.stringify(plinth)");
            assertEquals(
                    "\"message 1|message 2|message 3\"",
                    chromium.evaluate("plinth.demo.map(e => e.data).join('|')"),
                    "every message, in order");
            String id = chromium.evaluate("plinth.demo[2].id");
            assertTrue(EVENT_ID.matcher(id.replace("\"", "")).matches(), "an SSE id with the channel's epoch: " + id);

            Files.copy(
                    Path.of(System.getProperty("plinth.it.bundles")).resolve("example-hello.jar"),
                    home.resolve("deploy/example-hello.jar"));
            chromium.awaitTrue(
                    "plinth.bundles.some(e => e.type.endsWith('/STARTED') && e.data.includes('example'))",
                    "plinth-live",
                    EVENT_WAIT,
                    "JSON.stringify(plinth.bundles)");
        }
    }

    @Test
    void aCompressedEventStreamIsDecodableEventByEvent() throws Exception {
        Path home = PlinthProcess.copyHome(temp.resolve("home"));
        server = PlinthProcess.start(home, home);
        int port = server.awaitServingHttp(START_WAIT);
        HttpProbe.awaitStatus(port, "/live.html", 200, Duration.ofSeconds(10));

        HttpResponse<InputStream> stream = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events/demo"))
                        .header("Accept-Encoding", "gzip")
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        assertEquals("gzip", stream.headers().firstValue("Content-Encoding").orElse(null));
        // read byte by byte: an InputStreamReader would ask GZIPInputStream, whose available() is 1 until its end, for
        // more than one event and wait for the next
        try (InputStream events = new GZIPInputStream(stream.body(), 64)) {
            for (int i = 1; i <= 3; i++) {
                String data = "compressed " + i;
                assertEquals(200, publish(port, data));
                // each event must arrive whole while the stream stays open: the compressor flushed it
                assertEquals("data: " + data, nextData(events), "event " + i);
            }
        }
    }

    /** @return the next {@code data:} line, read within {@link #EVENT_WAIT} */
    private static String nextData(InputStream events) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
                    try {
                        for (String line = line(events); line != null; line = line(events)) {
                            if (line.startsWith("data:")) {
                                return line;
                            }
                        }
                        return "(the stream ended)";
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .get(EVENT_WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** @return the next line (UTF-8, without its LF), or null at the end */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return null;
            }
            line.write(b);
        }
        return line.toString(UTF_8);
    }

    private int publish(int port, String text) throws Exception {
        return client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/channels/demo"))
                                .header("Content-Type", "text/plain; charset=utf-8")
                                .POST(HttpRequest.BodyPublishers.ofString(text))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}

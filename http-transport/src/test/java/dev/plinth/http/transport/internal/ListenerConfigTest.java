package dev.plinth.http.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.plinth.config.ConfigCheck;
import dev.plinth.config.RefusedConfiguration;
import dev.plinth.http.core.Compression;
import dev.plinth.http.core.testing.TestGlue;
import dev.plinth.http.handler.Response;
import dev.plinth.http.parser.Compliance;
import dev.plinth.http.parser.Violation;
import dev.plinth.http.transport.HttpServer;
import dev.plinth.http.transport.ServerConfig;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The compliance setting of a listener's configuration reaches its parser, and a bad one refuses the configuration. */
@Timeout(30)
class ListenerConfigTest {

    /** The settings from a configuration as Config Admin would give it, with some values set. */
    private static ServerConfig settings(Map<String, Object> set) {
        return ListenerComponent.settings(ConfigCheck.check(ListenerConfig.class, set), MainListener.PID);
    }

    private static Compliance compliance(String setting) {
        return settings(Map.of("compliance", setting)).core().parser().compliance();
    }

    @Test
    void strictByDefault() {
        assertSame(Compliance.STRICT, settings(Map.of()).core().parser().compliance());
    }

    @Test
    void theSettingIsReadAsACompliance() {
        assertSame(Compliance.LEGACY, compliance("LEGACY"));
        assertEquals(
                Set.of(Violation.LF_LINE_ENDINGS, Violation.MULTIPLE_CONTENT_LENGTHS),
                compliance("LEGACY,-OBS_FOLD").allowed());
    }

    @Test
    void anInvalidSettingRefusesTheConfigurationLikeAnInvalidLimit() {
        RefusedConfiguration e = assertThrows(RefusedConfiguration.class, () -> compliance("STRICT,+FOLD"));
        assertEquals(
                "configuration dev.plinth.http refused: compliance=STRICT,+FOLD: compliance 'STRICT,+FOLD': 'FOLD' is "
                        + "not a violation; known: LF_LINE_ENDINGS, LF_CHUNK_LINE_ENDINGS, OBS_FOLD, "
                        + "WHITESPACE_BEFORE_COLON, MULTIPLE_CONTENT_LENGTHS",
                e.getMessage());
        RefusedConfiguration limit =
                assertThrows(RefusedConfiguration.class, () -> settings(Map.of("maxHeaderCount", 0)));
        assertEquals("configuration dev.plinth.http refused: maxHeaderCount=0: less than 1", limit.getMessage());
    }

    @Test
    void theParserOfEachConnectionAppliesIt() throws Exception {
        String lfOnly = "GET /hello HTTP/1.1\nHost: a\n\n";
        assertEquals("HTTP/1.1 400", statusOf(Map.of(), lfOnly));
        assertEquals("HTTP/1.1 200", statusOf(Map.of("compliance", "STRICT,+LF_LINE_ENDINGS"), lfOnly));
    }

    @Test
    void compressionIsOffUnlessConfiguredAndItsSettingsAreChecked() {
        assertSame(Compression.OFF, settings(Map.of()).core().compression());
        Compression on = settings(Map.of(
                        "compression",
                        true,
                        "compressionLevel",
                        1,
                        "compressionMinBytes",
                        1000,
                        "compressionTypes",
                        new String[] {"text/html, application/*+json"}))
                .core()
                .compression();
        assertEquals(Compression.gzip(1, 1000, List.of("text/html", "application/*+json")), on);
        assertEquals(
                Compression.DEFAULT_TYPES,
                settings(Map.of("compression", true)).core().compression().types(),
                "the metatype's default types are the core's");
        RefusedConfiguration type = assertThrows(
                RefusedConfiguration.class,
                () -> settings(Map.of("compression", true, "compressionTypes", new String[] {"text"})));
        assertEquals(
                "configuration dev.plinth.http refused: compressionTypes=text: not a media type pattern: text",
                type.getMessage());
        RefusedConfiguration level = assertThrows(
                RefusedConfiguration.class, () -> settings(Map.of("compression", true, "compressionLevel", 10)));
        assertEquals("configuration dev.plinth.http refused: compressionLevel=10: outside 1..9", level.getMessage());
    }

    @Test
    void aCompressingListenerGzipsOverTheSocket() throws Exception {
        String page = "compress me, ".repeat(100);
        TestGlue glue = TestGlue.of("/page", r -> CompletableFuture.completedStage(Response.text(200, page)));
        HttpServer server = new HttpServer(
                settings(Map.of("host", "127.0.0.1", "port", 0, "selectorThreads", 1, "compression", true)), glue);
        InetSocketAddress address = server.start();
        try {
            HttpResponse<byte[]> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + "/page"))
                                    .header("Accept-Encoding", "gzip")
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(
                    "gzip", response.headers().firstValue("Content-Encoding").orElse(null));
            byte[] plain = new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes();
            assertEquals(page, new String(plain, StandardCharsets.UTF_8));
        } finally {
            server.stop(1_000);
        }
    }

    /** Serves one request with a listener made from the configuration; @return the status line's first 12 bytes */
    private static String statusOf(Map<String, Object> set, String request) throws Exception {
        Map<String, Object> all = new HashMap<>(set);
        all.put("host", "127.0.0.1");
        all.put("port", 0);
        all.put("selectorThreads", 1);
        all.put("workerThreads", 2);
        TestGlue glue = TestGlue.of("/hello", r -> CompletableFuture.completedStage(Response.text(200, "hi")));
        HttpServer server = new HttpServer(settings(all), glue);
        InetSocketAddress address = server.start();
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String line = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))
                    .readLine();
            return line == null ? "closed without an answer" : line.substring(0, Math.min(12, line.length()));
        } finally {
            server.stop(1_000);
        }
    }
}

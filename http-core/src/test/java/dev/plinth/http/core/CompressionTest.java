package dev.plinth.http.core;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.ListPublisher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SubmissionPublisher;
import java.util.function.Supplier;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On-the-fly gzip as the client sees it: negotiation, exclusions, framing, validators, streams and files. */
class CompressionTest extends ConnectionFixture {

    /** 2 000 bytes of text that compresses well. */
    static final String PAGE = "<p>Plinth serves this paragraph again and again.</p>\n".repeat(38);

    static final String GZIP = "Accept-Encoding: gzip, deflate, br\r\n";

    @BeforeEach
    void compressing() {
        connect(CoreConfig.DEFAULT.withCompression(Compression.DEFAULT_GZIP));
        answer("/page", () -> Response.text(200, PAGE));
    }

    private void answer(String prefix, Supplier<Response> response) {
        mount(prefix, request -> CompletableFuture.completedStage(response.get()));
    }

    private Responses.Parsed get(String path, String fields) {
        endpoint.feed("GET " + path + " HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n");
        return responses(1).get(0);
    }

    /** A chunked answer, once its last chunk is in. */
    private Responses.Parsed getChunked(String path) {
        endpoint.feed("GET " + path + " HTTP/1.1\r\nHost: a\r\n" + GZIP + "\r\n");
        endpoint.runUntil(() -> endpoint.output().endsWith("\r\n0\r\n\r\n"));
        return Responses.parse(endpoint.output()).get(0);
    }

    static String gunzip(String body) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body.getBytes(ISO_8859_1)))) {
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aSmallPageIsCompressedWholeAndKeepsItsLength() {
        Responses.Parsed page = get("/page", GZIP);
        assertEquals("gzip", page.header("Content-Encoding"));
        assertEquals("Accept-Encoding", page.header("Vary"));
        assertEquals("length", page.framing());
        assertTrue(
                page.body().length() < PAGE.length() / 5,
                "2000 bytes of repeated text: " + page.body().length());
        assertEquals(PAGE, gunzip(page.body()));
    }

    @Test
    void withoutAcceptEncodingThePageIsIdentityButVaries() {
        Responses.Parsed page = get("/page", "");
        assertNull(page.header("Content-Encoding"));
        assertEquals("Accept-Encoding", page.header("Vary"), "a cache must not give this to a gzip client either");
        assertEquals(PAGE, page.body());
    }

    @Test
    void qValuesDecide() {
        assertNull(get("/page", "Accept-Encoding: gzip;q=0, identity\r\n").header("Content-Encoding"));
        endpoint.feed("GET /page HTTP/1.1\r\nHost: a\r\nAccept-Encoding: identity;q=0.5, gzip;q=0.4\r\n\r\n"
                + "GET /page HTTP/1.1\r\nHost: a\r\nAccept-Encoding: *\r\n\r\n"
                + "GET /page HTTP/1.1\r\nHost: a\r\nAccept-Encoding: br, identity;q=0\r\n\r\n");
        List<Responses.Parsed> answers = responses(4);
        assertNull(answers.get(1).header("Content-Encoding"), "identity weighs more");
        assertEquals("gzip", answers.get(2).header("Content-Encoding"), "* covers gzip");
        assertNull(answers.get(3).header("Content-Encoding"), "gzip not acceptable: identity is sent anyway");
    }

    @Test
    void smallBodiesOtherTypesAndEncodedBodiesAreLeftAlone() {
        answer("/tiny", () -> Response.text(200, "x".repeat(255)));
        answer(
                "/png",
                () -> Response.of(200).header("Content-Type", "image/png").body(Body.of(PAGE)));
        answer("/untyped", () -> Response.of(200).body(Body.of(PAGE)));
        answer("/br", () -> Response.text(200, PAGE).header("Content-Encoding", "br"));
        for (String path : List.of("/tiny", "/png", "/untyped", "/br")) {
            connect(CoreConfig.DEFAULT.withCompression(Compression.DEFAULT_GZIP));
            Responses.Parsed answer = get(path, GZIP);
            assertEquals(path.equals("/br") ? "br" : null, answer.header("Content-Encoding"), path);
            assertNull(answer.header("Vary"), path + " does not depend on Accept-Encoding");
        }
    }

    @Test
    void statusesWithoutARepresentationBodyAreLeftAlone() {
        answer("/partial", () -> Response.text(206, PAGE).header("Content-Range", "bytes 0-1999/5000"));
        answer("/created", () -> Response.text(201, PAGE));
        Responses.Parsed partial = get("/partial", GZIP);
        assertNull(partial.header("Content-Encoding"));
        assertEquals(PAGE, partial.body());
        connect(CoreConfig.DEFAULT.withCompression(Compression.DEFAULT_GZIP));
        assertEquals(PAGE, gunzip(get("/created", GZIP).body()));
    }

    @Test
    void headAnswersWithTheIdentityFieldsAndVary() {
        endpoint.feed("HEAD /page HTTP/1.1\r\nHost: a\r\n" + GZIP + "\r\n");
        Responses.Parsed head = responses(1, true).get(0);
        assertNull(head.header("Content-Encoding"));
        assertEquals(String.valueOf(PAGE.length()), head.header("Content-Length"));
        assertEquals("Accept-Encoding", head.header("Vary"));
        assertFalse(endpoint.output().contains("<p>"));
    }

    @Test
    void handlersMountsAndNoTransformOptOut() {
        answer("/own", () -> Response.text(200, PAGE).compress(false));
        answer("/no-transform", () -> Response.text(200, PAGE).header("Cache-Control", "public, no-transform"));
        glue.addHandler(
                request -> CompletableFuture.completedStage(Response.text(200, PAGE)),
                Map.of(Handler.PREFIX, "/mount", "service.id", 99L, Handler.COMPRESS, "false"));
        for (String path : List.of("/own", "/no-transform", "/mount")) {
            connect(CoreConfig.DEFAULT.withCompression(Compression.DEFAULT_GZIP));
            Responses.Parsed answer = get(path, GZIP);
            assertNull(answer.header("Content-Encoding"), path);
            assertEquals(PAGE, answer.body(), path);
        }
    }

    @Test
    void aListenerWithoutCompressionSendsIdentity() {
        connect(CoreConfig.DEFAULT);
        Responses.Parsed page = get("/page", GZIP);
        assertNull(page.header("Content-Encoding"));
        assertNull(page.header("Vary"));
    }

    @Test
    void theHandlersVaryIsKept() {
        answer("/lang", () -> Response.text(200, PAGE).header("Vary", "Accept-Language"));
        answer("/both", () -> Response.text(200, PAGE).header("Vary", "accept-encoding"));
        assertEquals("Accept-Language, Accept-Encoding", get("/lang", GZIP).header("Vary"));
        connect(CoreConfig.DEFAULT.withCompression(Compression.DEFAULT_GZIP));
        assertEquals("accept-encoding", get("/both", GZIP).header("Vary"));
    }

    @Test
    void theCompressedRepresentationHasItsOwnTagAndNoRanges() {
        answer(
                "/tagged",
                () -> Response.text(200, PAGE).header("ETag", "\"v1\"").header("Accept-Ranges", "bytes"));
        answer("/weak", () -> Response.text(200, PAGE).header("ETag", "W/\"v1\""));
        Responses.Parsed tagged = get("/tagged", GZIP);
        assertEquals("\"v1-gzip\"", tagged.header("ETag"));
        assertNull(tagged.header("Accept-Ranges"));
        connect(CoreConfig.DEFAULT.withCompression(Compression.DEFAULT_GZIP));
        assertEquals("W/\"v1-gzip\"", get("/weak", GZIP).header("ETag"));
        connect(CoreConfig.DEFAULT.withCompression(Compression.DEFAULT_GZIP));
        Responses.Parsed identity = get("/tagged", "");
        assertEquals("\"v1\"", identity.header("ETag"));
        assertEquals("bytes", identity.header("Accept-Ranges"));
    }

    @Test
    void aClientHoldingTheGzipTagGetsNotModified() {
        answer(
                "/tagged",
                () -> Response.text(200, PAGE).header("ETag", "\"v1\"").header("Cache-Control", "max-age=60"));
        endpoint.feed("GET /tagged HTTP/1.1\r\nHost: a\r\n" + GZIP + "If-None-Match: \"v1-gzip\"\r\n\r\n"
                + "GET /tagged HTTP/1.1\r\nHost: a\r\n" + GZIP + "If-None-Match: \"v2-gzip\"\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        Responses.Parsed notModified = answers.get(0);
        assertEquals(304, notModified.status());
        assertEquals("\"v1-gzip\"", notModified.header("ETag"));
        assertEquals("Accept-Encoding", notModified.header("Vary"));
        assertEquals("max-age=60", notModified.header("Cache-Control"));
        assertNull(notModified.header("Content-Encoding"));
        assertEquals(200, answers.get(1).status(), "another version's tag does not match");
        assertEquals(PAGE, gunzip(answers.get(1).body()));
    }

    @Test
    void aLargePageIsStreamedChunked() {
        String large = PAGE.repeat(40); // 80 000 bytes: beyond what is compressed whole
        answer("/large", () -> Response.text(200, large));
        Responses.Parsed page = getChunked("/large");
        assertEquals("chunked", page.framing());
        assertEquals(large, gunzip(page.body()));
        endpoint.feed("GET /hello/next HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals("hello /hello/next\n", responses(2).get(1).body(), "the connection goes on");
    }

    @Test
    void aFileIsCompressedFromItsChannelWhichIsClosed(@TempDir Path folder) throws IOException {
        String text = PAGE.repeat(30);
        FileChannel channel = FileChannel.open(Files.writeString(folder.resolve("page.html"), text));
        answer(
                "/file",
                () -> Response.of(200)
                        .header("Content-Type", "text/html")
                        .body(Body.ofFile(channel, 100, text.length() - 200)));
        Responses.Parsed page = getChunked("/file");
        assertEquals("chunked", page.framing());
        assertEquals(text.substring(100, text.length() - 100), gunzip(page.body()));
        endpoint.settle();
        assertFalse(channel.isOpen());
    }

    @Test
    void aStreamToAnHttp10ClientEndsWithTheConnection() {
        answer(
                "/parts",
                () -> Response.of(200)
                        .header("Content-Type", "text/plain")
                        .body(Body.ofParts(new ListPublisher(PAGE, PAGE))));
        endpoint.feed("GET /parts HTTP/1.0\r\n" + GZIP + "\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        Responses.Parsed page = Responses.parse(endpoint.output()).get(0);
        assertEquals("close", page.framing());
        assertEquals(PAGE + PAGE, gunzip(page.body()));
    }

    @Test
    void eachPartOfAStreamIsDecodableBeforeTheNextIsPublished() {
        SubmissionPublisher<ByteBuffer> events = new SubmissionPublisher<>(workers, 4);
        answer(
                "/events",
                () -> Response.of(200)
                        .header("Content-Type", "text/event-stream")
                        .body(Body.endless(events)));
        endpoint.feed("GET /events HTTP/1.1\r\nHost: a\r\n" + GZIP + "\r\n");
        endpoint.runUntil(() -> events.getNumberOfSubscribers() == 1);
        for (int i = 1; i <= 3; i++) {
            String event = "data: event " + i + "\n\n";
            events.submit(ByteBuffer.wrap(event.getBytes(UTF_8)));
            endpoint.runUntil(() -> inflatedSoFar().endsWith(event));
        }
        assertTrue(endpoint.output().contains("Content-Encoding: gzip"));
        assertTrue(endpoint.output().contains("Connection: close"), "an endless body ends by the close");
        events.close();
    }

    /** Inflates as much of the close-delimited gzip body as has arrived, without waiting for its end. */
    private String inflatedSoFar() {
        String raw = endpoint.output();
        int bodyStart = raw.indexOf("\r\n\r\n");
        if (bodyStart < 0 || raw.length() < bodyStart + 4 + 10) {
            return "";
        }
        byte[] body = raw.substring(bodyStart + 4 + 10).getBytes(ISO_8859_1); // after the 10-byte gzip header
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(body);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = inflater.inflate(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
            return out.toString(UTF_8);
        } catch (DataFormatException e) {
            throw new AssertionError(e);
        } finally {
            inflater.end();
        }
    }
}

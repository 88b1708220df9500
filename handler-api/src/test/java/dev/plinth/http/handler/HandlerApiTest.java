package dev.plinth.http.handler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.SubmissionPublisher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The handler API's own behaviour: headers, bodies, responses and helpers. */
@Timeout(10)
class HandlerApiTest {

    @Test
    void headersKeepRepeatedNamesInOrderAndLookUpCaseInsensitively() {
        MutableHeaders headers =
                new MutableHeaders().add("Accept", "a").add("X-One", "1").add("accept", "b");
        assertEquals(List.of("a", "b"), headers.all("ACCEPT"));
        assertEquals(Optional.of("a"), headers.first("accept"));
        assertEquals("accept", headers.name(2));
        headers.set("Accept", "c");
        assertEquals(List.of("c"), headers.all("accept"));
        assertEquals(2, headers.size());
        assertTrue(headers.remove("x-one"));
        assertFalse(headers.contains("X-One"));
    }

    @Test
    void headersRefuseValuesThatCouldSmuggleFields() {
        MutableHeaders headers = new MutableHeaders();
        assertThrows(IllegalArgumentException.class, () -> headers.add("X", "a\r\nSet-Cookie: evil"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("X", "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("X", "a\0"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("Bad Name", "v"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("", "v"));
        assertEquals(0, headers.size());
    }

    @Test
    void tokenListsAreMatchedElementByElement() {
        MutableHeaders headers =
                new MutableHeaders().add("Connection", "keep-alive, Upgrade").add("Connection", "CLOSE");
        assertTrue(headers.containsToken("connection", "close"));
        assertTrue(headers.containsToken("Connection", "upgrade"));
        assertFalse(headers.containsToken("Connection", "keep"));
    }

    @Test
    void bodiesKnowTheirLength(@TempDir Path dir) throws Exception {
        assertEquals(0, Body.empty().length());
        assertEquals(6, Body.of("héllo").length(), "UTF-8 bytes, not characters");
        Path file = Files.write(dir.resolve("f"), new byte[1234]);
        Body fileBody = Body.ofFile(file);
        assertEquals(1234, fileBody.length());
        ((Body.FileRegion) fileBody).channel().close();
        SubmissionPublisher<ByteBuffer> parts = new SubmissionPublisher<>();
        assertEquals(-1, Body.ofParts(parts).length());
        assertEquals(10, Body.ofParts(parts, 10).length());
        assertTrue(((Body.Parts) Body.endless(parts)).endless());
        assertThrows(IllegalArgumentException.class, () -> Body.ofParts(parts, -1));
        parts.close();
    }

    @Test
    void bytesBodyIsAReadOnlyView() {
        Body.Bytes body = (Body.Bytes) Body.of(new byte[] {1, 2, 3});
        assertTrue(body.content().isReadOnly());
        assertEquals(3, body.content().remaining());
    }

    @Test
    void responseRefusesInformationalAndOutOfRangeStatuses() {
        assertThrows(IllegalArgumentException.class, () -> Response.of(100));
        assertThrows(IllegalArgumentException.class, () -> Response.of(600));
        Response text = Response.text(201, "made");
        assertEquals(201, text.status());
        assertEquals(Optional.of("text/plain; charset=utf-8"), text.headers().first("content-type"));
    }

    @Test
    void collectReadsAWholeBody() {
        SubmissionPublisher<ByteBuffer> parts = new SubmissionPublisher<>();
        var result = Bodies.collect(parts, 100).toCompletableFuture();
        parts.submit(ByteBuffer.wrap("abc".getBytes(StandardCharsets.UTF_8)));
        parts.submit(ByteBuffer.wrap("def".getBytes(StandardCharsets.UTF_8)));
        parts.close();
        assertArrayEquals("abcdef".getBytes(StandardCharsets.UTF_8), result.join());
    }

    @Test
    void collectRefusesABodyOverItsLimitAndCancels() {
        SubmissionPublisher<ByteBuffer> parts = new SubmissionPublisher<>();
        var result = Bodies.collect(parts, 4).toCompletableFuture();
        parts.submit(ByteBuffer.wrap(new byte[3]));
        parts.submit(ByteBuffer.wrap(new byte[3]));
        CompletionException failure = assertThrows(CompletionException.class, result::join);
        assertInstanceOf(Bodies.BodyTooLargeException.class, failure.getCause());
        parts.close();
    }
}

package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file answer is sent from its channel, and its channel is closed whenever none of it is sent. */
class FileAnswerTest extends ConnectionFixture {

    private FileChannel channel;

    @BeforeEach
    void openFile(@TempDir Path folder) throws IOException {
        channel = FileChannel.open(Files.writeString(folder.resolve("f.txt"), "file body"));
    }

    private Response fileAnswer(int status) {
        return Response.of(status).header("Content-Type", "text/plain").body(Body.ofFile(channel, 0, 9));
    }

    @Test
    void aFileIsSentWithItsLength() {
        mount("/file", request -> CompletableFuture.completedStage(fileAnswer(200)));
        endpoint.feed("GET /file HTTP/1.1\r\nHost: a\r\n\r\nGET /hello/after HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        assertEquals("file body", answers.get(0).body());
        assertEquals("9", answers.get(0).header("Content-Length"));
        assertEquals("hello /hello/after\n", answers.get(1).body());
    }

    @Test
    void headToAFileSendsItsLengthAndClosesTheFile() {
        mount("/file", request -> CompletableFuture.completedStage(fileAnswer(200)));
        endpoint.feed("HEAD /file HTTP/1.1\r\nHost: a\r\n\r\nGET /hello/after HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2, true, false);
        assertEquals("9", answers.get(0).header("Content-Length"));
        assertFalse(endpoint.output().contains("file body"));
        assertFalse(channel.isOpen(), "nothing is sent from it, so nothing else will close it");
        assertEquals("hello /hello/after\n", answers.get(1).body());
    }

    @Test
    void aNoContentAnswerWithAFileClosesTheFile() {
        mount("/file", request -> CompletableFuture.completedStage(fileAnswer(204)));
        endpoint.feed("GET /file HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(204, responses(1).get(0).status());
        assertFalse(channel.isOpen());
    }

    @Test
    void aFileAnswerAfterTheHandlerTimedOutIsClosed() {
        CompletableFuture<Response> late = new CompletableFuture<>();
        mount("/late", request -> late);
        connect(CoreConfig.DEFAULT.withTimeouts(new CoreConfig.Timeouts(30_000, 10_000, 30_000, 200)));
        endpoint.feed("GET /late HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> counters.requests() == 1);
        connection.onTick(later(300));
        assertEquals(503, responses(1).get(0).status());
        late.complete(fileAnswer(200));
        endpoint.settle();
        assertFalse(channel.isOpen(), "the late answer is dropped, its file closed");
        assertEquals(1, count(endpoint.output()));
    }

    @Test
    void aFileAnswerToAConnectionAlreadyGoneIsClosed() {
        CompletableFuture<Response> late = new CompletableFuture<>();
        mount("/late", request -> late);
        endpoint.feed("GET /late HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> counters.requests() == 1);
        endpoint.close();
        late.complete(fileAnswer(200));
        endpoint.settle();
        assertTrue(endpoint.output().isEmpty());
        assertFalse(channel.isOpen());
    }
}

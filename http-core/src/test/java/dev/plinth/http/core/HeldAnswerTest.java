package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An answer given before its request body was read is held until the body is, or sent with close. */
class HeldAnswerTest extends ConnectionFixture {

    @Test
    void anAnswerToAnUnreadBodyWaitsForTheBodyThenKeepsTheConnection() {
        endpoint.feed("POST /now HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab");
        assertEquals("", endpoint.output(), "answered, but held until the body is read and checked");
        endpoint.feed("cdeGET /hello/y HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        assertEquals("now\n", answers.get(0).body());
        assertNull(answers.get(0).header("Connection"));
        assertEquals("hello /hello/y\n", answers.get(1).body());
        assertFalse(endpoint.closeRequested);
    }

    @Test
    void aMalformedUnreadChunkedBodyMakesThatVeryAnswerSayClose() {
        endpoint.feed(
                "POST /hello/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + "5\r\nhello\r\nZZ\r\n");
        endpoint.runUntil(() -> endpoint.closeRequested);
        List<Responses.Parsed> answers = Responses.parse(endpoint.output());
        assertEquals(1, answers.size(), "the handler's answer, not an error page after it");
        assertEquals(200, answers.get(0).status());
        assertEquals("close", answers.get(0).header("Connection"));
    }

    @Test
    void anUnreadChunkedBodyLongerThanTheDrainLimitGetsTheAnswerWithCloseAndNothingMoreIsRead() {
        connect(drainLimit(16));
        endpoint.feed("POST /now HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + "20\r\n" + "x".repeat(32)
                + "\r\n");
        Responses.Parsed answer = Responses.parse(endpoint.output()).get(0);
        assertEquals("now\n", answer.body());
        assertEquals("close", answer.header("Connection"));
        assertTrue(endpoint.closeRequested);
        endpoint.feed("20\r\n" + "y".repeat(32) + "\r\nnot-a-size\r\n");
        assertEquals(1, Responses.parse(endpoint.output()).size(), "nothing follows the answer");
    }

    @Test
    void anUnreadBodyCutOffByTheClientGetsTheAnswerWithClose() {
        endpoint.feed("POST /now HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        assertEquals("", endpoint.output());
        endpoint.endInput();
        endpoint.runUntil(() -> endpoint.closeRequested);
        Responses.Parsed answer = Responses.parse(endpoint.output()).get(0);
        assertEquals("now\n", answer.body());
        assertEquals("close", answer.header("Connection"));
    }

    @Test
    void anUnreadBodyThatStallsGetsTheAnswerWithCloseAtTheBodyTimeout() {
        connect(CoreConfig.DEFAULT.withTimeouts(SHORT));
        endpoint.feed("POST /now HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        connection.onTick(later(2_000));
        assertEquals("", endpoint.output());
        connection.onTick(later(3_500));
        Responses.Parsed answer = Responses.parse(endpoint.output()).get(0);
        assertEquals(200, answer.status(), "the handler's answer, not a 408");
        assertEquals("close", answer.header("Connection"));
        assertTrue(endpoint.closeRequested);
    }

    @Test
    void aStoppingServerSendsTheHeldAnswerWithCloseWithoutWaitingForTheBody() {
        endpoint.feed("POST /now HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        assertEquals("", endpoint.output());
        connection.shutdown();
        assertEquals("close", Responses.parse(endpoint.output()).get(0).header("Connection"));
        assertTrue(endpoint.closeRequested);
    }

    @Test
    void aHeldFileAnswerIsReleasedWhenTheConnectionGoesAway(@TempDir Path folder) throws Exception {
        Path file = Files.writeString(folder.resolve("f.txt"), "file body");
        FileChannel channel = FileChannel.open(file);
        mountInline(
                "/file",
                request -> CompletableFuture.completedStage(Response.of(200).body(Body.ofFile(channel, 0, 9))));
        endpoint.feed("POST /file HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        assertEquals("", endpoint.output());
        assertTrue(channel.isOpen(), "held");
        connection.onClose();
        assertFalse(channel.isOpen(), "the file is closed with the connection, not left to the collector");
    }
}

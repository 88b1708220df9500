package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.ListPublisher;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request body nobody reads is read and dropped to keep the connection, up to the drain limit (16 bytes here):
 * at the limit the connection persists, one byte beyond it closes rather than reading on.
 */
class DrainLimitTest extends ConnectionFixture {

    private static final String NEXT = "GET /hello/next HTTP/1.1\r\nHost: a\r\n\r\n";

    @BeforeEach
    void smallDrainLimit() {
        // streamed answers are never held for the body, so the body is drained after them
        mount(
                "/stream",
                request -> CompletableFuture.completedStage(
                        Response.of(200).body(Body.ofParts(new ListPublisher("streamed")))));
        connect(drainLimit(16));
    }

    private static String chunk(int size) {
        return Integer.toHexString(size) + "\r\n" + "x".repeat(size) + "\r\n";
    }

    @Test
    void aHeldAnswerToABodyOfExactlyTheLimitWaitsForItAndKeepsTheConnection() {
        endpoint.feed("POST /now HTTP/1.1\r\nHost: a\r\nContent-Length: 16\r\n\r\n" + "x".repeat(15));
        assertEquals("", endpoint.output(), "held for the last byte");
        endpoint.feed("x" + NEXT);
        List<Responses.Parsed> answers = responses(2);
        assertNull(answers.get(0).header("Connection"));
        assertEquals("hello /hello/next\n", answers.get(1).body());
        assertFalse(endpoint.closeRequested);
    }

    @Test
    void anAnswerToADeclaredBodyOneByteOverTheLimitGoesAtOnceWithClose() {
        endpoint.feed("POST /now HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\n\r\n");
        Responses.Parsed answer = Responses.parse(endpoint.output()).get(0);
        assertEquals("now\n", answer.body());
        assertEquals("close", answer.header("Connection"));
        assertTrue(endpoint.closeRequested);
    }

    @Test
    void aHeldAnswerToAChunkedBodyOfExactlyTheLimitKeepsTheConnection() {
        endpoint.feed("POST /now HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk(10) + chunk(6));
        assertEquals("", endpoint.output());
        endpoint.feed("0\r\n\r\n" + NEXT);
        List<Responses.Parsed> answers = responses(2);
        assertNull(answers.get(0).header("Connection"));
        assertEquals("hello /hello/next\n", answers.get(1).body());
        assertFalse(endpoint.closeRequested);
    }

    @Test
    void aHeldAnswerToAChunkedBodyThatPassesTheLimitGoesWithCloseAtTheByteThatPassesIt() {
        endpoint.feed("POST /now HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk(10));
        assertEquals("", endpoint.output(), "10 bytes: still within the limit");
        String rest = chunk(100) + "0\r\n\r\n" + NEXT;
        endpoint.feed(chunk(7) + rest);
        Responses.Parsed answer = Responses.parse(endpoint.output()).get(0);
        assertEquals("close", answer.header("Connection"));
        assertTrue(endpoint.closeRequested);
        assertTrue(endpoint.unconsumed() >= rest.length(), "not read on once past the limit");
        assertEquals(1, count(endpoint.output()));
    }

    @Test
    void aBodyDrainedAfterAStreamedAnswerKeepsTheConnectionUpToTheLimit() {
        endpoint.feed("POST /stream HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
        endpoint.runUntil(() -> endpoint.output().endsWith("0\r\n\r\n"));
        Responses.Parsed answer = Responses.parse(endpoint.output()).get(0);
        assertEquals("streamed", answer.body());
        assertNull(answer.header("Connection"), "the body may still be drained");
        endpoint.feed(chunk(10) + chunk(6) + "0\r\n\r\n" + NEXT);
        assertEquals("hello /hello/next\n", responses(2).get(1).body());
        assertFalse(endpoint.closeRequested);
    }

    @Test
    void aBodyDrainedAfterAStreamedAnswerClosesTheConnectionOnceItPassesTheLimit() {
        endpoint.feed("POST /stream HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
        endpoint.runUntil(() -> endpoint.output().endsWith("0\r\n\r\n"));
        endpoint.feed(chunk(10));
        assertFalse(endpoint.closeRequested, "10 bytes drained, within the limit");
        String rest = chunk(100) + "0\r\n\r\n" + NEXT;
        endpoint.feed(chunk(7) + rest);
        endpoint.runUntil(() -> endpoint.closed);
        assertTrue(endpoint.unconsumed() >= rest.length(), "not read on once past the limit");
        assertEquals(1, count(endpoint.output()), "nothing is answered after the limit");
    }

    @Test
    void aStreamedAnswerToADeclaredBodyOverTheLimitSaysCloseAndOneAtTheLimitDoesNot() {
        endpoint.feed("POST /stream HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        assertEquals("close", Responses.parse(endpoint.output()).get(0).header("Connection"));

        connect(drainLimit(16));
        endpoint.feed("POST /stream HTTP/1.1\r\nHost: a\r\nContent-Length: 16\r\n\r\n");
        endpoint.runUntil(() -> endpoint.output().endsWith("0\r\n\r\n"));
        assertNull(Responses.parse(endpoint.output()).get(0).header("Connection"));
        endpoint.feed("x".repeat(16) + NEXT);
        assertEquals("hello /hello/next\n", responses(2).get(1).body());
    }
}

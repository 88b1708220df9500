package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SubmissionPublisher;
import org.junit.jupiter.api.Test;

/** Stopping the server, and refusing a connection. */
class ShutdownTest extends ConnectionFixture {

    @Test
    void shutdownLetsTheExchangeInProgressFinishThenCloses() {
        CompletableFuture<Response> answer = new CompletableFuture<>();
        mount("/slow", request -> answer);
        endpoint.feed("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> counters.requests() == 1);
        connection.shutdown();
        assertFalse(endpoint.closeRequested, "the exchange in flight is not cut");
        answer.complete(Response.text(200, "finished"));
        endpoint.runUntil(() -> endpoint.closed);
        Responses.Parsed response = Responses.parse(endpoint.output()).get(0);
        assertEquals("finished", response.body());
        assertEquals("close", response.header("Connection"));
    }

    @Test
    void shutdownEndsAnOpenEndedStreamWithItsLastChunkAndCancelsItsPublisher() {
        SubmissionPublisher<ByteBuffer> events = new SubmissionPublisher<>(workers, 4);
        mount(
                "/events",
                request -> CompletableFuture.completedStage(Response.of(200)
                        .header("Content-Type", "text/event-stream")
                        .body(Body.openEnded(events))));
        endpoint.feed("GET /events HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> events.getNumberOfSubscribers() == 1);
        events.submit(ByteBuffer.wrap("data: one\n\n".getBytes(StandardCharsets.UTF_8)));
        endpoint.runUntil(() -> endpoint.output().contains("data: one"));
        assertTrue(endpoint.output().contains("Transfer-Encoding: chunked"), "chunked to HTTP/1.1, not closed");
        assertFalse(endpoint.output().contains("Connection: close"));

        connection.shutdown();
        endpoint.runUntil(() -> endpoint.closed);
        assertTrue(endpoint.output().endsWith("\r\n0\r\n\r\n"), "a clean end: " + endpoint.output());
        endpoint.runUntil(() -> events.getNumberOfSubscribers() == 0);
        events.close();
    }

    @Test
    void shutdownEndsAnEndlessStreamByTheClose() {
        SubmissionPublisher<ByteBuffer> ticks = new SubmissionPublisher<>(workers, 4);
        mount(
                "/ticks",
                request -> CompletableFuture.completedStage(
                        Response.of(200).header("Content-Type", "text/plain").body(Body.endless(ticks))));
        endpoint.feed("GET /ticks HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> ticks.getNumberOfSubscribers() == 1);
        ticks.submit(ByteBuffer.wrap("tick\n".getBytes(StandardCharsets.UTF_8)));
        endpoint.runUntil(() -> endpoint.output().endsWith("tick\n"));
        connection.shutdown();
        endpoint.runUntil(() -> endpoint.closed);
        assertTrue(endpoint.output().endsWith("tick\n"), "close-delimited: the close is the end");
        ticks.close();
    }

    @Test
    void shutdownClosesAnIdleConnectionAtOnce() {
        connection.shutdown();
        assertTrue(endpoint.closeRequested);
    }

    @Test
    void refuseAnswersWithoutReadingAndCloses() {
        connection.refuse(503, "Too many connections.");
        endpoint.runUntil(() -> endpoint.closed);
        Responses.Parsed response = Responses.parse(endpoint.output()).get(0);
        assertEquals(503, response.status());
        assertEquals("close", response.header("Connection"));
    }
}

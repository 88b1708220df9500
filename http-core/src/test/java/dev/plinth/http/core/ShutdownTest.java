package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Response;
import java.util.concurrent.CompletableFuture;
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

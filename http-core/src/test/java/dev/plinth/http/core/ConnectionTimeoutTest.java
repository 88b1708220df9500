package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Bodies;
import dev.plinth.http.handler.Response;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Idle, request head, request body and handler timeouts. */
class ConnectionTimeoutTest extends ConnectionFixture {

    @Test
    void idleConnectionClosesQuietlyAfterTheIdleTimeout() {
        connect(CoreConfig.DEFAULT.withTimeouts(SHORT));
        endpoint.feed("GET /hello/a HTTP/1.1\r\nHost: a\r\n\r\n");
        responses(1);
        connection.onTick(later(500));
        assertFalse(endpoint.closeRequested, "not idle long enough yet");
        connection.onTick(later(1_500));
        assertTrue(endpoint.closeRequested);
        assertEquals(1, count(endpoint.output()), "closed without a word");
    }

    @Test
    void requestHeadHasADeadlineNotAPerByteTimeout() {
        connect(CoreConfig.DEFAULT.withTimeouts(SHORT));
        endpoint.feed("GET /hello/a HTTP/1.1\r\n");
        connection.onTick(later(1_500));
        assertFalse(endpoint.closeRequested, "a started head is not idle");
        endpoint.feed("X-Trickle: 1\r\n"); // more bytes do not move the deadline
        connection.onTick(later(2_500));
        endpoint.runUntil(() -> endpoint.closed);
        Responses.Parsed response = Responses.parse(endpoint.output()).get(0);
        assertEquals(408, response.status());
        assertEquals("close", response.header("Connection"));
    }

    @Test
    void anEmptyLineAfterARequestDoesNotStartTheHeadDeadline() {
        connect(CoreConfig.DEFAULT.withTimeouts(SHORT));
        endpoint.feed("GET /hello/a HTTP/1.1\r\nHost: a\r\n\r\n\r\n");
        responses(1);
        connection.onTick(later(1_500));
        assertTrue(endpoint.closeRequested, "closed by the idle timeout");
        assertEquals(1, count(endpoint.output()), "quietly, without a 408");
    }

    @Test
    void stalledRequestBodyGets408() {
        mount(
                "/size",
                request -> Bodies.collect(request.body(), 1000)
                        .thenApply(bytes -> Response.text(200, "got " + bytes.length)));
        connect(CoreConfig.DEFAULT.withTimeouts(SHORT));
        endpoint.feed("POST /size HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        endpoint.runUntil(() -> endpoint.reading && endpoint.unconsumed() == 0);
        connection.onTick(later(2_000));
        assertFalse(endpoint.closeRequested);
        connection.onTick(later(3_500));
        endpoint.runUntil(() -> endpoint.closed);
        assertEquals(408, Responses.parse(endpoint.output()).get(0).status());
    }

    @Test
    void handlerThatNeverAnswersGets503AndItsLateAnswerIsDropped() {
        CompletableFuture<Response> late = new CompletableFuture<>();
        mount("/never", request -> late);
        connect(CoreConfig.DEFAULT.withTimeouts(new CoreConfig.Timeouts(30_000, 10_000, 30_000, 200)));
        long fed = System.nanoTime(); // the exchange starts after this: a tick 100 ms from here is always early
        endpoint.feed("GET /never HTTP/1.1\r\nHost: a\r\n\r\n");
        connection.onTick(fed + TimeUnit.MILLISECONDS.toNanos(100));
        assertEquals(0, count(endpoint.output()), "not yet");
        connection.onTick(later(300));
        assertEquals(503, responses(1).get(0).status());
        late.complete(Response.text(200, "too late"));
        endpoint.feed("GET /hello/next HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        assertEquals("hello /hello/next\n", answers.get(1).body());
        assertFalse(endpoint.output().contains("too late"));
    }
}

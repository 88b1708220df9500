package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.plinth.http.handler.Bodies;
import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.CountingSubscriber;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Request bodies: read when the handler asks, 100-continue, relayed, or skipped when unread. */
class RequestBodyTest extends ConnectionFixture {

    @Test
    void bodyIsReadWhenTheHandlerAsksAndContinueIsSentThen() {
        mount(
                "/size",
                request -> Bodies.collect(request.body(), 1000)
                        .thenApply(bytes -> Response.text(200, "got " + new String(bytes, StandardCharsets.UTF_8))));
        endpoint.feed("POST /size HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        endpoint.runUntil(() -> endpoint.output().startsWith("HTTP/1.1 100 Continue\r\n\r\n"));
        endpoint.feed("abcde");
        List<Responses.Parsed> answers = responses(2);
        assertEquals(100, answers.get(0).status());
        assertEquals("got abcde", answers.get(1).body());
    }

    @Test
    void noContinueWhenTheHandlerAnswersWithoutReadingAndTheConnectionCloses() {
        endpoint.feed("POST /hello/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        String raw = endpoint.output();
        assertFalse(raw.contains("100 Continue"));
        Responses.Parsed response = Responses.parse(raw).get(0);
        assertEquals(200, response.status());
        assertEquals("close", response.header("Connection"));
    }

    @Test
    void relayingTheRequestBodyAsTheResponseKeepsTheConnectionAfter100Continue() {
        mount(
                "/echo",
                request -> CompletableFuture.completedStage(
                        Response.of(200).body(Body.ofParts(request.body(), request.contentLength()))));
        endpoint.feed("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        endpoint.runUntil(() -> endpoint.output().startsWith("HTTP/1.1 100 Continue\r\n\r\n"));
        endpoint.feed("abcdeGET /hello/next HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(3);
        assertEquals("abcde", answers.get(1).body());
        assertNull(answers.get(1).header("Connection"), "the body was read, so the connection persists");
        assertEquals("hello /hello/next\n", answers.get(2).body());
    }

    @Test
    void relayingTheRequestBodyWithoutExpectIsNeverHeld() {
        mount(
                "/echo",
                request -> CompletableFuture.completedStage(
                        Response.of(200).body(Body.ofParts(request.body(), request.contentLength()))));
        endpoint.feed("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nabcde"
                + "GET /hello/next HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        assertEquals(200, answers.get(0).status());
        assertEquals("abcde", answers.get(0).body());
        assertEquals("hello /hello/next\n", answers.get(1).body());
    }

    @Test
    void anInlineHandlersBodySubscriptionIsTakenBeforeItsAnswerIsFramed() {
        CountingSubscriber body = new CountingSubscriber(Long.MAX_VALUE);
        mountInline("/reads", request -> {
            request.body().subscribe(body);
            return CompletableFuture.completedStage(Response.text(200, "reading"));
        });
        endpoint.feed("POST /reads HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n");
        // had the answer overtaken the queued subscription, it would wait for a body nobody seemed to read
        Responses.Parsed answer = responses(1).get(0);
        assertEquals("reading", answer.body());
        endpoint.runUntil(body.subscription()::isDone); // the subscriber was subscribed
    }

    @Test
    void unreadSmallBodyIsSkippedAndTheConnectionReused() {
        endpoint.feed("POST /hello/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n"
                + "abcdeGET /hello/y HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        assertEquals("hello /hello/x\n", answers.get(0).body());
        assertEquals("hello /hello/y\n", answers.get(1).body());
        assertFalse(endpoint.closeRequested);
    }

    @Test
    void aWellFormedUnreadChunkedBodyIsSkippedAndTheConnectionReused() {
        endpoint.feed("POST /hello/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\nGET /hello/y HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        assertNull(answers.get(0).header("Connection"));
        assertEquals("hello /hello/y\n", answers.get(1).body());
        assertFalse(endpoint.closeRequested);
    }

    @Test
    void anUnreadBodyOverTheDrainLimitIsNotWaitedFor() {
        endpoint.feed("POST /hello/x HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closeRequested);
        assertEquals("close", Responses.parse(endpoint.output()).get(0).header("Connection"));
    }

    @Test
    void aSubscriberWhoseDemandTheLastPartUsesUpIsStillToldTheBodyEnded() {
        CountingSubscriber body = new CountingSubscriber(1);
        mount("/count", request -> {
            request.body().subscribe(body);
            return body.done().thenApply(total -> Response.text(200, "received " + total));
        });
        endpoint.feed("POST /count HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
        assertEquals("received 3", responses(1).get(0).body(), "Reactive Streams §1.5: completion needs no demand");
    }
}

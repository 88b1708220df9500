package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.plinth.http.handler.Bodies;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.CountingSubscriber;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The request body as a publisher: who may subscribe, when, and what a subscriber is told when things end. */
class BodySubscriptionTest extends ConnectionFixture {

    private final CompletableFuture<Request> seen = new CompletableFuture<>();

    /** The failure a subscriber was told of. */
    private Throwable failureOf(CountingSubscriber subscriber) {
        endpoint.runUntil(subscriber.done()::isDone);
        return assertThrows(CompletionException.class, subscriber.done()::join).getCause();
    }

    @Test
    void aSecondSubscriberIsRefusedAndTheFirstReadsOn() {
        CountingSubscriber first = new CountingSubscriber(Long.MAX_VALUE);
        CountingSubscriber second = new CountingSubscriber(Long.MAX_VALUE);
        mount("/twice", request -> {
            request.body().subscribe(first);
            request.body().subscribe(second);
            return first.done().thenApply(total -> Response.text(200, "first got " + total));
        });
        endpoint.feed("POST /twice HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
        assertEquals("first got 3", responses(1).get(0).body());
        assertInstanceOf(IllegalStateException.class, failureOf(second));
    }

    @Test
    void askingForNothingIsAnErrorToldToTheSubscriber() {
        CountingSubscriber zero = new CountingSubscriber(0); // Reactive Streams §3.9
        mount("/zero", request -> {
            request.body().subscribe(zero);
            return zero.done().handle((total, failure) -> Response.text(200, String.valueOf(failure)));
        });
        endpoint.feed("POST /zero HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                + "GET /hello/next HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        assertInstanceOf(IllegalArgumentException.class, failureOf(zero));
        assertEquals("hello /hello/next\n", answers.get(1).body(), "the body was skipped instead");
    }

    @Test
    void aBodylessRequestCompletesItsSubscriberAtOnce() {
        mount(
                "/collect",
                request -> Bodies.collect(request.body(), 10)
                        .thenApply(bytes -> Response.text(200, "got " + bytes.length)));
        endpoint.feed("GET /collect HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals("got 0", responses(1).get(0).body());
    }

    @Test
    void aBodyLargerThanTheHandlerTakesGets413() {
        mount(
                "/small",
                request -> Bodies.collect(request.body(), 4)
                        .thenApply(bytes -> Response.text(200, "got " + bytes.length)));
        endpoint.feed("POST /small HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789");
        assertEquals(413, responses(1).get(0).status());
    }

    @Test
    void subscribingAfterTheAnswerWentWithoutTheBodyIsRefused() {
        mountInline("/early", request -> {
            seen.complete(request);
            return CompletableFuture.completedStage(Response.text(200, "early"));
        });
        endpoint.feed("POST /early HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab");
        CountingSubscriber late = new CountingSubscriber(Long.MAX_VALUE);
        seen.join().body().subscribe(late);
        assertInstanceOf(IllegalStateException.class, failureOf(late));
        endpoint.feed("cdeGET /hello/next HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        assertEquals("early", answers.get(0).body());
        assertEquals("hello /hello/next\n", answers.get(1).body());
    }

    @Test
    void subscribingAfterTheConnectionClosedIsRefused() {
        mount("/never", request -> {
            seen.complete(request);
            return new CompletableFuture<>();
        });
        endpoint.feed("POST /never HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n");
        endpoint.runUntil(seen::isDone);
        endpoint.close();
        CountingSubscriber late = new CountingSubscriber(Long.MAX_VALUE);
        seen.join().body().subscribe(late);
        assertInstanceOf(IllegalStateException.class, failureOf(late));
    }

    @Test
    void aConnectionClosingWhileTheHandlerReadsTellsItsSubscriberAndLogsTheExchangeCutShort() {
        CountingSubscriber reader = new CountingSubscriber(Long.MAX_VALUE);
        mount("/read", request -> {
            request.body().subscribe(reader);
            return reader.done().thenApply(total -> Response.text(200, "read " + total));
        });
        endpoint.feed("POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        endpoint.runUntil(() -> reader.received() == 3);
        endpoint.close();
        assertInstanceOf(IOException.class, failureOf(reader));
        endpoint.runUntil(() -> !logged.isEmpty());
        assertFalse(logged.poll().complete());
    }

    @Test
    void anAnswerCompleteBeforeTheBodyEndsTellsTheReaderAndTheRestIsSkipped() {
        CountingSubscriber reader = new CountingSubscriber(1);
        mount("/quick", request -> {
            request.body().subscribe(reader);
            return CompletableFuture.completedStage(Response.text(200, "quick"));
        });
        endpoint.feed("POST /quick HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\nabc");
        Responses.Parsed answer = responses(1).get(0);
        assertEquals("quick", answer.body());
        assertNull(answer.header("Connection"), "the reader was active, so nothing forces a close");
        assertInstanceOf(IOException.class, failureOf(reader));
        endpoint.feed("defGET /hello/next HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals("hello /hello/next\n", responses(2).get(1).body());
    }
}

package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.ListPublisher;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Handlers that throw, fail, or break their declared length. */
class HandlerFailureTest extends ConnectionFixture {

    @Test
    void handlerThrowingBeforeItsFirstPartGives500AndTheConnectionGoesOn() {
        mount("/boom", request -> {
            throw new IllegalStateException("boom");
        });
        mount("/failed", request -> CompletableFuture.failedStage(new IllegalStateException("failed")));
        endpoint.feed("GET /boom HTTP/1.1\r\nHost: a\r\n\r\nGET /failed HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /hello/ok HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(3);
        assertEquals(500, answers.get(0).status());
        assertEquals(500, answers.get(1).status());
        assertEquals(200, answers.get(2).status());
    }

    @Test
    void streamFailingBeforeItsFirstPartGives500() {
        mount(
                "/fails",
                request -> CompletableFuture.completedStage(Response.of(200)
                        .body(Body.ofParts(new ListPublisher(List.of(), new IllegalStateException("no data"))))));
        endpoint.feed("GET /fails HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(500, responses(1).get(0).status());
    }

    @Test
    void streamFailingAfterItsFirstPartClosesWithoutTheLastChunk() {
        mount(
                "/half",
                request -> CompletableFuture.completedStage(Response.of(200)
                        .body(Body.ofParts(new ListPublisher(List.of("part"), new IllegalStateException("broken"))))));
        endpoint.feed("GET /half HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        String raw = endpoint.output();
        assertTrue(raw.contains("Transfer-Encoding: chunked"));
        assertTrue(raw.endsWith("4\r\npart\r\n"), raw);
        assertFalse(raw.contains("0\r\n\r\n"));
    }

    @Test
    void handlerWritingMoreThanItsDeclaredLengthClosesTheConnection() {
        ListPublisher tooMuch = new ListPublisher("12345", "678");
        mount(
                "/long",
                request -> CompletableFuture.completedStage(Response.of(200).body(Body.ofParts(tooMuch, 5))));
        endpoint.feed("GET /long HTTP/1.1\r\nHost: a\r\n\r\nGET /hello/next HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        endpoint.runUntil(tooMuch::cancelled);
        String raw = endpoint.output();
        assertTrue(raw.contains("Content-Length: 5\r\n"));
        assertTrue(raw.endsWith("12345"), raw);
        assertEquals(1, count(raw), "the pipelined request is not answered on a desynchronised connection");
    }

    @Test
    void handlerWritingLessThanItsDeclaredLengthClosesTheConnection() {
        mount(
                "/short",
                request -> CompletableFuture.completedStage(
                        Response.of(200).body(Body.ofParts(new ListPublisher("123", "4"), 10))));
        endpoint.feed("GET /short HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        assertTrue(endpoint.output().endsWith("1234"));
    }

    /** A subscription that only records whether it was cancelled. */
    private static final class RecordedSubscription implements Flow.Subscription {
        final AtomicBoolean cancelled = new AtomicBoolean();

        @Override
        public void request(long n) {}

        @Override
        public void cancel() {
            cancelled.set(true);
        }
    }

    @Test
    void aStreamThatSubscribesTwiceHasItsSecondSubscriptionCancelled() {
        RecordedSubscription extra = new RecordedSubscription();
        Flow.Publisher<ByteBuffer> twice = subscriber -> {
            new ListPublisher("ok").subscribe(subscriber);
            subscriber.onSubscribe(extra); // Reactive Streams §2.5: the subscriber must cancel it
        };
        mount(
                "/twice",
                request -> CompletableFuture.completedStage(Response.of(200).body(Body.ofParts(twice))));
        endpoint.feed("GET /twice HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.output().endsWith("0\r\n\r\n") && extra.cancelled.get());
        assertEquals("ok", Responses.parse(endpoint.output()).get(0).body());
    }

    @Test
    void aStreamThatSubscribesOnlyAfterTheConnectionClosedIsCancelledAtOnce() {
        CompletableFuture<Flow.Subscriber<? super ByteBuffer>> waiting = new CompletableFuture<>();
        mount(
                "/slow-start",
                request -> CompletableFuture.completedStage(Response.of(200).body(Body.ofParts(waiting::complete))));
        endpoint.feed("GET /slow-start HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(waiting::isDone);
        endpoint.close();
        RecordedSubscription late = new RecordedSubscription();
        waiting.join().onSubscribe(late);
        endpoint.runUntil(late.cancelled::get);
        assertEquals("", endpoint.output());
    }
}

package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Bodies;
import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.CountingSubscriber;
import dev.plinth.http.handler.testing.ListPublisher;
import java.io.IOException;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** A client that goes away, or sends a broken body, while a handler reads or relays it. */
class ClientFailureTest extends ConnectionFixture {

    private final CompletableFuture<byte[]> collected = new CompletableFuture<>();

    /** Mounts /collect: reads the whole body, shares what it got (or why not), then answers. */
    private void mountCollector() {
        mount("/collect", request -> {
            CompletionStage<byte[]> body = Bodies.collect(request.body(), 1000);
            body.whenComplete((bytes, failure) -> {
                if (failure != null) {
                    collected.completeExceptionally(failure);
                } else {
                    collected.complete(bytes);
                }
            });
            return body.thenApply(bytes -> Response.text(200, "got " + bytes.length));
        });
    }

    @Test
    void aClientLeavingMidBodyEndsTheExchangeWithoutAnAnswerAndTheReaderLearnsIt() {
        mountCollector();
        endpoint.feed("POST /collect HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        endpoint.runUntil(() -> endpoint.unconsumed() == 0); // the handler asked for the body and got what came
        endpoint.endInput();
        endpoint.runUntil(() -> endpoint.closed && collected.isDone() && !logged.isEmpty());
        assertEquals("", endpoint.output(), "nothing to answer a request that never arrived whole");
        assertTrue(collected.isCompletedExceptionally());
        assertFalse(logged.poll().complete(), "logged as cut short");
        assertEquals(1, counters.errors());
    }

    @Test
    void aMalformedBodyWhileTheHandlerReadsItGets400AndTheReaderAnError() {
        mountCollector();
        endpoint.feed("POST /collect HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nZZ\r\n");
        endpoint.runUntil(() -> endpoint.closed && collected.isDone());
        Responses.Parsed answer = Responses.parse(endpoint.output()).get(0);
        assertEquals(400, answer.status());
        assertEquals("close", answer.header("Connection"));
        assertEquals(1, count(endpoint.output()), "the handler's late answer is dropped");
        CompletionException failure = assertThrows(CompletionException.class, collected::join);
        assertInstanceOf(IOException.class, failure.getCause());
    }

    @Test
    void aMalformedBodyWhileItIsRelayedCutsTheAnswerShortWithoutTheLastChunk() {
        mount(
                "/echo",
                request -> CompletableFuture.completedStage(Response.of(200).body(Body.ofParts(request.body()))));
        endpoint.feed("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nZZ\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        String raw = endpoint.output();
        assertTrue(raw.endsWith("\r\n\r\n3\r\nabc\r\n"), raw);
        assertEquals(1, count(raw), "no error page after a started answer");
    }

    @Test
    void aClientLeavingMidAnswerStopsTheHandlersStreamAndTheExchangeIsLoggedCutShort() {
        ListPublisher many = new ListPublisher(Collections.nCopies(100, "x".repeat(1000)), null);
        mount(
                "/many",
                request -> CompletableFuture.completedStage(Response.of(200).body(Body.ofParts(many))));
        connect(CoreConfig.DEFAULT.withOutboundCeiling(2_000));
        endpoint.socketFull = true;
        endpoint.feed("GET /many HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.pendingBytes() >= 2_000);
        endpoint.close();
        endpoint.runUntil(() -> many.cancelled() && !logged.isEmpty());
        assertFalse(logged.poll().complete());
    }

    @Test
    void aMalformedBodyWhileAStreamedAnswerIsUnderWayStopsTheStream() {
        ListPublisher many = new ListPublisher(Collections.nCopies(100, "x".repeat(1000)), null);
        mountInline("/read-and-stream", request -> {
            request.body().subscribe(new CountingSubscriber(Long.MAX_VALUE));
            return CompletableFuture.completedStage(Response.of(200).body(Body.ofParts(many)));
        });
        connect(CoreConfig.DEFAULT.withOutboundCeiling(2_000));
        endpoint.socketFull = true; // the answer cannot finish before the body is read
        endpoint.feed("POST /read-and-stream HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\nZZ\r\n");
        endpoint.runUntil(() -> endpoint.closed && many.cancelled());
        assertTrue(many.requested() < 100, "stopped, not pulled to the end: " + many.requested());
        assertEquals(1, counters.errors(), "one exchange failed, counted once");
    }
}

package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.CountingSubscriber;
import dev.plinth.http.handler.testing.ListPublisher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Pipelined requests answered in order, and back-pressure both ways. */
class PipeliningTest extends ConnectionFixture {

    @Test
    void hundredPipelinedRequestsInOneWriteAreAnsweredInOrder() {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            batch.append("GET /hello/").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        }
        endpoint.feed(batch.toString());
        List<Responses.Parsed> answers = responses(100);
        assertEquals(100, answers.size());
        for (int i = 0; i < 100; i++) {
            assertEquals("hello /hello/" + i + "\n", answers.get(i).body());
        }
        assertFalse(endpoint.closeRequested);
    }

    @Test
    void emptyLinesBeforeAndBetweenPipelinedRequestsAreIgnored() {
        endpoint.feed("\r\nPOST /hello/x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nab\r\n"
                + "GET /hello/y HTTP/1.1\r\nHost: a\r\n\r\n\r\n\r\nGET /hello/z HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(3);
        assertEquals("hello /hello/z\n", answers.get(2).body());
        assertFalse(endpoint.closeRequested);
    }

    @Test
    void inputEndingBetweenRequestsClosesQuietly() {
        endpoint.feed("GET /hello/a HTTP/1.1\r\nHost: a\r\n\r\n");
        responses(1);
        endpoint.endInput();
        endpoint.runUntil(() -> endpoint.closed);
        assertEquals(1, count(endpoint.output()));
    }

    @Test
    void slowBodyConsumerMakesTheCoreStopReading() {
        CountingSubscriber body = new CountingSubscriber(1);
        mount("/slow", request -> {
            request.body().subscribe(body);
            return body.done().thenApply(total -> Response.text(200, "received " + total));
        });
        int total = 1 << 20;
        endpoint.feed("POST /slow HTTP/1.1\r\nHost: a\r\nContent-Length: " + total + "\r\n\r\n");
        byte[] block = new byte[16384];
        for (int i = 0; i < total / block.length; i++) {
            endpoint.feed(block);
        }
        endpoint.runUntil(() -> body.received() > 0 && !endpoint.reading);
        endpoint.settle();
        assertFalse(endpoint.reading, "reading paused while the handler does not ask for more");
        assertEquals(total - body.received(), endpoint.unconsumed(), "nothing consumed beyond what was asked for");
        assertTrue(body.received() <= 16384, "one read's worth delivered for one part requested");

        body.subscription().join().request(Long.MAX_VALUE);
        Responses.Parsed response = responses(1).get(0);
        assertEquals("received " + total, response.body());
    }

    @Test
    void slowClientMakesTheCoreStopPullingHandlerOutput() {
        ListPublisher many = new ListPublisher(java.util.Collections.nCopies(1000, "x".repeat(1000)), null);
        mount(
                "/many",
                request -> CompletableFuture.completedStage(Response.of(200).body(Body.ofParts(many))));
        connect(CoreConfig.DEFAULT.withOutboundCeiling(10_000));
        endpoint.socketFull = true;
        endpoint.feed("GET /many HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.pendingBytes() >= 10_000);
        endpoint.settle();
        assertTrue(
                endpoint.pendingBytes() < 10_000 + 1100,
                "queued output stays near the ceiling: " + endpoint.pendingBytes());
        assertTrue(many.requested() < 20, "parts pulled: " + many.requested());
        List<String> rounds = new ArrayList<>();
        while (!endpoint.output().endsWith("0\r\n\r\n")) {
            endpoint.socketFull = true;
            endpoint.drainSocket();
            endpoint.settle();
            rounds.add("x");
            assertTrue(rounds.size() < 1000, "bounded");
        }
        assertEquals(1_000_000, Responses.parse(endpoint.output()).get(0).body().length());
    }
}

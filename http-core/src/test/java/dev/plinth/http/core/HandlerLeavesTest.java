package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.CountingSubscriber;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SubmissionPublisher;
import org.junit.jupiter.api.Test;

/**
 * A handler service that leaves while it serves exchanges: they finish before its service is released, up to the
 * drain timeout; then an endless body ends cleanly, an unanswered request gets 503, a finite body cut short closes
 * its connection. Requests that arrive meanwhile wait for a replacement.
 */
class HandlerLeavesTest extends ConnectionFixture {

    private static final Map<String, Object> SLOW = Map.of(Handler.PREFIX, "/slow", "service.id", 900L);

    /** Removes the handler on a worker, as the framework's thread would: the call blocks while the drain runs. */
    private CompletableFuture<Void> removeOnWorker(Handler handler) {
        return CompletableFuture.runAsync(() -> glue.removeHandler(handler, SLOW), workers);
    }

    /**
     * Mounts at /slow a handler answering with a finite stream of unknown length, with a drain of 50 ms, and
     * requests it.
     *
     * @return the stream's publisher, subscribed
     */
    private SubmissionPublisher<ByteBuffer> finiteStreamWithAShortDrain() {
        glue.settings(5_000, 100, 50);
        SubmissionPublisher<ByteBuffer> parts = new SubmissionPublisher<>(workers, 4);
        glue.addHandler(
                request -> CompletableFuture.completedStage(Response.of(200).body(Body.ofParts(parts))), SLOW);
        request("/slow");
        endpoint.runUntil(() -> parts.getNumberOfSubscribers() == 1);
        return parts;
    }

    private Handler handlerAt(String path) {
        return ((Glue.Choice) glue.choose(dev.plinth.http.handler.testing.TestRequest.get(path))).handler();
    }

    /** @return the exchanges the handler at /slow serves now */
    private int inFlight() {
        return glue.routes().stream()
                .filter(route -> route.prefix().equals("/slow"))
                .mapToInt(Glue.Route::inFlight)
                .sum();
    }

    private void request(String path) {
        endpoint.feed("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
    }

    @Test
    void anExchangeInFlightFinishesBeforeTheServiceIsReleased() {
        CompletableFuture<Response> answer = new CompletableFuture<>();
        Handler slow = request -> answer;
        glue.addHandler(slow, SLOW);
        request("/slow");
        endpoint.runUntil(() -> inFlight() == 1);
        CompletableFuture<Void> released = removeOnWorker(slow);
        endpoint.runUntil(() -> glue.routes().stream().noneMatch(r -> r.prefix().equals("/slow")));
        assertFalse(released.isDone(), "the unbind waits for the exchange");
        answer.complete(Response.text(200, "finished"));
        endpoint.runUntil(released::isDone);
        Responses.Parsed response = Responses.parse(endpoint.output()).get(0);
        assertEquals("finished", response.body());
        assertFalse(endpoint.closeRequested, "a finished exchange keeps its connection");
    }

    @Test
    void aRequestNotAnsweredByTheDrainDeadlineGets503AndALateAnswerIsDropped() {
        glue.settings(5_000, 100, 50);
        CompletableFuture<Response> answer = new CompletableFuture<>();
        Handler never = request -> answer;
        glue.addHandler(never, SLOW);
        request("/slow");
        endpoint.runUntil(() -> inFlight() == 1);
        CompletableFuture<Void> released = removeOnWorker(never);
        endpoint.runUntil(() -> released.isDone() && count(endpoint.output()) == 1);
        Responses.Parsed response = Responses.parse(endpoint.output()).get(0);
        assertEquals(503, response.status());
        assertTrue(response.body().contains("stopped"), response.body());
        answer.complete(Response.text(200, "too late"));
        request("/hello");
        assertEquals("hello /hello\n", responses(2).get(1).body(), "the connection goes on; the late answer is gone");
    }

    @Test
    void anEndlessBodyEndsCleanlyAtOnceWhenOnlyEndlessBodiesAreLeft() {
        // an endless body is framed by the connection's close: that close is its clean end
        SubmissionPublisher<ByteBuffer> parts = new SubmissionPublisher<>(workers, 4);
        Handler stream =
                request -> CompletableFuture.completedStage(Response.of(200).body(Body.endless(parts)));
        glue.addHandler(stream, SLOW);
        request("/slow");
        endpoint.runUntil(() -> parts.getNumberOfSubscribers() == 1);
        parts.submit(ByteBuffer.wrap("tick\n".getBytes(StandardCharsets.US_ASCII)));
        endpoint.runUntil(() -> endpoint.output().contains("tick"));
        CompletableFuture<Void> released = removeOnWorker(stream); // with the default drain of 30 s
        endpoint.runUntil(() -> released.isDone() && endpoint.closed);
        Responses.Parsed response = Responses.parse(endpoint.output()).get(0);
        assertEquals("close", response.framing());
        assertEquals("tick\n", response.body());
        assertEquals(0, counters.errors(), "ended, not aborted");
        endpoint.runUntil(() -> parts.getNumberOfSubscribers() == 0);
    }

    @Test
    void aFiniteBodyCutShortByTheDeadlineClosesItsConnectionWithoutALastChunk() {
        SubmissionPublisher<ByteBuffer> parts = finiteStreamWithAShortDrain();
        parts.submit(ByteBuffer.wrap("part\n".getBytes(StandardCharsets.US_ASCII)));
        endpoint.runUntil(() -> endpoint.output().contains("part"));
        CompletableFuture<Void> released = removeOnWorker(handlerAt("/slow"));
        endpoint.runUntil(() -> released.isDone() && endpoint.closed);
        assertFalse(endpoint.output().endsWith("0\r\n\r\n"), "never falsely ended: " + endpoint.output());
    }

    @Test
    void aFiniteStreamNotStartedByTheDeadlineGets503() {
        SubmissionPublisher<ByteBuffer> parts = finiteStreamWithAShortDrain();
        CompletableFuture<Void> released = removeOnWorker(handlerAt("/slow"));
        endpoint.runUntil(() -> released.isDone() && count(endpoint.output()) == 1);
        assertEquals(503, Responses.parse(endpoint.output()).get(0).status());
        endpoint.runUntil(() -> parts.getNumberOfSubscribers() == 0);
    }

    @Test
    void aRequestForAHandlerThatLeftWaitsForItsReplacement() {
        Handler first = request -> CompletableFuture.completedStage(Response.text(200, "v1"));
        glue.addHandler(first, SLOW);
        glue.removeHandler(first, SLOW); // nothing in flight: returns at once
        request("/slow");
        endpoint.settle();
        assertEquals("", endpoint.output(), "held, not 404");
        glue.addHandler(
                request -> CompletableFuture.completedStage(Response.text(200, "v2")),
                Map.of(Handler.PREFIX, "/slow", "service.id", 901L));
        assertEquals("v2", responses(1).get(0).body());
    }

    @Test
    void aChoiceWhoseServiceIsLeavingIsMadeAgain() throws InterruptedException {
        Occupancy leaving = new Occupancy();
        leaving.drain(0); // empty: returns at once, and nothing enters it from now on
        Handler old = request -> CompletableFuture.completedStage(Response.text(200, "old"));
        Handler current = request -> CompletableFuture.completedStage(Response.text(200, "current"));
        int[] asked = {0};
        Glue glueThatMovedOn = new Glue() {
            @Override
            public Decision choose(Request request) {
                return asked[0]++ == 0 ? new Choice(old, "/", false, leaving) : new Choice(current, "/", false);
            }

            @Override
            public Explanation explain(String host, String path) {
                throw new UnsupportedOperationException();
            }
        };
        connectThrough(glueThatMovedOn);
        request("/x");
        assertEquals("current", responses(1).get(0).body());
        assertEquals(2, asked[0]);
    }

    @Test
    void aGlueThatKeepsChoosingALeavingServiceGets503() throws InterruptedException {
        Occupancy leaving = new Occupancy();
        leaving.drain(0);
        Handler old = request -> CompletableFuture.completedStage(Response.text(200, "old"));
        Glue stuck = new Glue() {
            @Override
            public Decision choose(Request request) {
                return new Choice(old, "/", false, leaving);
            }

            @Override
            public Explanation explain(String host, String path) {
                throw new UnsupportedOperationException();
            }
        };
        connectThrough(stuck);
        request("/x");
        assertEquals(503, responses(1).get(0).status());
    }

    private void connectThrough(Glue other) {
        endpoint = new MemoryEndpoint(workers);
        connection = new HttpConnection(
                CoreConfig.DEFAULT, new CoreServices(other, workers, logged::add, counters), endpoint);
        endpoint.attach(connection);
    }

    @Test
    void anExchangeEndedByABadRequestBodyOrAClosedConnectionLeavesItsHandler() {
        CountingSubscriber reader = new CountingSubscriber(Long.MAX_VALUE);
        Handler reads = request -> {
            request.body().subscribe(reader);
            return reader.done().thenApply(total -> Response.text(200, "read " + total));
        };
        glue.addHandler(reads, SLOW);
        endpoint.feed("POST /slow HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
        endpoint.runUntil(() -> reader.received() == 3);
        assertEquals(1, inFlight());
        endpoint.feed("zz\r\n"); // not a chunk size
        endpoint.runUntil(() -> endpoint.closed);
        assertEquals(400, Responses.parse(endpoint.output()).get(0).status());
        assertEquals(0, inFlight(), "the rejected exchange left");

        connect(CoreConfig.DEFAULT);
        endpoint.feed("POST /slow HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        endpoint.runUntil(() -> inFlight() == 1);
        endpoint.close();
        assertEquals(0, inFlight(), "the cut-off exchange left");
    }
}

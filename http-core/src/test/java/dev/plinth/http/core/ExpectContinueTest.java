package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.plinth.http.handler.Bodies;
import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.CountingSubscriber;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SubmissionPublisher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When {@code 100 Continue} is sent (RFC 9110 §10.1.1): once, when a handler first asks for a withheld body. */
class ExpectContinueTest extends ConnectionFixture {

    private static final String CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n";

    @BeforeEach
    void mountCollector() {
        mount(
                "/size",
                request -> Bodies.collect(request.body(), 1000)
                        .thenApply(bytes -> Response.text(200, "got " + new String(bytes, StandardCharsets.UTF_8))));
    }

    private static int occurrences(String text, String of) {
        return text.split(of, -1).length - 1;
    }

    @Test
    void continueIsSentOnceHoweverOftenTheHandlerAsksForMore() {
        CountingSubscriber body = new CountingSubscriber(1);
        mount("/count", request -> {
            request.body().subscribe(body);
            return body.done().thenApply(total -> Response.text(200, "received " + total));
        });
        endpoint.feed("POST /count HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nExpect: 100-continue\r\n\r\n");
        endpoint.runUntil(() -> endpoint.output().equals(CONTINUE));
        endpoint.feed("abc");
        endpoint.runUntil(() -> body.received() == 3);
        body.subscription().join().request(2); // one more than the parts to come: the body's end is read too
        endpoint.feed("def");
        List<Responses.Parsed> answers = responses(2);
        assertEquals("received 6", answers.get(1).body());
        assertNull(answers.get(1).header("Connection"));
        assertEquals(1, occurrences(endpoint.output(), CONTINUE));
    }

    @Test
    void theExpectationIsMatchedWhateverItsCase() {
        endpoint.feed("POST /size HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: 100-Continue\r\n\r\n");
        endpoint.runUntil(() -> endpoint.output().equals(CONTINUE));
        endpoint.feed("ok");
        assertEquals("got ok", responses(2).get(1).body());
    }

    @Test
    void anHttp10ClientsExpectationIsIgnoredForItCannotUnderstand100() {
        endpoint.feed("POST /size HTTP/1.0\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nabcde");
        endpoint.runUntil(() -> endpoint.closed);
        assertFalse(endpoint.output().contains("100 Continue"), endpoint.output());
        assertEquals("got abcde", Responses.parse(endpoint.output()).get(0).body());
    }

    @Test
    void anExpectationWithAnEmptyBodyGetsNoContinue() {
        endpoint.feed("POST /size HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n"
                + "GET /hello/next HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        assertEquals("got ", answers.get(0).body());
        assertEquals("hello /hello/next\n", answers.get(1).body());
        assertFalse(endpoint.output().contains("100 Continue"));
    }

    @Test
    void continueIsNeverSentOnceTheAnswerHasStarted() {
        SubmissionPublisher<ByteBuffer> parts = new SubmissionPublisher<>(workers, 4);
        CompletableFuture<Request> seen = new CompletableFuture<>();
        mount("/early", request -> {
            seen.complete(request);
            return CompletableFuture.completedStage(Response.of(200).body(Body.ofParts(parts)));
        });
        endpoint.feed("POST /early HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        endpoint.runUntil(() -> parts.getNumberOfSubscribers() > 0);
        parts.submit(ByteBuffer.wrap("first".getBytes(StandardCharsets.US_ASCII)));
        endpoint.runUntil(() -> endpoint.output().contains("first"));

        seen.join().body().subscribe(new CountingSubscriber(1)); // too late to ask the client for its body
        endpoint.settle();
        assertFalse(endpoint.output().contains("100 Continue"), "no 1xx after the final answer's head");
        parts.close();
        endpoint.runUntil(() -> endpoint.closed);
        Responses.Parsed answer = Responses.parse(endpoint.output()).get(0);
        assertEquals("first", answer.body());
        assertEquals("close", answer.header("Connection"), "the withheld body was never sent");
    }
}

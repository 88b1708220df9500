package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.ListPublisher;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What each exchange leaves in the counters and the access log. */
class CountersAndAccessLogTest extends ConnectionFixture {

    @Test
    void everyExchangeIsPublishedToTheAccessLog() {
        mount(
                "/parts",
                request -> CompletableFuture.completedStage(
                        Response.of(200).body(Body.ofParts(new ListPublisher("ab", "cde")))));
        endpoint.feed("GET /hello/x HTTP/1.1\r\nHost: a\r\n\r\nGET /parts?q=1 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /missing HTTP/1.1\r\nHost: a\r\n\r\n");
        responses(3);
        endpoint.runUntil(() -> logged.size() >= 3); // published on the workers
        ExchangeFacts first = logged.poll();
        ExchangeFacts second = logged.poll();
        ExchangeFacts third = logged.poll();
        assertEquals("GET", first.method());
        assertEquals("/hello/x", first.target());
        assertEquals("HTTP/1.1", first.version());
        assertEquals(200, first.status());
        assertEquals("hello /hello/x\n".length(), first.bodyBytes());
        assertTrue(first.complete());
        assertEquals("/parts?q=1", second.target());
        assertEquals(5, second.bodyBytes());
        assertEquals(404, third.status());
        assertEquals("127.0.0.1", first.remote().getAddress().getHostAddress());
    }

    @Test
    void factsCarryWhatACombinedLogLineNeeds() {
        long before = System.currentTimeMillis();
        endpoint.feed("GET /hello/x HTTP/1.1\r\nHost: a\r\nReferer: http://a/from\r\nUser-Agent: probe/1\r\n\r\n"
                + "GET /missing HTTP/1.1\r\nHost: a\r\n\r\n");
        responses(2);
        endpoint.runUntil(() -> logged.size() >= 2);
        ExchangeFacts first = logged.poll();
        ExchangeFacts second = logged.poll();
        assertEquals("http://a/from", first.referer());
        assertEquals("probe/1", first.userAgent());
        assertEquals("/hello", first.prefix());
        assertEquals(endpoint.localAddress(), first.local());
        assertTrue(first.startMillis() >= before && first.startMillis() <= System.currentTimeMillis());
        assertEquals(ExchangeFacts.ABSENT, second.referer());
        assertEquals(ExchangeFacts.ABSENT, second.userAgent());
        assertEquals("", second.prefix(), "no handler served it");
    }

    @Test
    void aNonBlockingSinkIsCalledOnTheThreadThatEndsTheExchangeAndItsFailureHarmsNothing() {
        List<Thread> callers = new CopyOnWriteArrayList<>();
        AccessLog sink = new AccessLog() {
            @Override
            public void exchangeCompleted(ExchangeFacts facts) {
                callers.add(Thread.currentThread());
                logged.add(facts);
                throw new IllegalStateException("a broken sink");
            }

            @Override
            public boolean nonBlocking() {
                return true;
            }
        };
        endpoint = new MemoryEndpoint(workers);
        connection = new HttpConnection(CoreConfig.DEFAULT, new CoreServices(glue, workers, sink, counters), endpoint);
        endpoint.attach(connection);
        endpoint.feed("GET /now HTTP/1.1\r\nHost: a\r\n\r\nGET /now HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(2, responses(2).size());
        assertEquals(List.of(Thread.currentThread(), Thread.currentThread()), callers, "inline, no worker task");
        assertEquals(2, logged.size());
    }

    @Test
    void rejectedRequestIsPublishedToTheAccessLog() {
        endpoint.feed("GET /x HTTP/1.1\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed && !logged.isEmpty());
        ExchangeFacts facts = logged.poll();
        assertEquals(400, facts.status());
        assertEquals("GET", facts.method());
    }

    @Test
    void countersCountRequestsAndErrors() {
        mount("/boom", request -> {
            throw new IllegalStateException("boom");
        });
        endpoint.feed("GET /hello/a HTTP/1.1\r\nHost: a\r\n\r\nGET /boom HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /nothing HTTP/1.1\r\nHost: a\r\n\r\nGET /bad HTTP/1.1\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        assertEquals(3, counters.requests());
        assertEquals(2, counters.errors(), "the 500 and the 400; a 404 is no server error");
    }
}

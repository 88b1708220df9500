package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.glue.DefaultGlue;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Handlers that declare themselves non-blocking, the blocked-loop check, and what the server answers itself. */
@Timeout(20)
class InlineHandlerTest {

    /** Counts every task handed to them: an inline answer must hand over none. */
    private final TestWorkers workers = new TestWorkers();

    private final CoreCounters counters = new CoreCounters();
    private final List<Thread> callers = new CopyOnWriteArrayList<>();
    private final DefaultGlue glue = new DefaultGlue();
    private long nextServiceId = 1;
    private MemoryEndpoint endpoint;
    private LoopWatchdog watchdog = new LoopWatchdog(CoreConfig.DEFAULT_INLINE_THRESHOLD_MILLIS);

    @BeforeEach
    void setUp() {
        connect(CoreConfig.DEFAULT);
    }

    @AfterEach
    void tearDown() {
        watchdog.close();
        workers.close();
    }

    private void connect(CoreConfig config) {
        endpoint = new MemoryEndpoint(workers);
        CoreServices services = new CoreServices(glue, workers, AccessLog.NONE, counters, watchdog);
        endpoint.attach(new HttpConnection(config, services, endpoint));
    }

    /** A watchdog that samples, as the server's does: demotion needs the stack as evidence. */
    private void connectWatched(long thresholdMillis) {
        watchdog = new LoopWatchdog(thresholdMillis);
        watchdog.start("test-watchdog");
        connect(CoreConfig.DEFAULT.withInlineThresholdMillis(thresholdMillis));
    }

    private void mount(String prefix, boolean nonBlocking, Handler handler) {
        glue.addHandler(
                handler,
                Map.of(
                        Handler.PREFIX,
                        prefix,
                        "service.id",
                        nextServiceId++,
                        Handler.NONBLOCKING,
                        String.valueOf(nonBlocking)));
    }

    private Handler recording(String text) {
        return request -> {
            callers.add(Thread.currentThread());
            return CompletableFuture.completedStage(Response.text(200, text));
        };
    }

    private List<Responses.Parsed> responses(int count) {
        endpoint.runUntil(() -> ConnectionFixture.count(endpoint.output()) >= count);
        return Responses.parse(endpoint.output());
    }

    @Test
    void aNonBlockingHandlerAnswersOnTheReadingThreadBeforeTheReadReturns() {
        mount("/inline", true, recording("inline"));
        endpoint.feed("GET /inline HTTP/1.1\r\nHost: a\r\n\r\nGET /inline/2 HTTP/1.1\r\nHost: a\r\n\r\n");
        // no runUntil: both answers are written while the input is being consumed
        List<Responses.Parsed> answers = Responses.parse(endpoint.output());
        assertEquals(2, answers.size(), endpoint.output());
        assertEquals("inline", answers.get(1).body());
        assertEquals(List.of(Thread.currentThread(), Thread.currentThread()), callers);
        assertEquals(0, workers.submitted(), "nothing was handed to a worker");
        assertEquals(2, counters.inlineCalls());
    }

    @Test
    void anUndeclaredHandlerStillRunsOnAWorker() {
        mount("/worker", false, recording("worker"));
        endpoint.feed("GET /worker HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals("worker", responses(1).get(0).body());
        assertNotSame(Thread.currentThread(), callers.get(0));
        assertEquals(0, counters.inlineCalls());
    }

    @Test
    void aThresholdOfZeroRunsEveryHandlerOnWorkers() {
        connect(CoreConfig.DEFAULT.withInlineThresholdMillis(0));
        mount("/inline", true, recording("inline"));
        endpoint.feed("GET /inline HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals("inline", responses(1).get(0).body());
        assertNotSame(Thread.currentThread(), callers.get(0));
    }

    @Test
    void anInlineHandlerMayAnswerLaterFromAnotherThread() {
        CompletableFuture<Response> later = new CompletableFuture<>();
        mount("/later", true, request -> later);
        endpoint.feed("GET /later HTTP/1.1\r\nHost: a\r\n\r\nGET /later HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals("", endpoint.output(), "nothing is owed before the stage completes");
        workers.execute(() -> later.complete(Response.text(200, "done")));
        List<Responses.Parsed> answers = responses(2);
        assertEquals("done", answers.get(0).body());
        assertEquals("done", answers.get(1).body());
    }

    @Test
    void anInlineHandlerThatThrowsGets500AndTheConnectionGoesOn() {
        mount("/fails", true, request -> {
            throw new IllegalStateException("broken");
        });
        mount("/inline", true, recording("fine"));
        endpoint.feed("GET /fails HTTP/1.1\r\nHost: a\r\n\r\nGET /inline HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        assertEquals(500, answers.get(0).status());
        assertEquals("fine", answers.get(1).body());
    }

    @Test
    void aHandlerThatHoldsTheThreadIsCountedAndAfterThreeCallsRunsOnWorkers() {
        connectWatched(5);
        Handler sleeper = request -> {
            callers.add(Thread.currentThread());
            Thread.sleep(60); // the offence under test: a "non-blocking" handler that sleeps
            return CompletableFuture.completedStage(Response.text(200, "slept"));
        };
        mount("/sleepy", true, sleeper);
        for (int i = 1; i <= 3; i++) {
            endpoint.feed("GET /sleepy HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(i, Responses.parse(endpoint.output()).size(), "answered inline");
            assertSame(Thread.currentThread(), callers.get(i - 1));
            assertEquals(i, counters.blockedLoops());
        }
        assertTrue(
                glue.explain("a", "/sleepy").toString().contains("demoted after 3 blocked-loop reports"),
                glue.explain("a", "/sleepy").toString());
        endpoint.feed("GET /sleepy HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals("slept", responses(4).get(3).body());
        assertNotSame(Thread.currentThread(), callers.get(3), "demoted: called on a worker");
        assertEquals(3, counters.inlineCalls());
        assertEquals(3, counters.blockedLoops(), "a worker's call is not a blocked loop");
    }

    @Test
    void callsSlowedByLoadingClassesAreCountedButNotHeldAgainstTheHandler() {
        connectWatched(5);
        List<Runnable> firstUses = List.of(SlowClass1::touch, SlowClass2::touch, SlowClass3::touch);
        AtomicInteger calls = new AtomicInteger();
        mount("/cold", true, request -> {
            firstUses.get(calls.getAndIncrement()).run(); // each call initialises a new, slow class
            return CompletableFuture.completedStage(Response.text(200, "warm"));
        });
        for (int i = 1; i <= 3; i++) {
            endpoint.feed("GET /cold HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(i, Responses.parse(endpoint.output()).size());
        }
        assertEquals(3, counters.blockedLoops(), "each held the thread too long");
        assertTrue(
                ((Glue.Choice) glue.choose(dev.plinth.http.handler.testing.TestRequest.get("/cold"))).nonBlocking(),
                "warming up is no offence: " + glue.explain("a", "/cold"));
    }

    /** Classes whose initialisation takes a while, as a first use of a code path in a bundle may. */
    private static final class SlowClass1 {
        static {
            pause();
        }

        static void touch() {}
    }

    private static final class SlowClass2 {
        static {
            pause();
        }

        static void touch() {}
    }

    private static final class SlowClass3 {
        static {
            pause();
        }

        static void touch() {}
    }

    private static void pause() {
        try {
            Thread.sleep(60);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void optionsAsteriskIsAnsweredByTheServerNotByAHandler() {
        mount("/", true, recording("root"));
        endpoint.feed("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\nOPTIONS / HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        Responses.Parsed server = answers.get(0);
        assertEquals(200, server.status());
        assertEquals("GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE, PATCH", server.header("Allow"));
        assertEquals("0", server.header("Content-Length"));
        assertEquals("", server.body());
        assertEquals("root", answers.get(1).body(), "OPTIONS with a path goes to its handler");
        assertEquals(1, callers.size());
    }

    /** Connects through a glue that fails or finds nothing, asked on the I/O thread or on a worker. */
    private void connectThrough(boolean nonBlocking, boolean fails) {
        Glue glue = new Glue() {
            @Override
            public Decision choose(Request request) {
                if (fails) {
                    throw new IllegalStateException("glue broken");
                }
                return NOT_FOUND;
            }

            @Override
            public boolean nonBlocking() {
                return nonBlocking;
            }

            @Override
            public Explanation explain(String host, String path) {
                throw new UnsupportedOperationException();
            }
        };
        endpoint = new MemoryEndpoint(workers);
        CoreServices services = new CoreServices(glue, workers, AccessLog.NONE, counters);
        endpoint.attach(new HttpConnection(CoreConfig.DEFAULT, services, endpoint));
    }

    @Test
    void aGlueThatFailsGives500WhereverItIsAsked() {
        for (boolean nonBlocking : new boolean[] {false, true}) {
            connectThrough(nonBlocking, true);
            endpoint.feed("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(500, responses(1).get(0).status(), "non-blocking glue: " + nonBlocking);
        }
    }

    @Test
    void aGlueThatFindsNothingGives404WhereverItIsAsked() {
        for (boolean nonBlocking : new boolean[] {false, true}) {
            connectThrough(nonBlocking, false);
            endpoint.feed("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(404, responses(1).get(0).status(), "non-blocking glue: " + nonBlocking);
        }
    }

    @Test
    void aHandlerWhoseOwnStageThrowsOnRegistrationGets500AndTheConnectionGoesOn() {
        mount("/odd", true, request -> new CompletableFuture<Response>() {
            @Override
            public CompletableFuture<Response> whenComplete(BiConsumer<? super Response, ? super Throwable> action) {
                throw new IllegalStateException("a stage of its own making");
            }
        });
        mount("/inline", true, recording("fine"));
        endpoint.feed("GET /odd HTTP/1.1\r\nHost: a\r\n\r\nGET /inline HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        assertEquals(500, answers.get(0).status());
        assertEquals("fine", answers.get(1).body());
    }
}

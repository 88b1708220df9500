package dev.plinth.http.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.core.Glue;
import dev.plinth.http.core.testing.TestGlue;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Non-blocking handlers over real sockets, on a server with a single I/O thread, so every connection shares the loop
 * a misbehaving handler holds.
 */
@Timeout(30)
class InlineHandlerSocketTest {

    /** Reports from the server per handler; each may run inline until its third one (DefaultGlue's rule). */
    private final Map<Handler, AtomicInteger> blockedReports = new ConcurrentHashMap<>();

    private final TestGlue mounts = new TestGlue();
    private final Glue glue = new Glue() {
        @Override
        public Decision choose(Request request) {
            return mounts.mounted(request)
                    .<Decision>map(mount -> new Choice(
                            mount.handler(),
                            mount.prefix(),
                            blockedReports
                                            .getOrDefault(mount.handler(), new AtomicInteger())
                                            .get()
                                    < 3))
                    .orElse(NOT_FOUND);
        }

        @Override
        public boolean nonBlocking() {
            return true;
        }

        @Override
        public void blocked(Handler handler) {
            blockedReports.computeIfAbsent(handler, h -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public Explanation explain(String host, String path) {
            return mounts.explain(host, path);
        }
    };
    private final List<String> fastThreads = new CopyOnWriteArrayList<>();
    private final List<String> slowThreads = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        server = new HttpServer(new ServerConfig("127.0.0.1", 0, 1, 2, false, 100, 30_000, CoreConfig.DEFAULT), glue);
        address = server.start();
        mount("/fast", request -> {
            fastThreads.add(Thread.currentThread().getName());
            return CompletableFuture.completedStage(Response.text(200, "fast"));
        });
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.stop(200);
    }

    private void mount(String prefix, Handler handler) {
        mounts.mount(prefix, handler);
    }

    private static String get(RawClient client, String path) throws Exception {
        client.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawClient.Reply reply = client.read();
        assertEquals(200, reply.status());
        return reply.text();
    }

    @Test
    void aNonBlockingHandlerThatBlocksIsCountedDemotedAndThenHoldsNoOtherConnection() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        mount("/slow", request -> {
            slowThreads.add(Thread.currentThread().getName());
            if (calls.incrementAndGet() <= 3) {
                // the offence under test: long enough that the sampler catches it even while a cold JVM slows it
                Thread.sleep(250);
            } else {
                entered.countDown();
                Await.latch(release, "release");
            }
            return CompletableFuture.completedStage(Response.text(200, "slow"));
        });
        try (RawClient a = new RawClient(address);
                RawClient b = new RawClient(address)) {
            assertEquals("fast", get(a, "/fast"));
            for (int i = 0; i < 3; i++) {
                assertEquals("slow", get(a, "/slow"));
            }
            assertTrue(fastThreads.get(0).startsWith("plinth-selector-"), fastThreads.toString());
            slowThreads.forEach(name -> assertTrue(name.startsWith("plinth-selector-"), slowThreads.toString()));
            assertEquals(3, server.stats().blockedLoops());
            assertEquals(1, blockedReports.size(), "only the slow handler was reported");
            assertEquals(3, blockedReports.values().iterator().next().get(), "each offence reported to the glue");
            assertEquals(4, server.stats().inlineCalls());

            // demoted: the fourth call runs on a worker and holds it, not the loop
            a.send("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n");
            Await.latch(entered, "the demoted call");
            assertTrue(slowThreads.get(3).startsWith("plinth-worker-"), slowThreads.toString());
            assertEquals("fast", get(b, "/fast"), "another connection on the same loop is served meanwhile");
            release.countDown();
            RawClient.Reply late = a.read();
            assertEquals("slow", late.text());
            assertEquals(3, server.stats().blockedLoops());
            assertEquals(5, server.stats().inlineCalls(), "the fast handler still runs inline");
        }
    }

    @Test
    void anErrorThrownByAnInlineHandlerIsA500AndTheLoopServesOn() throws Exception {
        mount("/overflow", request -> {
            throw new StackOverflowError("deep");
        });
        try (RawClient a = new RawClient(address);
                RawClient b = new RawClient(address)) {
            a.send("GET /overflow HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals(500, a.read().status());
            assertEquals("fast", get(a, "/fast"), "the same connection goes on");
            assertEquals("fast", get(b, "/fast"), "and so does the only I/O thread");
        }
    }

    @Test
    void aGlueThatDoesNotDeclareItselfNonBlockingIsAskedOnAWorkerAndRunsEveryHandlerThere() throws Exception {
        server.stop(200);
        List<String> glueThreads = new CopyOnWriteArrayList<>();
        Glue blockingGlue = new Glue() {
            @Override
            public Decision choose(Request request) {
                glueThreads.add(Thread.currentThread().getName());
                return glue.choose(request); // even a handler chosen as non-blocking
            }

            @Override
            public Explanation explain(String host, String path) {
                return glue.explain(host, path);
            }
        };
        server = new HttpServer(
                new ServerConfig("127.0.0.1", 0, 1, 2, false, 100, 30_000, CoreConfig.DEFAULT), blockingGlue);
        address = server.start();
        try (RawClient client = new RawClient(address)) {
            assertEquals("fast", get(client, "/fast"));
        }
        assertTrue(glueThreads.get(0).startsWith("plinth-worker-"), glueThreads.toString());
        assertTrue(fastThreads.get(0).startsWith("plinth-worker-"), fastThreads.toString());
        assertEquals(0, server.stats().inlineCalls());
    }
}

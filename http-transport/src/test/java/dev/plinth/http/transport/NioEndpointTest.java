package dev.plinth.http.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.AccessLog;
import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.core.CoreCounters;
import dev.plinth.http.core.CoreServices;
import dev.plinth.http.core.HttpConnection;
import dev.plinth.http.core.testing.TestGlue;
import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.ListPublisher;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How other threads enter a connection ({@code runOrExecute} runs at once only when nothing is ahead of it), and how
 * the buffers of the loop's pool come back to it.
 */
@Timeout(10)
class NioEndpointTest {

    private static final String NEXT = "GET /next HTTP/1.1\r\nHost: x\r\n\r\n";

    private final EventLoop loop = new EventLoop("test-loop", 65536);
    private final TestGlue glue = TestGlue.of("/", request -> null);
    private ServerSocketChannel listener;
    private RawClient client;
    private NioEndpoint endpoint;

    @BeforeEach
    void connect() throws Exception {
        loop.start();
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = new RawClient((InetSocketAddress) listener.getLocalAddress());
        SocketChannel accepted = listener.accept();
        accepted.configureBlocking(false);
        endpoint = new NioEndpoint(accepted, loop, 5_000, new Counters(new CoreCounters()), () -> {});
        HttpConnection connection = new HttpConnection(
                CoreConfig.DEFAULT,
                new CoreServices(glue, Runnable::run, AccessLog.NONE, new CoreCounters()),
                endpoint);
        CountDownLatch opened = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                endpoint.open(connection);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            opened.countDown();
        });
        Await.latch(opened, "registration");
    }

    @AfterEach
    void close() throws Exception {
        loop.stop(Await.EVENT_MILLIS);
        client.close();
        listener.close();
    }

    @Test
    void runsOnTheCallingThreadWhenTheConnectionIsFree() throws Exception {
        Thread[] ranOn = new Thread[1];
        endpoint.runOrExecute(() -> ranOn[0] = Thread.currentThread());
        assertSame(Thread.currentThread(), ranOn[0]);
    }

    @Test
    void neverOvertakesATaskQueuedBeforeIt() throws Exception {
        CountDownLatch loopBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch bothRan = new CountDownLatch(2);
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        // the loop is busy elsewhere, so the connection itself is free, yet a task for it is waiting
        loop.execute(() -> {
            loopBusy.countDown();
            Await.latch(release, "release");
        });
        Await.latch(loopBusy, "busy loop");
        endpoint.execute(() -> {
            order.add("queued first");
            bothRan.countDown();
        });
        endpoint.runOrExecute(() -> {
            order.add("offered second");
            threads.add(Thread.currentThread());
            bothRan.countDown();
        });
        assertEquals(List.of(), order, "the second task must wait behind the first, not run on the caller");
        release.countDown();
        Await.latch(bothRan, "both tasks");
        assertEquals(List.of("queued first", "offered second"), order);
        assertTrue(threads.get(0).getName().equals("test-loop"), "deferred to the loop: " + threads.get(0));
    }

    @Test
    void waitsWhileTheLoopHasTheConnection() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(1);
        Thread[] ranOn = new Thread[1];
        endpoint.execute(() -> {
            inside.countDown();
            Await.latch(release, "release");
        });
        Await.latch(inside, "task holding the connection");
        endpoint.runOrExecute(() -> {
            ranOn[0] = Thread.currentThread();
            ran.countDown();
        });
        assertEquals(1, ran.getCount(), "must not run while another thread has the connection");
        release.countDown();
        Await.latch(ran, "deferred task");
        assertEquals("test-loop", ranOn[0].getName());
    }

    @Test
    void saysATaskIsQueuedUntilTheLoopRunsIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(1);
        assertFalse(endpoint.tasksQueued());
        loop.execute(() -> Await.latch(release, "release")); // the loop is busy elsewhere
        endpoint.execute(ran::countDown);
        assertTrue(endpoint.tasksQueued(), "an answer ready now must queue behind it, not overtake it");
        release.countDown();
        Await.latch(ran, "the queued task");
        assertFalse(endpoint.tasksQueued());
    }

    @Test
    void knowsBothEndsOfItsSocketUntilItCloses() throws Exception {
        assertEquals(client.socket.getLocalSocketAddress(), endpoint.remoteAddress());
        assertEquals(listener.getLocalAddress(), endpoint.localAddress());
        endpoint.close();
        assertEquals(new InetSocketAddress(0), endpoint.remoteAddress(), "a closed socket has no address to give");
        assertEquals(new InetSocketAddress(0), endpoint.localAddress());
    }

    @Test
    void closingWhileParsingLeftoverInputPoolsItsBufferOnce() throws Exception {
        // a streamed answer that ignores the request body; the body's bad chunk line waits in a pooled buffer
        // until the answer is done, then its parse fails and the connection is aborted mid-refeed
        glue.mount(
                "/ignores-body",
                request ->
                        CompletableFuture.completedStage(Response.of(200).body(Body.ofParts(new ListPublisher("ok")))));
        client.send("POST /ignores-body HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n");
        client.input().readAllBytes(); // until the server closes
        CompletableFuture<Boolean> distinct = new CompletableFuture<>();
        loop.execute(() -> distinct.complete(loop.acquire(16) != loop.acquire(16)));
        assertTrue(
                distinct.get(Await.EVENT_MILLIS, TimeUnit.MILLISECONDS),
                "a buffer was pooled twice: two connections would share it");
    }

    @Test
    void closingFromTheLoopReturnsTheUnconsumedInputBufferToThePool() throws Exception {
        keepPipelinedInput();
        loop.execute(endpoint::close);
        assertPooledBufferHolds(NEXT);
    }

    @Test
    void closingFromAnotherThreadReturnsTheUnconsumedInputBufferToThePool() throws Exception {
        keepPipelinedInput();
        endpoint.close(); // as a worker does: the loop owns the pool, so the release is handed to it
        assertPooledBufferHolds(NEXT);
    }

    @Test
    void aLeftoverConsumedLaterReturnsItsBufferToThePool() throws Exception {
        CompletableFuture<Response> held = new CompletableFuture<>();
        CountDownLatch called = new CountDownLatch(1);
        glue.mount("/held", request -> {
            called.countDown();
            return held;
        });
        client.send("GET /held HTTP/1.1\r\nHost: x\r\n\r\n" + NEXT);
        Await.latch(called, "call of the held handler");
        held.complete(Response.text(200, "held"));
        assertEquals("held", client.read().text());
        client.read(); // the answer to the leftover request: read from the pooled buffer, which is then free
        assertPooledBufferHolds(NEXT);
    }

    @Test
    void theLoopLetsGoOfTheConnectionAfterEachTask() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        endpoint.execute(ran::countDown);
        Await.latch(ran, "the task");
        // a worker may take the connection now, to close it say
        CompletableFuture.runAsync(endpoint::close).get(Await.EVENT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Test
    void aThreadThatClosedTheConnectionLetsGoOfIt() throws Exception {
        endpoint.close();
        CountDownLatch ran = new CountDownLatch(1);
        endpoint.execute(ran::countDown); // a task queued for it before it closed, say: the loop takes the lock
        Await.latch(ran, "the task");
    }

    /** Sends a request whose handler does not answer and one behind it, which the endpoint keeps unconsumed. */
    private void keepPipelinedInput() throws Exception {
        CountDownLatch called = new CountDownLatch(1);
        glue.mount("/held", request -> {
            called.countDown();
            return new CompletableFuture<>();
        });
        client.send("GET /held HTTP/1.1\r\nHost: x\r\n\r\n" + NEXT);
        Await.latch(called, "call of the held handler");
    }

    /** The pool hands out the buffer released last first, without wiping it: what it holds tells which it is. */
    private void assertPooledBufferHolds(String text) throws Exception {
        CompletableFuture<String> pooled = new CompletableFuture<>();
        loop.execute(() -> {
            ByteBuffer buffer = loop.acquire(16);
            pooled.complete(new String(buffer.array(), 0, text.length(), StandardCharsets.ISO_8859_1));
        });
        assertEquals(text, pooled.get(Await.EVENT_MILLIS, TimeUnit.MILLISECONDS), "the leftover's buffer is pooled");
    }
}

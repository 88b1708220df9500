package dev.plinth.http.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How other threads enter a connection ({@code runOrExecute} runs at once only when nothing is ahead of it), and how
 * the buffers of the loop's pool come back to it.
 */
@Timeout(10)
class NioEndpointTest {

    private static final String NEXT = "GET /next HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final long WRITE_TIMEOUT_MILLIS = 5_000;

    private final EventLoop loop = new EventLoop("test-loop", 65536);
    private final TestGlue glue = TestGlue.of("/", request -> null);
    private final Counters counters = new Counters(new CoreCounters());
    private ServerSocketChannel listener;
    private RawClient client;
    private SocketChannel accepted;
    private NioEndpoint endpoint;
    /** What the endpoint's close tells the server, as {@link HttpServer} counts it. */
    private volatile Runnable whenClosed = () -> {};

    @BeforeEach
    void connect() throws Exception {
        loop.start();
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = new RawClient((InetSocketAddress) listener.getLocalAddress());
        accepted = listener.accept();
        accepted.configureBlocking(false);
        accepted.setOption(StandardSocketOptions.TCP_NODELAY, true); // as the server sets it
        endpoint = new NioEndpoint(accepted, loop, WRITE_TIMEOUT_MILLIS, counters, () -> whenClosed.run(), null);
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
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch bothRan = new CountDownLatch(2);
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        // the loop is busy elsewhere, so the connection itself is free, yet a task for it is waiting
        busyLoop(release);
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
        glue.mount("/after", request -> CompletableFuture.completedStage(Response.text(200, "after")));
        client.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("after", client.read().text(), "the connection reads on after its leftover");
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

    @Test
    void anAnswerQueuedBehindAFullSocketIsTimedFromWhenItWasQueued() throws Exception {
        long filled = fillTheSocket();
        byte[] answer = "the answer".getBytes(StandardCharsets.ISO_8859_1);
        endpoint.runOrExecute(() -> endpoint.write(ByteBuffer.wrap(answer)));
        assertSweptNowThenSentWhole(filled, answer);
    }

    @Test
    void aFileQueuedBehindAFullSocketIsTimedFromWhenItWasQueued(@TempDir Path dir) throws Exception {
        long filled = fillTheSocket();
        byte[] content = new byte[1000];
        new Random(5).nextBytes(content);
        FileChannel file = FileChannel.open(Files.write(dir.resolve("f"), content));
        endpoint.runOrExecute(() -> endpoint.writeFile(file, 0, content.length));
        assertSweptNowThenSentWhole(filled, content);
    }

    @Test
    void bytesSentInManyPartialWritesAreCountedExactly() throws Exception {
        limitSocketBuffers(); // most writes take only part of what is queued
        byte[] answer = new byte[4 << 20];
        new Random(9).nextBytes(answer);
        endpoint.runOrExecute(() -> endpoint.write(ByteBuffer.wrap(answer)));
        assertArrayEquals(answer, client.input().readNBytes(answer.length));
        Await.counter(counters.bytesOut::sum, answer.length);
    }

    @Test
    void outputLeftToTheLoopByAnotherThreadIsSentWithoutWaitingForTheLoopsSelectToTimeOut() throws Exception {
        limitSocketBuffers(); // each answer is far more than the socket takes
        byte[] answer = new byte[2 << 20];
        long start = System.nanoTime();
        for (int i = 1; i <= 5; i++) {
            // written by this thread, as by a worker: the loop, asleep in its select, must wake to send the rest
            endpoint.runOrExecute(() -> endpoint.write(ByteBuffer.wrap(answer)));
            client.input().skipNBytes(answer.length);
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // asleep until its select times out, each answer would take some 250 ms
            assertTrue(took < 600, i + " answers took " + took + " ms");
        }
    }

    @Test
    void aStopsShutdownPassLetsGoOfTheConnection() throws Exception {
        loop.shutdownConnections(); // the connection is idle: it sends its FIN at once
        assertTrue(client.atEnd());
        // a worker may take the connection now, to close it say
        CompletableFuture.runAsync(endpoint::close).get(Await.EVENT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Test
    void duringAStopAnAnswerQueuesBehindTheShutdownPass() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        keepPipelinedInput(); // an exchange in flight: the stop lets it finish
        CountDownLatch release = new CountDownLatch(1);
        busyLoop(release);
        loop.shutdownConnections(); // the pass is queued behind the loop's busy task
        CountDownLatch ran = new CountDownLatch(1);
        // as a worker hands over its answer, which must be framed knowing of the stop
        endpoint.runOrExecute(() -> {
            order.add("answer on " + Thread.currentThread().getName());
            ran.countDown();
        });
        assertEquals(List.of(), order, "an answer must not overtake the shutdown pass");
        release.countDown();
        Await.latch(ran, "the answer");
        assertEquals(List.of("answer on test-loop"), order);
    }

    @Test
    void aTaskQueuedWhileTheStoppingLoopClosesItsConnectionsStillRuns() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        whenClosed = () -> loop.execute(ran::countDown); // as a close hands the loop work, a buffer's release say
        loop.stop(Await.EVENT_MILLIS);
        assertEquals(0, ran.getCount(), "run before the loop ended");
    }

    @Test
    void anEndpointClosedBeforeItWasRegisteredClosesItsSocketAndSaysSo() throws Exception {
        SocketChannel unregistered = SocketChannel.open();
        CountDownLatch closed = new CountDownLatch(1);
        new NioEndpoint(unregistered, loop, WRITE_TIMEOUT_MILLIS, counters, closed::countDown, null).close();
        assertFalse(unregistered.isOpen());
        assertEquals(0, closed.getCount(), "the server's count of open connections hears of it");
    }

    /**
     * Writes to the socket until the kernel takes no more, as a client that stopped reading makes it.
     *
     * @return the bytes written
     */
    private long fillTheSocket() throws IOException {
        ByteBuffer block = ByteBuffer.allocate(1 << 16);
        long filled = 0;
        for (int n = accepted.write(block.clear()); n > 0; n = accepted.write(block.clear())) {
            filled += n;
            assertTrue(filled < 1L << 30, "the socket never filled");
        }
        return filled;
    }

    /**
     * Sweeps the connection at once, as the loop may any time: output queued a moment ago is far within the write
     * timeout even if the socket has taken none of it yet. Then reads all the socket held and what was queued.
     */
    private void assertSweptNowThenSentWhole(long filled, byte[] queued) throws Exception {
        endpoint.runOrExecute(() -> endpoint.tick(System.nanoTime()));
        assertEquals(0, counters.transportErrors.sum(), "dropped as if the client had taken nothing for too long");
        client.input().skipNBytes(filled);
        assertArrayEquals(queued, client.input().readNBytes(queued.length));
    }

    /**
     * Fixes both ends' socket buffers at some hundreds of KiB, below what the tests queue; far smaller buffers would
     * meet TCP's own pauses (persist timer, delayed acknowledgements) of some 200 ms.
     */
    private void limitSocketBuffers() throws IOException {
        accepted.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 16);
        client.socket.setReceiveBufferSize(1 << 18);
    }

    /** Keeps the loop busy in a task of its own until {@code release}: the connection itself stays free. */
    private void busyLoop(CountDownLatch release) {
        CountDownLatch busy = new CountDownLatch(1);
        loop.execute(() -> {
            busy.countDown();
            Await.latch(release, "release");
        });
        Await.latch(busy, "busy loop");
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

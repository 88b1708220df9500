package dev.plinth.http.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.AccessLog;
import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.core.CoreCounters;
import dev.plinth.http.core.CoreServices;
import dev.plinth.http.core.HttpConnection;
import dev.plinth.http.handler.testing.ListPublisher;
import dev.plinth.http.handler.testing.TestGlue;
import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How other threads enter a connection: {@code runOrExecute} runs at once only when nothing is ahead of it. */
@Timeout(10)
class NioEndpointTest {

    private final EventLoop loop = new EventLoop("test-loop", 65536);
    private final TestGlue glue = TestGlue.of("/", request -> null);
    private ServerSocketChannel listener;
    private SocketChannel client;
    private NioEndpoint endpoint;

    @BeforeEach
    void connect() throws Exception {
        loop.start();
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(listener.getLocalAddress());
        SocketChannel accepted = listener.accept();
        accepted.configureBlocking(false);
        endpoint = new NioEndpoint(accepted, loop, 5_000, new Counters(new CoreCounters()), () -> { });
        HttpConnection connection = new HttpConnection(CoreConfig.DEFAULT,
                new CoreServices(glue, Runnable::run, AccessLog.NONE, new CoreCounters()), endpoint);
        CountDownLatch opened = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                endpoint.open(connection);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            opened.countDown();
        });
        assertTrue(opened.await(5, TimeUnit.SECONDS));
    }

    @AfterEach
    void close() throws Exception {
        loop.stop(5_000);
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
            await(release);
        });
        assertTrue(loopBusy.await(5, TimeUnit.SECONDS));
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
        assertTrue(bothRan.await(5, TimeUnit.SECONDS));
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
            await(release);
        });
        assertTrue(inside.await(5, TimeUnit.SECONDS));
        endpoint.runOrExecute(() -> {
            ranOn[0] = Thread.currentThread();
            ran.countDown();
        });
        assertEquals(1, ran.getCount(), "must not run while another thread has the connection");
        release.countDown();
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        assertEquals("test-loop", ranOn[0].getName());
    }

    @Test
    void closingWhileParsingLeftoverInputPoolsItsBufferOnce() throws Exception {
        // a streamed answer that ignores the request body; the body's bad chunk line waits in a pooled buffer
        // until the answer is done, then its parse fails and the connection is aborted mid-refeed
        glue.mount("/ignores-body", request -> CompletableFuture.completedStage(
                Response.of(200).body(Body.ofParts(new ListPublisher("ok")))));
        client.write(ByteBuffer.wrap(("POST /ignores-body HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "ZZ\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        ByteBuffer sink = ByteBuffer.allocate(4096);
        while (client.read(sink.clear()) >= 0) {
            // until the server closes
        }
        CompletableFuture<Boolean> distinct = new CompletableFuture<>();
        loop.execute(() -> distinct.complete(loop.acquire(16) != loop.acquire(16)));
        assertTrue(distinct.get(5, TimeUnit.SECONDS), "a buffer was pooled twice: two connections would share it");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

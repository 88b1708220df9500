package dev.plinth.http.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.core.Glue;
import dev.plinth.http.core.testing.TestGlue;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A selector loop outlives whatever one of its tasks or connections does wrong. */
@Timeout(30)
class EventLoopTest {

    @Test
    void aFailingTaskIsLoggedAndTheLoopRunsTheNext() throws Exception {
        EventLoop loop = new EventLoop("test-loop", 1024);
        loop.start();
        try {
            CountDownLatch ran = new CountDownLatch(1);
            loop.execute(() -> {
                throw new IllegalStateException("a task's bug");
            });
            loop.execute(() -> {
                throw new AssertionError("an error, not an exception");
            });
            loop.execute(ran::countDown);
            Await.latch(ran, "the task after the failing ones");
        } finally {
            loop.stop(Await.EVENT_MILLIS);
        }
    }

    @Test
    void aLeftoverOfExactlyAPooledBuffersSizeReusesAPooledBuffer() {
        EventLoop loop = new EventLoop("test-loop", 1024); // not started: this thread is the only user of its pool
        ByteBuffer pooled = loop.acquire(1);
        loop.release(pooled);
        assertSame(pooled, loop.acquire(pooled.capacity()), "a full pooled buffer is no reason to allocate another");
        assertNotSame(pooled, loop.acquire(1), "handed out once, not twice");
    }

    @Test
    void aTaskHandedToAnIdleLoopRunsWithoutWaitingForItsSelectToTimeOut() throws Exception {
        EventLoop loop = new EventLoop("test-loop", 1024);
        loop.start();
        try {
            long start = System.nanoTime();
            for (int i = 1; i <= 5; i++) {
                CountDownLatch ran = new CountDownLatch(1);
                loop.execute(ran::countDown); // the loop, idle, is asleep in its select: it must be woken
                Await.latch(ran, "task " + i);
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                // asleep until its select times out, each task would wait some 250 ms
                assertTrue(took < 600, i + " tasks took " + took + " ms");
            }
        } finally {
            loop.stop(Await.EVENT_MILLIS);
        }
    }

    @Test
    void stoppingReleasesTheSelector() throws Exception {
        EventLoop loop = new EventLoop("test-loop", 1024);
        loop.start();
        CountDownLatch ran = new CountDownLatch(1);
        loop.execute(ran::countDown);
        Await.latch(ran, "a first task");
        loop.stop(Await.EVENT_MILLIS);
        assertFalse(loop.selector().isOpen(), "each loop's selector holds file descriptors");
    }

    @Test
    void anEventThatFailsClosesItsConnectionAndTheLoopServesTheOthers() throws Exception {
        TestGlue mounts = TestGlue.of("/hello", request -> CompletableFuture.completedStage(Response.text(200, "hi")));
        // a glue asked on the I/O thread that fails with an error no layer below the loop catches
        Glue glue = new Glue() {
            @Override
            public Decision choose(Request request) {
                if (request.path().equals("/fails")) {
                    throw new AssertionError("the glue's bug");
                }
                return mounts.choose(request);
            }

            @Override
            public boolean nonBlocking() {
                return true;
            }

            @Override
            public Explanation explain(String host, String path) {
                return mounts.explain(host, path);
            }
        };
        HttpServer server =
                new HttpServer(new ServerConfig("127.0.0.1", 0, 1, 2, false, 100, 30_000, CoreConfig.DEFAULT), glue);
        InetSocketAddress address = server.start();
        try (RawClient other = new RawClient(address);
                RawClient failing = new RawClient(address)) {
            other.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("hi", other.read().text());
            failing.socket.setSoTimeout(RawClient.READ_TIMEOUT_MILLIS); // the server is warm now
            failing.send("GET /fails HTTP/1.1\r\nHost: x\r\n\r\n");
            IOException closed = assertThrows(IOException.class, failing::read);
            assertFalse(closed instanceof SocketTimeoutException, "closed without an answer, not left hanging");
            Await.counter(server.stats()::connectionsOpen, 1);
            other.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("hi", other.read().text(), "the only loop goes on");
            try (RawClient next = new RawClient(address)) {
                next.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("hi", next.read().text());
            }
        } finally {
            server.stop(200);
        }
    }
}

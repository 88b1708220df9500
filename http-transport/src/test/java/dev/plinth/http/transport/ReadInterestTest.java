package dev.plinth.http.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.core.testing.TestGlue;
import dev.plinth.http.handler.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection reads only while its exchange wants input: pipelined requests wait in the client's socket, not in the
 * server, while the request before them is answered. One selector loop with a small read buffer, so that what the
 * server read is easy to bound and every connection shares the loop.
 */
@Timeout(30)
class ReadInterestTest {

    private static final int READ_BUFFER = 1024;
    private static final String HELLO = "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n";

    private final CompletableFuture<Response> heldAnswer = new CompletableFuture<>();
    private final CountDownLatch heldCalled = new CountDownLatch(1);
    private final TestGlue glue =
            TestGlue.of("/hello", request -> CompletableFuture.completedStage(Response.text(200, "hello")));
    private HttpServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws IOException {
        glue.mount("/held", request -> {
            heldCalled.countDown();
            return heldAnswer;
        });
        server = new HttpServer(
                new ServerConfig("127.0.0.1", 0, 1, 2, false, 100, 30_000, CoreConfig.DEFAULT)
                        .withReadBufferSize(READ_BUFFER),
                glue);
        address = server.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.stop(200);
    }

    @Test
    void pipelinedRequestsStayInTheSocketWhileTheOneBeforeIsAnsweredThenAreAllServed() throws Exception {
        int pipelined = 1000; // some 40 KB: more than the read buffer and the pooled buffer that keeps leftovers
        try (RawClient client = new RawClient(address);
                RawClient other = new RawClient(address)) {
            client.send("GET /held HTTP/1.1\r\nHost: localhost\r\n\r\n" + HELLO.repeat(pipelined));
            Await.latch(heldCalled, "call of the held handler");
            // two exchanges on the only loop: the pass that read the first saw the waiting pipeline too, and the
            // second is read in a later pass, so the loop has had every chance to read more of it by now
            for (int i = 0; i < 2; i++) {
                other.send(HELLO);
                assertEquals("hello", other.read().text());
            }
            long readOfPipeline = server.stats().bytesIn() - 2L * HELLO.length();
            assertTrue(readOfPipeline <= 2 * READ_BUFFER, "read " + readOfPipeline + " bytes while answering");

            heldAnswer.complete(Response.text(200, "held"));
            assertEquals("held", client.read().text());
            for (int i = 0; i < pipelined; i++) {
                assertEquals("hello", client.read().text(), "answer " + i);
            }
            client.send(HELLO);
            assertEquals("hello", client.read().text(), "the connection reads on after its pipeline");
        }
    }
}

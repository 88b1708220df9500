package dev.plinth.handlers.statics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.TestRequest;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which requests the handler answers on the calling thread (the I/O thread, once the core runs non-blocking handlers
 * there) and which it hands to {@link dev.plinth.http.handler.Request#workers()}: every task handed over is recorded.
 * The metadata cache runs on a clock the test moves.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class InlineAnswersTest {

    private static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path temp;

    private final AtomicLong clock = new AtomicLong();
    private final List<Runnable> submitted = new ArrayList<>();
    private Site site;
    private StaticHandler handler;

    @BeforeEach
    void mount() throws Exception {
        site = Site.in(temp);
        handler = site.mount().memory(16 * 1024, 1 << 20).handler(clock::get);
    }

    @Test
    void aWarmFileInMemoryIsAnsweredWithoutWorkersAndWithoutTheDisk() throws Exception {
        Response cold = handle(TestRequest.get("/digits.txt"));
        assertEquals(1, submitted.size(), "a cold lookup reads the disk on a worker");
        String etag = cold.headers().first("ETag").orElseThrow();
        // from here on, a file-system call would see the file gone
        Files.delete(site.docroot.resolve("digits.txt"));
        submitted.clear();

        Response get = handle(TestRequest.get("/digits.txt"));
        assertEquals(200, get.status());
        assertEquals(Site.DIGITS, text(get));
        Response head = handle(TestRequest.of("HEAD", "/digits.txt"));
        assertEquals(200, head.status());
        assertEquals(100, head.body().length());
        Response notModified = handle(TestRequest.get("/digits.txt").header("If-None-Match", etag));
        assertEquals(304, notModified.status());
        Response range = handle(TestRequest.get("/digits.txt").header("Range", "bytes=10-24"));
        assertEquals(206, range.status());
        assertEquals("bytes 10-24/100", range.headers().first("Content-Range").orElseThrow());
        assertEquals(Site.DIGITS.substring(10, 25), text(range));
        assertEquals(List.of(), submitted, "all answered on the calling thread");
    }

    @Test
    void indexesRedirectsPrecompressedFilesAndCachedMissesAreAnsweredFromMemoryWhenWarm() throws Exception {
        List<TestRequest> requests = List.of(
                TestRequest.get("/sub/"),
                TestRequest.get("/sub?q=1"),
                TestRequest.get("/app.js").header("Accept-Encoding", "br"),
                TestRequest.get("/nope.html"),
                TestRequest.of("OPTIONS", "/site.css"),
                TestRequest.of("DELETE", "/site.css"));
        List<Integer> statuses = new ArrayList<>();
        for (TestRequest request : requests) {
            statuses.add(handle(request).status());
        }
        submitted.clear();
        for (int i = 0; i < requests.size(); i++) {
            assertEquals(
                    statuses.get(i),
                    handle(requests.get(i)).status(),
                    requests.get(i).toString());
        }
        assertEquals(List.of(200, 301, 200, 404, 204, 405), statuses);
        assertEquals(List.of(), submitted);
        assertEquals("BROTLI-BYTES", text(handle(TestRequest.get("/app.js").header("Accept-Encoding", "br"))));
    }

    @Test
    void coldFilesLargeFilesAndExpiredLookupsGoToWorkers() throws Exception {
        handle(TestRequest.get("/site.css"));
        assertEquals(1, submitted.size(), "cold");
        for (int i = 0; i < 2; i++) {
            assertInstanceOf(
                            Body.FileRegion.class,
                            handle(TestRequest.get("/blob.bin")).body())
                    .channel()
                    .close();
        }
        assertEquals(3, submitted.size(), "larger than the memory limit: sent from disk, by a worker, every time");
        clock.addAndGet(PERIOD_NANOS);
        handle(TestRequest.get("/site.css"));
        assertEquals(4, submitted.size(), "the cached lookup expired");
        assertEquals("body{}\n", text(handle(TestRequest.get("/site.css"))));
        assertEquals(4, submitted.size(), "warm again");
    }

    @Test
    void severalRangesAndListingsReadTheDiskOnWorkers() throws Exception {
        StaticHandler listing = site.mount().listing(true).handler(clock::get);
        handle(listing, TestRequest.get("/empty/"));
        handle(listing, TestRequest.get("/empty/"));
        handle(TestRequest.get("/digits.txt"));
        submitted.clear();
        handle(TestRequest.get("/digits.txt").header("Range", "bytes=0-1,5-6"));
        assertEquals(1, submitted.size(), "multipart parts are read from the file as the connection takes them");
        assertEquals(200, handle(listing, TestRequest.get("/empty/")).status());
        assertEquals(2, submitted.size(), "a listing reads the directory every time");
    }

    @Test
    void anErrorOnAWorkerCompletesTheAnswerExceptionally() throws Exception {
        Error injected = new Error("injected");
        List<Throwable> escaped = new ArrayList<>();
        TestRequest cold = TestRequest.get("/site.css").workers(task -> {
            try {
                task.run();
            } catch (Throwable uncaught) { // as a pool thread would: reported, and nobody completes the answer
                escaped.add(uncaught);
            }
        });
        // a cold lookup leaves the calling thread before the headers are read: the worker meets the error
        Request failing = (Request) Proxy.newProxyInstance(
                Request.class.getClassLoader(), new Class<?>[] {Request.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("headers")) {
                        throw injected;
                    }
                    return method.invoke(cold, arguments);
                });
        CompletableFuture<Response> answer = handler.handle(failing).toCompletableFuture();
        CompletionException failed = assertThrows(CompletionException.class, () -> answer.getNow(null));
        assertSame(injected, failed.getCause());
        assertEquals(List.of(), escaped);
    }

    private Response handle(TestRequest request) throws Exception {
        return handle(handler, request);
    }

    /** The recording executor runs each task at once, so the answer is complete when {@code handle} returns. */
    private Response handle(StaticHandler mount, TestRequest request) throws Exception {
        request.workers(task -> {
            submitted.add(task);
            task.run();
        });
        return mount.handle(request).toCompletableFuture().getNow(null);
    }

    private static String text(Response response) {
        return UTF_8.decode(assertInstanceOf(Body.Bytes.class, response.body()).content())
                .toString();
    }
}

package dev.plinth.http.handler.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Bodies;
import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Response;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TestResponseTest {

    private static final Duration SHORT = Duration.ofMillis(200);

    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

    @TempDir
    Path temp;

    @AfterEach
    void stop() {
        later.shutdownNow();
    }

    @Test
    void aSynchronousHandlersStatusFieldsAndText() throws Exception {
        Handler.Synchronous hello = request -> Response.text(
                        201, "Hello, " + request.queryParameter("name").orElse("world") + "\n")
                .header("X-One", "1")
                .header("x-one", "2");
        TestResponse response = TestResponse.call(hello, TestRequest.get("/hello?name=Ada"));
        assertEquals(201, response.status());
        assertEquals(Optional.of("text/plain; charset=utf-8"), response.header("content-type"));
        assertEquals(List.of("1", "2"), response.headers().all("X-One"));
        assertEquals("Hello, Ada\n", response.text());
        assertArrayEquals("Hello, Ada\n".getBytes(StandardCharsets.UTF_8), response.bytes());
        assertEquals(Optional.empty(), response.header("Location"));
    }

    @Test
    void aHandlerThatAnswersLaterOnAnotherThreadWithAStreamedBody() throws Exception {
        Handler echo = request -> Bodies.collect(request.body(), 100).thenCompose(bytes -> {
            CompletableFuture<Response> answer = new CompletableFuture<>();
            later.schedule(
                    () -> answer.complete(Response.of(200)
                            .body(Body.ofParts(new ListPublisher("got ", new String(bytes, StandardCharsets.UTF_8))))),
                    50,
                    TimeUnit.MILLISECONDS);
            return answer;
        });
        TestResponse response =
                TestResponse.call(echo, TestRequest.of("POST", "/echo").body("\u00e9t\u00e9"));
        assertEquals(200, response.status());
        assertEquals("got \u00e9t\u00e9", response.text());
        assertTrue(response.response().body() instanceof Body.Parts);
    }

    @Test
    void aStreamedBodyOfDeclaredLengthMustHaveIt() {
        Response honest = Response.of(200).body(Body.ofParts(new ListPublisher("abc", "de"), 5));
        assertEquals("abcde", TestResponse.collect(honest).text());
        Response short1 = Response.of(200).body(Body.ofParts(new ListPublisher("abc"), 5));
        AssertionError wrong = assertThrows(AssertionError.class, () -> TestResponse.collect(short1));
        assertTrue(wrong.getMessage().contains("declared 5 bytes but had 3"), wrong.getMessage());
    }

    @Test
    void aFileBodyIsReadFromItsRegionAndItsChannelClosed() throws IOException {
        Path file = Files.writeString(temp.resolve("page.txt"), "0123456789");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        TestResponse region = TestResponse.collect(Response.of(206).body(Body.ofFile(channel, 2, 5)));
        assertEquals("23456", region.text());
        assertFalse(channel.isOpen(), "closed, as the server closes it after sending");
        assertEquals(
                "0123456789",
                TestResponse.collect(Response.of(200).body(Body.ofFile(file))).text());
    }

    @Test
    void aFileShorterThanItsRegionFails() throws IOException {
        Path file = Files.writeString(temp.resolve("short.txt"), "012");
        Response response = Response.of(200).body(Body.ofFile(FileChannel.open(file), 0, 10));
        AssertionError wrong = assertThrows(AssertionError.class, () -> TestResponse.collect(response));
        assertTrue(wrong.getMessage().contains("declared 10 bytes but had 3"), wrong.getMessage());
    }

    @Test
    void whatTheHandlerThrowsOrFailsWithReachesTheTest() {
        IllegalStateException thrown = new IllegalStateException("thrown");
        Handler throwing = request -> {
            throw thrown;
        };
        assertSame(thrown, assertThrows(IllegalStateException.class, () -> TestResponse.call(throwing, get())));
        IOException failed = new IOException("failed");
        Handler failing = request -> CompletableFuture.failedFuture(failed);
        assertSame(failed, assertThrows(IOException.class, () -> TestResponse.call(failing, get())));
    }

    @Test
    void aHandlerThatNeverAnswersFailsWithinTheWait() {
        CompletableFuture<Response> never = new CompletableFuture<>();
        long start = System.nanoTime();
        AssertionError late =
                assertThrows(AssertionError.class, () -> TestResponse.call(request -> never, get(), SHORT));
        assertTrue(late.getMessage().contains("did not answer GET / HTTP/1.1 within PT0.2S"), late.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "bounded by the wait given");
    }

    @Test
    void aBodyThatDoesNotEndFailsWithWhatItSentAndIsCancelled() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Flow.Publisher<ByteBuffer> ticks = subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            private boolean sent;

            @Override
            public void request(long n) {
                if (!sent) {
                    sent = true;
                    subscriber.onNext(ByteBuffer.wrap("tick\n".getBytes(StandardCharsets.US_ASCII)));
                }
            }

            @Override
            public void cancel() {
                cancelled.set(true);
            }
        });
        AssertionError late = assertThrows(
                AssertionError.class,
                () -> TestResponse.call(
                        (Handler.Synchronous) request -> Response.of(200).body(Body.openEnded(ticks)), get(), SHORT));
        assertTrue(late.getMessage().contains("5 bytes, starting \"tick\n\""), late.getMessage());
        assertTrue(late.getMessage().contains("open-ended"), late.getMessage());
        assertTrue(cancelled.get());
    }

    @Test
    void aFailingBodyFailsTheCollection() {
        IllegalStateException broken = new IllegalStateException("broken stream");
        Response response = Response.of(200).body(Body.ofParts(new ListPublisher(List.of("ok"), broken)));
        AssertionError failed = assertThrows(AssertionError.class, () -> TestResponse.collect(response));
        assertSame(broken, failed.getCause());
        assertTrue(failed.getMessage().contains("failed after 2 bytes"), failed.getMessage());
    }

    @Test
    void bytesAreACopy() throws Exception {
        TestResponse response = TestResponse.call(
                request -> CompletableFuture.completedStage(Response.of(200).body(Body.of(new byte[] {1, 2, 3}))),
                get());
        response.bytes()[0] = 9;
        assertEquals(1, response.bytes()[0]);
        assertEquals("200\n(3 body bytes)", response.toString());
    }

    private static TestRequest get() {
        return TestRequest.get("/");
    }
}

package dev.plinth.http.handler.testing;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Headers;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A handler's whole answer, collected without a server: the status and header fields of its {@link Response} and
 * every byte of its body, whatever its kind (bytes, a file region, streamed parts).
 *
 * <pre>{@code
 * TestResponse response = TestResponse.call(handler, TestRequest.get("/hello"));
 * assertEquals(200, response.status());
 * assertEquals("Hello\n", response.text());
 * }</pre>
 *
 * Every wait is bounded ({@link #DEFAULT_WAIT} unless given): a handler whose stage is not completed in time, or a
 * body that does not end in time, fails with an {@link AssertionError} saying so (the body's subscription is then
 * cancelled, and the message shows what had arrived). An endless or open-ended body therefore cannot be collected
 * whole; read such a body with a {@link CountingSubscriber} or a subscriber of the test's own.
 */
public final class TestResponse {

    /** How long {@link #call(Handler, Request)} and {@link #collect(Response)} wait: 5 seconds. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

    /** The largest body collected: 64 MiB. A larger one fails the collection. */
    public static final int MAX_BODY_BYTES = 64 << 20;

    private final Response response;
    private final byte[] body;

    private TestResponse(Response response, byte[] body) {
        this.response = response;
        this.body = body;
    }

    /**
     * Calls a handler as the server would, waits for its response and collects the body, all within
     * {@link #DEFAULT_WAIT}.
     *
     * @param handler any handler: a {@link Handler.Synchronous} or one that completes its stage later
     * @param request the request, usually a {@link TestRequest}
     * @return the response and its whole body
     * @throws Exception what the handler threw, or the failure its stage completed with
     * @throws AssertionError if the stage or the body did not complete in time, or the body failed
     */
    public static TestResponse call(Handler handler, Request request) throws Exception {
        return call(handler, request, DEFAULT_WAIT);
    }

    /**
     * Calls a handler as the server would, waits for its response and collects the body.
     *
     * @param handler any handler: a {@link Handler.Synchronous} or one that completes its stage later
     * @param request the request, usually a {@link TestRequest}
     * @param wait how long the response and its body may take, together
     * @return the response and its whole body
     * @throws Exception what the handler threw, or the failure its stage completed with
     * @throws AssertionError if the stage or the body did not complete in time, or the body failed
     */
    public static TestResponse call(Handler handler, Request request, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        CompletionStage<Response> stage = handler.handle(request);
        if (stage == null) {
            throw new AssertionError("the handler returned no stage for " + request);
        }
        Response response;
        try {
            response = stage.toCompletableFuture().get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            throw new AssertionError("the handler did not answer " + request + " within " + wait, late);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) failed.getCause();
        }
        if (response == null) {
            throw new AssertionError("the handler answered " + request + " with null");
        }
        return collect(response, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /**
     * Collects a response's whole body within {@link #DEFAULT_WAIT}, for a handler called by the test itself.
     *
     * @param response the response
     * @return the response and its whole body
     * @throws AssertionError if the body did not end in time, failed, or was not as long as it declared
     */
    public static TestResponse collect(Response response) {
        return collect(response, DEFAULT_WAIT);
    }

    /**
     * Collects a response's whole body. A file body is read and its channel closed, as the server does after
     * sending it; a streamed body is subscribed to and all its parts requested at once.
     *
     * @param response the response
     * @param wait how long a streamed body may take to end
     * @return the response and its whole body
     * @throws AssertionError if the body did not end in time, failed, or was not as long as it declared
     */
    public static TestResponse collect(Response response, Duration wait) {
        Body body = response.body();
        byte[] bytes;
        if (body instanceof Body.Bytes inMemory) {
            ByteBuffer content = inMemory.content();
            bytes = new byte[content.remaining()];
            content.get(bytes);
        } else if (body instanceof Body.FileRegion region) {
            bytes = read(region);
        } else {
            bytes = new PartsCollector().collect((Body.Parts) body, wait);
        }
        if (body.length() >= 0 && body.length() != bytes.length) {
            throw new AssertionError("the body declared " + body.length() + " bytes but had " + bytes.length
                    + " (a server closes the connection)");
        }
        return new TestResponse(response, bytes);
    }

    /** @return the response as the handler made it, for what this class does not show (such as its body's kind) */
    public Response response() {
        return response;
    }

    /** @return the status code */
    public int status() {
        return response.status();
    }

    /** @return the header fields the handler set, in order (the server's own fields are not simulated) */
    public Headers headers() {
        return response.headers();
    }

    /**
     * The first value of a header field.
     *
     * @param name the field name, case-insensitive
     * @return its first value, if the handler set the field
     */
    public Optional<String> header(String name) {
        return response.headers().first(name);
    }

    /** @return a copy of the whole body */
    public byte[] bytes() {
        return body.clone();
    }

    /** @return the whole body decoded as UTF-8 */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** @return the status, the header fields and the body's length, for failure messages */
    @Override
    public String toString() {
        return status() + "\n" + headers() + "(" + body.length + " body bytes)";
    }

    private static byte[] read(Body.FileRegion region) {
        try (FileChannel channel = region.channel()) {
            ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(Math.min(region.length(), MAX_BODY_BYTES + 1L)));
            long position = region.position();
            while (bytes.hasRemaining()) {
                int read = channel.read(bytes, position + bytes.position());
                if (read < 0) {
                    break;
                }
            }
            if (bytes.position() > MAX_BODY_BYTES) {
                throw new AssertionError("the file body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            byte[] content = new byte[bytes.position()];
            bytes.flip().get(content);
            return content;
        } catch (IOException e) {
            throw new AssertionError("the file body could not be read: " + e, e);
        }
    }

    /** Requests every part of a streamed body and keeps them, until it ends or the wait is over. */
    private static final class PartsCollector implements Flow.Subscriber<ByteBuffer> {
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
        private final CompletableFuture<Void> end = new CompletableFuture<>();

        byte[] collect(Body.Parts body, Duration wait) {
            body.publisher().subscribe(this);
            try {
                end.get(wait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException late) {
                subscription.thenAccept(Flow.Subscription::cancel);
                throw new AssertionError("the body did not end within " + wait + "; it had sent " + describe(snapshot())
                        + (body.openEnded() ? " (an open-ended body need never end)" : ""));
            } catch (ExecutionException failed) {
                throw new AssertionError(
                        "the body failed after " + describe(snapshot()) + ": " + failed.getCause(), failed.getCause());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                subscription.thenAccept(Flow.Subscription::cancel);
                throw new AssertionError("interrupted while collecting the body", interrupted);
            }
            return snapshot();
        }

        private byte[] snapshot() {
            synchronized (received) {
                return received.toByteArray();
            }
        }

        private static String describe(byte[] bytes) {
            String text = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8);
            return bytes.length + " bytes, starting \"" + text + "\"";
        }

        @Override
        public void onSubscribe(Flow.Subscription given) {
            subscription.complete(given);
            given.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ByteBuffer part) {
            synchronized (received) {
                if (received.size() + (long) part.remaining() > MAX_BODY_BYTES) {
                    end.completeExceptionally(new IllegalStateException("more than " + MAX_BODY_BYTES + " bytes"));
                    subscription.thenAccept(Flow.Subscription::cancel);
                    return;
                }
                byte[] bytes = new byte[part.remaining()];
                part.get(bytes);
                received.writeBytes(bytes);
            }
        }

        @Override
        public void onError(Throwable failure) {
            end.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            end.complete(null);
        }
    }
}

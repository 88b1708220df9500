package dev.plinth.http.handler;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Static helpers for request bodies.
 */
public final class Bodies {

    private Bodies() {}

    /**
     * Reads a whole body into memory, refusing one larger than {@code maxBytes}.
     *
     * @param body the body, usually {@link Request#body()}
     * @param maxBytes the most bytes accepted
     * @return a stage completed with the bytes, or failed with {@link BodyTooLargeException} (the subscription is
     *         cancelled) or with the body's own failure
     */
    public static CompletionStage<byte[]> collect(Flow.Publisher<ByteBuffer> body, int maxBytes) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        body.subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription subscription;
            private byte[] bytes = new byte[0];
            private int size;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                this.subscription = subscription;
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer part) {
                if (result.isDone()) {
                    return;
                }
                if (part.remaining() > maxBytes - size) {
                    subscription.cancel();
                    result.completeExceptionally(new BodyTooLargeException(maxBytes));
                    return;
                }
                if (size + part.remaining() > bytes.length) {
                    bytes = Arrays.copyOf(
                            bytes, Math.min(maxBytes, Math.max(2 * bytes.length, size + part.remaining())));
                }
                int n = part.remaining();
                part.get(bytes, size, n);
                size += n;
            }

            @Override
            public void onError(Throwable failure) {
                result.completeExceptionally(failure);
            }

            @Override
            public void onComplete() {
                result.complete(size == bytes.length ? bytes : Arrays.copyOf(bytes, size));
            }
        });
        return result;
    }

    /**
     * Turns a subscriber away, as Reactive Streams asks of a publisher that cannot serve it (rule 1.9): it gets a
     * subscription that does nothing, then {@code onError}. For bodies that can be read once.
     *
     * @param subscriber the subscriber refused
     * @param why the message of the {@link IllegalStateException} it gets
     * @since 2.1
     */
    public static void refuse(Flow.Subscriber<?> subscriber, String why) {
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {}

            @Override
            public void cancel() {}
        });
        subscriber.onError(new IllegalStateException(why));
    }

    /** Thrown (through a stage) when a body exceeds the size its reader accepts. Maps to 413. */
    public static final class BodyTooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param limit the size that was exceeded */
        public BodyTooLargeException(int limit) {
            super("request body larger than " + limit + " bytes");
        }
    }
}

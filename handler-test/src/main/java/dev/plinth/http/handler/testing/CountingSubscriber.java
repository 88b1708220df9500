package dev.plinth.http.handler.testing;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A body subscriber for tests that asks for a fixed number of parts at first, counts the bytes it gets, and leaves
 * further demand to the test: the way to play a slow body consumer, or to check what a body delivers part by part.
 *
 * <pre>{@code
 * CountingSubscriber body = new CountingSubscriber(1);
 * handler = request -> {
 *     request.body().subscribe(body);
 *     return body.done().thenApply(total -> Response.text(200, "received " + total));
 * };
 * ...
 * body.subscription().join().request(Long.MAX_VALUE);
 * }</pre>
 */
public final class CountingSubscriber implements Flow.Subscriber<ByteBuffer> {

    private final long initialDemand;
    private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private final AtomicLong received = new AtomicLong();

    /**
     * A subscriber that requests a number of parts at once.
     *
     * @param initialDemand parts requested on subscription; {@code Long.MAX_VALUE} for all of them; 0 makes the
     *     request Reactive Streams forbids (rule 3.9), to test a publisher's answer to it
     */
    public CountingSubscriber(long initialDemand) {
        this.initialDemand = initialDemand;
    }

    /** @return completed with the subscription once subscribed, for the test to request more */
    public CompletableFuture<Flow.Subscription> subscription() {
        return subscription;
    }

    /** @return completed with the total bytes received when the body completes, or failed with its error */
    public CompletableFuture<Long> done() {
        return done;
    }

    /** @return bytes received so far */
    public long received() {
        return received.get();
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        s.request(initialDemand);
        subscription.complete(s);
    }

    @Override
    public void onNext(ByteBuffer part) {
        received.addAndGet(part.remaining());
    }

    @Override
    public void onError(Throwable failure) {
        done.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        done.complete(received.get());
    }
}

package dev.plinth.http.handler.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A response or request body for tests: publishes fixed text parts against demand, then completes, or fails instead
 * when given a failure. Counts what was requested and whether it was cancelled. Shipped in handler-api's test jar.
 */
public final class ListPublisher implements Flow.Publisher<ByteBuffer> {

    private final List<String> parts;
    private final RuntimeException failure;
    /** Parts requested so far, over all subscriptions. */
    public final AtomicLong requested = new AtomicLong();
    /** Whether a subscriber cancelled. */
    public final AtomicBoolean cancelled = new AtomicBoolean();

    /**
     * @param parts the parts, as UTF-8 text
     * @param failure signalled after the parts instead of completion, or null to complete
     */
    public ListPublisher(List<String> parts, RuntimeException failure) {
        this.parts = parts;
        this.failure = failure;
    }

    /** @param parts the parts, as UTF-8 text, then completion */
    public ListPublisher(String... parts) {
        this(List.of(parts), null);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        AtomicInteger next = new AtomicInteger();
        subscriber.onSubscribe(new Flow.Subscription() {
            private boolean done;

            @Override
            public synchronized void request(long n) {
                requested.addAndGet(n);
                for (long i = 0; i < n && !done; i++) {
                    int index = next.getAndIncrement();
                    if (index < parts.size()) {
                        subscriber.onNext(ByteBuffer.wrap(parts.get(index).getBytes(StandardCharsets.UTF_8)));
                    }
                    if (next.get() >= parts.size()) {
                        done = true;
                        if (failure != null) {
                            subscriber.onError(failure);
                        } else {
                            subscriber.onComplete();
                        }
                    }
                }
            }

            @Override
            public void cancel() {
                cancelled.set(true);
                done = true;
            }
        });
    }
}

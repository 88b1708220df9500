package dev.plinth.http.handler.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request or response body for tests: publishes fixed parts, only as many as requested, then completes, or fails
 * instead when given a failure. Each subscriber gets every part from the first, on the thread that requests them.
 * Counts what was requested and whether a subscriber cancelled, so a test can check that a reader pulls at its own
 * pace.
 *
 * <pre>{@code
 * ListPublisher parts = new ListPublisher("hello ", "world");
 * Response response = Response.of(200).body(Body.ofParts(parts));
 * assertEquals("hello world", TestResponse.collect(response).text());
 * }</pre>
 */
public final class ListPublisher implements Flow.Publisher<ByteBuffer> {

    private final List<byte[]> parts;
    private final RuntimeException failure;
    private final AtomicLong requested = new AtomicLong();
    private final AtomicBoolean cancelled = new AtomicBoolean();

    /**
     * Text parts, then a failure or completion.
     *
     * @param parts the parts, each sent as UTF-8
     * @param failure signalled after the parts instead of completion, or null to complete
     */
    public ListPublisher(List<String> parts, RuntimeException failure) {
        this(
                failure,
                parts.stream()
                        .map(part -> part.getBytes(StandardCharsets.UTF_8))
                        .toList());
    }

    /**
     * Text parts, then completion.
     *
     * @param parts the parts, each sent as UTF-8
     */
    public ListPublisher(String... parts) {
        this(List.of(parts), null);
    }

    private ListPublisher(RuntimeException failure, List<byte[]> parts) {
        this.parts = parts;
        this.failure = failure;
    }

    /**
     * Byte parts, then completion.
     *
     * @param parts the parts; not copied, so do not change them afterwards
     * @return a publisher of those parts
     */
    public static ListPublisher ofBytes(byte[]... parts) {
        return new ListPublisher(null, List.of(parts));
    }

    /** @return the parts requested so far, over all subscriptions */
    public long requested() {
        return requested.get();
    }

    /** @return whether a subscriber cancelled its subscription */
    public boolean cancelled() {
        return cancelled.get();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        AtomicInteger next = new AtomicInteger();
        subscriber.onSubscribe(new Flow.Subscription() {
            private boolean done;

            @Override
            public synchronized void request(long n) {
                if (done) {
                    return;
                }
                if (n <= 0) {
                    done = true;
                    subscriber.onError(new IllegalArgumentException("non-positive request: " + n + " (rule 3.9)"));
                    return;
                }
                requested.accumulateAndGet(n, (sum, more) -> sum + more < 0 ? Long.MAX_VALUE : sum + more);
                for (long i = 0; i < n && !done; i++) {
                    int index = next.getAndIncrement();
                    if (index < parts.size()) {
                        subscriber.onNext(ByteBuffer.wrap(parts.get(index)));
                    }
                    if (next.get() >= parts.size() && !done) {
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

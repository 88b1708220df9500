package dev.plinth.http.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Publishes fixed text parts, respecting demand; optionally fails after them instead of completing. */
final class ListPublisher implements Flow.Publisher<ByteBuffer> {

    private final List<String> parts;
    private final RuntimeException failure;
    final AtomicLong requested = new AtomicLong();
    final AtomicBoolean cancelled = new AtomicBoolean();

    ListPublisher(List<String> parts, RuntimeException failure) {
        this.parts = parts;
        this.failure = failure;
    }

    ListPublisher(String... parts) {
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

package dev.plinth.handlers.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records what a publisher signals and checks the Reactive Streams rules it can see: no {@code onNext} beyond
 * demand, no overlapping signals, at most one terminal signal and nothing after it.
 */
final class RecordingSubscriber implements Flow.Subscriber<ByteBuffer> {

    private final int batch;
    final List<String> items = Collections.synchronizedList(new ArrayList<>());
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger terminals = new AtomicInteger();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicBoolean inside = new AtomicBoolean();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private volatile Flow.Subscription subscription;
    private volatile Throwable error;
    private volatile boolean completed;
    private int left;

    /** @param batch how many items to request at a time, refilling when a batch has arrived; 0 requests nothing */
    RecordingSubscriber(int batch) {
        this.batch = batch;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        enter("onSubscribe");
        subscription = s;
        subscribed.countDown();
        if (batch > 0) {
            left = batch;
            request(batch);
        }
        leave();
    }

    @Override
    public void onNext(ByteBuffer item) {
        enter("onNext");
        if (received.incrementAndGet() > requested.get()) {
            violations.add("onNext beyond demand: item " + received.get() + ", requested " + requested.get());
        }
        items.add(StandardCharsets.UTF_8.decode(item).toString());
        if (batch > 0 && --left == 0) {
            left = batch;
            request(batch);
        }
        leave();
    }

    @Override
    public void onError(Throwable failure) {
        enter("onError");
        error = failure;
        terminal();
        leave();
    }

    @Override
    public void onComplete() {
        enter("onComplete");
        completed = true;
        terminal();
        leave();
    }

    void request(long n) {
        requested.addAndGet(n);
        subscription.request(n);
    }

    void cancel() {
        subscription.cancel();
    }

    Flow.Subscription subscription() throws InterruptedException {
        assertTrue(subscribed.await(5, TimeUnit.SECONDS), "no onSubscribe");
        return subscription;
    }

    /** Waits, at most {@code timeout}, for a terminal signal. */
    void awaitEnd(Duration timeout) throws InterruptedException {
        assertTrue(ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS), "no terminal signal; got " + items);
    }

    boolean completed() {
        return completed;
    }

    Throwable error() {
        return error;
    }

    String text() {
        synchronized (items) {
            return String.join("", items);
        }
    }

    private void terminal() {
        if (terminals.incrementAndGet() > 1) {
            violations.add("second terminal signal");
        }
        ended.countDown();
    }

    private void enter(String signal) {
        if (terminals.get() > 0) {
            violations.add(signal + " after a terminal signal");
        }
        if (!inside.compareAndSet(false, true)) {
            violations.add(signal + " overlaps another signal");
        }
    }

    private void leave() {
        inside.set(false);
    }
}

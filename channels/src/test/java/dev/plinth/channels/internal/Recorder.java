package dev.plinth.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.channels.Channel;
import dev.plinth.channels.CloseReason;
import dev.plinth.channels.Message;
import dev.plinth.channels.Subscriber;
import dev.plinth.channels.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A subscriber that records what it receives, checks that its callbacks never overlap, requests as told, and counts
 * down a latch when it has received a given id or is closed.
 */
final class Recorder implements Subscriber {

    /** Requests nothing by itself. */
    static final long STALLED = 0;

    private final long batch;
    private final long until;
    private final List<Long> ids = new ArrayList<>();
    private final List<long[]> gaps = new ArrayList<>();
    private final AtomicInteger inside = new AtomicInteger();
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private volatile boolean overlapped;
    private volatile CloseReason closed;
    private volatile Subscription subscription;
    private volatile Consumer<Message> onMessage = m -> {};
    private long sinceRequest;

    /**
     * @param batch {@link #STALLED}, {@link Long#MAX_VALUE} (all at once), or how many to request at a time
     * @param until the id at which {@link #awaitUntil()} returns
     */
    Recorder(long batch, long until) {
        this.batch = batch;
        this.until = until;
    }

    Recorder subscribe(Channel channel, long lastSeenId) {
        subscription = channel.subscribe(lastSeenId, this);
        if (batch != STALLED) {
            subscription.request(batch);
        }
        return this;
    }

    Recorder onMessage(Consumer<Message> action) {
        onMessage = action;
        return this;
    }

    Subscription subscription() {
        return subscription;
    }

    Outlet outlet() {
        return (Outlet) subscription;
    }

    @Override
    public void message(Message message) {
        enter();
        synchronized (this) {
            ids.add(message.id());
            notifyAll();
        }
        onMessage.accept(message);
        if (batch != STALLED && batch != Long.MAX_VALUE && ++sinceRequest == batch) {
            sinceRequest = 0;
            subscription.request(batch);
        }
        if (message.id() >= until) {
            reached.countDown();
        }
        leave();
    }

    @Override
    public void gap(long fromId, long toId) {
        enter();
        synchronized (this) {
            gaps.add(new long[] {fromId, toId});
        }
        leave();
    }

    @Override
    public void closed(CloseReason reason) {
        enter();
        assertEquals(null, closed, "closed twice");
        closed = reason;
        closedLatch.countDown();
        leave();
    }

    private void enter() {
        if (inside.incrementAndGet() != 1) {
            overlapped = true;
        }
    }

    private void leave() {
        inside.decrementAndGet();
    }

    void awaitUntil() throws InterruptedException {
        assertTrue(reached.await(20, TimeUnit.SECONDS), "id " + until + " not reached; last ids " + tail());
    }

    /**
     * Waits until this subscriber has received the message {@code id} (or a later one).
     *
     * @param id the id
     */
    synchronized void awaitId(long id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ids.isEmpty() || ids.get(ids.size() - 1) < id) {
            long left = deadline - System.nanoTime();
            assertTrue(left > 0, "id " + id + " not reached; last ids " + tail());
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    CloseReason awaitClosed() throws InterruptedException {
        assertTrue(closedLatch.await(20, TimeUnit.SECONDS), "not closed");
        return closed;
    }

    CloseReason closed() {
        return closed;
    }

    synchronized List<Long> ids() {
        return new ArrayList<>(ids);
    }

    synchronized List<long[]> gaps() {
        return new ArrayList<>(gaps);
    }

    /** Asserts that the ids received are exactly {@code from..to}, in order, and the callbacks never overlapped. */
    void assertExactly(long from, long to) {
        List<Long> got = ids();
        assertFalse(overlapped, "callbacks overlapped");
        assertEquals(to - from + 1, got.size(), () -> "count; first " + got.subList(0, Math.min(5, got.size())));
        for (int i = 0; i < got.size(); i++) {
            assertEquals(from + i, got.get(i), "id at " + i);
        }
    }

    boolean overlapped() {
        return overlapped;
    }

    private synchronized String tail() {
        return ids.subList(Math.max(0, ids.size() - 5), ids.size()).toString();
    }
}

package dev.plinth.handlers.stream;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The timer behind the clock streams: one daemon thread shared by every stream, and the set of streams still live so
 * that {@link #close()} can end them all. Each {@linkplain #lines(long) stream} gets its own periodic task while it
 * is subscribed; a cancelled task leaves the timer's queue at once.
 */
final class Ticker implements AutoCloseable {

    /** A line count meaning "forever". */
    static final long UNLIMITED = Long.MAX_VALUE;

    private final ScheduledThreadPoolExecutor executor;
    private final Duration interval;
    private final Clock clock;
    private final Set<TickSubscription> live = new HashSet<>(); // guarded by itself
    private boolean closed; // guarded by live

    /**
     * @param interval the time between two lines, positive
     * @param clock the clock whose time the lines show
     */
    Ticker(Duration interval, Clock clock) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.interval = interval;
        this.clock = Objects.requireNonNull(clock, "clock");
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = task -> {
            Thread thread = new Thread(task, "plinth-clock-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.executor = new ScheduledThreadPoolExecutor(1, factory);
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    /**
     * A cold publisher: each subscriber gets its own stream of lines such as {@code 2026-11-25T12:00:01Z tick 1},
     * the first at once, then one per interval, each only when demanded. A tick that finds no demand is held, and
     * ticks arriving while one is held are dropped, so a slow reader gets at most one line on its next request and
     * nothing accumulates.
     *
     * @param count how many lines before completing, at least 1, or {@link #UNLIMITED}
     * @return the publisher
     */
    Flow.Publisher<ByteBuffer> lines(long count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        return subscriber ->
                new TickSubscription(this, Objects.requireNonNull(subscriber, "subscriber"), count).start();
    }

    ScheduledThreadPoolExecutor executor() {
        return executor;
    }

    Duration interval() {
        return interval;
    }

    Clock clock() {
        return clock;
    }

    /** @return whether the stream may start; false once the ticker is closed */
    boolean register(TickSubscription stream) {
        synchronized (live) {
            return !closed && live.add(stream);
        }
    }

    void unregister(TickSubscription stream) {
        synchronized (live) {
            live.remove(stream);
        }
    }

    /** @return the number of streams started and not yet ended */
    int liveStreams() {
        synchronized (live) {
            return live.size();
        }
    }

    /**
     * Ends every live stream (an unlimited one completes, a counted one fails, since it is cut short) and stops the
     * timer thread. Streams subscribed afterwards fail at once.
     */
    @Override
    public void close() {
        List<TickSubscription> streams;
        synchronized (live) {
            closed = true;
            streams = new ArrayList<>(live);
        }
        streams.forEach(TickSubscription::stop);
        // not shutdownNow(): a tick thread may be inside a subscriber's onNext, which an interrupt could break;
        // the policies set in the constructor drop every queued task
        executor.shutdown();
    }
}

package dev.plinth.accesslog;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock for tests: set and advanced by hand. It can also hold the thread that next reads it, to stand for a writer
 * stuck on a slow disk: {@link #holdNextReader} makes the next {@link #millis} call wait until {@link #release}.
 */
final class TestClock extends Clock {

    private final AtomicLong millis;
    private volatile CountDownLatch held;
    private volatile CountDownLatch release;

    TestClock(Instant start) {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    void set(Instant now) {
        millis.set(now.toEpochMilli());
    }

    void advance(long byMillis) {
        millis.addAndGet(byMillis);
    }

    /** @return the time, without ever holding the caller */
    long peek() {
        return millis.get();
    }

    /** @return a latch counted down once a thread is held in {@link #millis} */
    CountDownLatch holdNextReader() {
        held = new CountDownLatch(1);
        release = new CountDownLatch(1);
        return held;
    }

    void release() {
        release.countDown();
    }

    @Override
    public long millis() {
        CountDownLatch gate = release;
        CountDownLatch entered = held;
        if (gate != null && entered != null && entered.getCount() > 0) {
            entered.countDown();
            try {
                if (!gate.await(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the clock");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}

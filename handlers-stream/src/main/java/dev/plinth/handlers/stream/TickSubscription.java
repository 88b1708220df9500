package dev.plinth.handlers.stream;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One subscriber's clock stream.
 *
 * <p>Every event (a tick, a request, a cancel, a stop) only records itself and calls {@link #drain()}; whichever
 * thread finds the work counter at zero signals the subscriber, the others leave their work to it. Signals are
 * therefore serial and never re-entrant (Reactive Streams 1.3, 3.3), a line is sent only against demand (1.1), a
 * terminal signal is sent once and nothing after it (1.7), and {@code request(n <= 0)} fails the stream with
 * {@link IllegalArgumentException} (3.9). The start holds the counter while calling {@code onSubscribe}, so nothing
 * reaches the subscriber before {@code onSubscribe} has returned.
 */
final class TickSubscription implements Flow.Subscription {

    private static final System.Logger LOG = System.getLogger(TickSubscription.class.getName());

    private final Ticker ticker;
    private final long count;
    private final AtomicInteger work = new AtomicInteger(1); // held by start() until its first drain
    private final AtomicLong demand = new AtomicLong();
    private final AtomicLong fired = new AtomicLong();
    private volatile boolean tickHeld;
    private volatile boolean cancelled;
    private volatile boolean stopping;
    private volatile Throwable failure;
    private volatile ScheduledFuture<?> timer;
    private volatile boolean done;

    // only touched by the thread that holds the work counter
    private Flow.Subscriber<? super ByteBuffer> subscriber;
    private long sent;

    TickSubscription(Ticker ticker, Flow.Subscriber<? super ByteBuffer> subscriber, long count) {
        this.ticker = ticker;
        this.subscriber = subscriber;
        this.count = count;
    }

    /** Calls {@code onSubscribe}, then starts the timer, whose first tick comes at once. */
    void start() {
        try {
            subscriber.onSubscribe(this);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "subscriber failed in onSubscribe; stream cancelled", e);
            cancelled = true;
        }
        if (!cancelled) {
            if (!ticker.register(this)) {
                fail(new IllegalStateException("clock handler stopped"));
            } else {
                try {
                    long nanos = ticker.interval().toNanos();
                    timer = ticker.executor().scheduleAtFixedRate(this::tick, 0, nanos, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    fail(new IllegalStateException("clock handler stopped", e));
                }
            }
        }
        drainLoop();
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            fail(new IllegalArgumentException("Reactive Streams rule 3.9: request(" + n + ")"));
        } else {
            demand.getAndUpdate(d -> d + n < 0 ? Long.MAX_VALUE : d + n);
        }
        drain();
    }

    @Override
    public void cancel() {
        cancelled = true;
        drain();
    }

    /** Ends the stream because its ticker closes. */
    void stop() {
        stopping = true;
        drain();
    }

    /** @return how many times the timer has fired for this stream */
    long fired() {
        return fired.get();
    }

    /** @return whether the stream has ended, its timer cancelled */
    boolean done() {
        return done;
    }

    /** @return whether the stream's periodic task exists and is cancelled */
    boolean timerCancelled() {
        ScheduledFuture<?> t = timer;
        return t != null && t.isCancelled();
    }

    private void tick() {
        fired.incrementAndGet();
        tickHeld = true;
        drain();
    }

    private void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
    }

    private void drain() {
        if (work.getAndIncrement() == 0) {
            drainLoop();
        }
    }

    private void drainLoop() {
        int missed = 1;
        do {
            if (!done) {
                step();
            }
            missed = work.addAndGet(-missed);
        } while (missed != 0);
    }

    /** One decision, taken while holding the work counter. */
    private void step() {
        if (cancelled) {
            end();
        } else if (failure != null) {
            Flow.Subscriber<? super ByteBuffer> s = end();
            Throwable cause = failure;
            signal(() -> s.onError(cause));
        } else if (stopping) {
            Flow.Subscriber<? super ByteBuffer> s = end();
            if (count == Ticker.UNLIMITED) {
                signal(s::onComplete);
            } else {
                signal(() -> s.onError(new CancellationException("clock handler stopped after " + sent + " lines")));
            }
        } else if (tickHeld && demand.get() > 0) {
            tickHeld = false;
            demand.getAndUpdate(d -> d == Long.MAX_VALUE ? d : d - 1);
            sent++;
            try {
                subscriber.onNext(line(sent));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "subscriber failed in onNext; stream cancelled (rule 2.13)", e);
                end();
                return;
            }
            if (sent == count) {
                Flow.Subscriber<? super ByteBuffer> s = end();
                signal(s::onComplete);
            }
        }
    }

    /** Marks the stream done, stops its timer and forgets the subscriber (rule 3.13). */
    private Flow.Subscriber<? super ByteBuffer> end() {
        ScheduledFuture<?> t = timer; // set before start() releases the work counter
        if (t != null) {
            t.cancel(false);
        }
        ticker.unregister(this);
        Flow.Subscriber<? super ByteBuffer> s = subscriber;
        subscriber = null;
        done = true; // last, so that whoever sees it sees the rest
        return s;
    }

    private static void signal(Runnable terminal) {
        try {
            terminal.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "subscriber failed in a terminal signal", e);
        }
    }

    private ByteBuffer line(long number) {
        Instant now = Instant.now(ticker.clock()).truncatedTo(ChronoUnit.SECONDS);
        return ByteBuffer.wrap((now + " tick " + number + "\n").getBytes(StandardCharsets.US_ASCII));
    }
}

package dev.plinth.handlers.stream.channels;

import dev.plinth.channels.Channel;
import dev.plinth.channels.CloseReason;
import dev.plinth.channels.Message;
import dev.plinth.channels.Subscriber;
import dev.plinth.channels.Subscription;
import dev.plinth.http.handler.Bodies;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client's stream of a channel: a response body (a {@link Flow.Publisher} of parts, for one subscriber, the
 * server) fed by a channel subscription. Each message becomes one part the moment it arrives, never batched.
 *
 * <p>Back-pressure: the server's demand for parts is passed on to the channel, less the parts already waiting here,
 * so at most a few parts wait here (those the channel delivered against demand, one gap, one heartbeat); while the
 * client does not read, the server does not ask, nothing is requested from the channel, and the backlog waits in the
 * channel's subscription queue, bounded by the channel's ceilings and its {@link dev.plinth.channels.OverflowPolicy}.
 *
 * <p>Every event (a part, a request, a cancel, a close, a heartbeat) records itself and calls {@link #drain()};
 * whichever thread finds the work counter at zero signals the server, the others leave their work to it, so the
 * signals are serial, never re-entrant, and sent against demand only (Reactive Streams 1.1, 1.3). The end is a clean
 * {@code onComplete} (the chunked body's last chunk, or the connection's close for HTTP/1.0) once what is waiting has
 * been sent, or after {@link StreamHub#FLUSH_MILLIS} at most, for a client that no longer reads.
 */
final class ChannelStream implements Flow.Publisher<ByteBuffer>, Flow.Subscription, Subscriber {

    private static final System.Logger LOG = System.getLogger(ChannelStream.class.getName());

    private final StreamHub hub;
    private final Channel channel;
    private final String epoch;
    private final long lastSeenId;
    private final StreamFormat format;
    private final String first;

    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final AtomicInteger work = new AtomicInteger(1); // held by subscribe() until its first drain
    private final ConcurrentLinkedQueue<ByteBuffer> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger(); // pending's size
    private final AtomicLong demand = new AtomicLong();
    /** Messages requested from the channel and not received yet. */
    private final AtomicLong credit = new AtomicLong();

    private volatile Subscription upstream;
    private volatile boolean cancelled;
    private volatile Throwable failure;
    /** Why the stream ends, once it is to end. */
    private volatile String ending;
    /** Past this, the parts still waiting are dropped and the stream completes. */
    private volatile long endDeadline;
    /** When a part was last sent, or the stream began. */
    private volatile long lastSent = System.nanoTime();

    private volatile boolean done;

    // only touched by the thread that holds the work counter
    private Flow.Subscriber<? super ByteBuffer> subscriber;

    /**
     * @param hub the handler's live streams and heartbeat
     * @param channel the channel
     * @param lastSeenId where to start, for {@link Channel#subscribe}
     * @param format how parts are written
     * @param first the first part, sent at once
     */
    ChannelStream(StreamHub hub, Channel channel, long lastSeenId, StreamFormat format, String first) {
        this.hub = hub;
        this.channel = channel;
        this.epoch = channel.epoch();
        this.lastSeenId = lastSeenId;
        this.format = format;
        this.first = first;
    }

    /**
     * Starts the stream: {@code onSubscribe}, the first part queued, the channel subscribed. A second subscriber is
     * refused: the stream is one client's.
     */
    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
        if (!subscribed.compareAndSet(false, true)) {
            Bodies.refuse(s, "a channel stream has one subscriber");
            return;
        }
        subscriber = s;
        try {
            s.onSubscribe(this);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "subscriber failed in onSubscribe; stream cancelled", e);
            cancelled = true;
        }
        queue(first);
        if (!cancelled) {
            if (hub.register(this)) {
                upstream = channel.subscribe(lastSeenId, this);
            } else {
                end("HANDLER_STOPPING");
            }
        }
        drainLoop();
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            failure = new IllegalArgumentException("Reactive Streams rule 3.9: request(" + n + ")");
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

    // the channel's callbacks: serial, on a delivery thread

    @Override
    public void message(Message message) {
        credit.decrementAndGet();
        offer(format.message(epoch, message));
    }

    @Override
    public void gap(long fromId, long toId) {
        offer(format.gap(epoch, fromId, toId));
    }

    @Override
    public void closed(CloseReason reason) {
        end(reason.name());
    }

    /** The handler stops: the stream ends once what waits is sent, within {@link StreamHub#FLUSH_MILLIS}. */
    void stop() {
        end("HANDLER_STOPPING");
    }

    /**
     * Called by the hub's timer: queues a heartbeat if nothing was sent for {@code idleNanos} and nothing waits, and
     * ends a stream whose end is overdue.
     *
     * @param now {@link System#nanoTime()}
     * @param idleNanos the heartbeat interval
     */
    void tick(long now, long idleNanos) {
        if (ending != null) {
            if (now - endDeadline >= 0) {
                drain();
            }
        } else if (waiting.get() == 0 && now - lastSent >= idleNanos) {
            lastSent = now; // one heartbeat per idle interval, even if the client does not read it
            offer(format.heartbeat());
        }
    }

    /** @return whether the stream has ended */
    boolean done() {
        return done;
    }

    private void end(String reason) {
        synchronized (this) {
            if (ending == null) {
                queue(format.end(reason));
                endDeadline = System.nanoTime() + StreamHub.FLUSH_MILLIS * 1_000_000L;
                ending = reason;
            }
        }
        drain();
    }

    /** Queues a part unless the stream is ending: nothing may follow the end's part. */
    private void offer(String part) {
        synchronized (this) {
            if (ending == null) {
                queue(part);
            }
        }
        drain();
    }

    private void queue(String part) {
        pending.add(ByteBuffer.wrap(part.getBytes(StandardCharsets.UTF_8)));
        waiting.incrementAndGet();
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

    /** Sends what demand allows, ends the stream when it is time, and asks the channel for what demand is left. */
    private void step() {
        if (cancelled) {
            finish();
            return;
        }
        if (failure != null) {
            Flow.Subscriber<? super ByteBuffer> s = finish();
            Throwable cause = failure;
            signal(() -> s.onError(cause));
            return;
        }
        while (demand.get() > 0 && !cancelled) {
            ByteBuffer part = pending.poll();
            if (part == null) {
                break;
            }
            waiting.decrementAndGet();
            demand.getAndUpdate(d -> d == Long.MAX_VALUE ? d : d - 1);
            lastSent = System.nanoTime();
            try {
                subscriber.onNext(part);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "subscriber failed in onNext; stream cancelled (rule 2.13)", e);
                finish();
                return;
            }
        }
        if (cancelled) {
            finish();
            return;
        }
        String reason = ending;
        if (reason != null) {
            if (pending.isEmpty() || System.nanoTime() - endDeadline >= 0) {
                Flow.Subscriber<? super ByteBuffer> s = finish();
                signal(s::onComplete);
            }
            return;
        }
        Subscription up = upstream;
        long want = demand.get() - credit.get() - waiting.get();
        if (up != null && want > 0) {
            credit.addAndGet(want);
            up.request(want);
        }
    }

    /** Marks the stream done, lets go of the channel and forgets the subscriber (rule 3.13). */
    private Flow.Subscriber<? super ByteBuffer> finish() {
        Subscription up = upstream;
        if (up != null) {
            up.cancel();
        }
        hub.unregister(this);
        pending.clear();
        waiting.set(0);
        Flow.Subscriber<? super ByteBuffer> s = subscriber;
        subscriber = null;
        done = true;
        return s;
    }

    private static void signal(Runnable terminal) {
        try {
            terminal.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "subscriber failed in a terminal signal", e);
        }
    }
}

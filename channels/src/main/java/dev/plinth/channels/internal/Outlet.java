package dev.plinth.channels.internal;

import dev.plinth.channels.ChannelSettings;
import dev.plinth.channels.CloseReason;
import dev.plinth.channels.Message;
import dev.plinth.channels.OverflowPolicy;
import dev.plinth.channels.Subscriber;
import dev.plinth.channels.Subscription;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One subscription: a queue of messages published and not yet delivered, bounded by the channel's ceilings; the
 * demand the subscriber has granted; and a drain task that delivers, one callback at a time, on the channel's
 * executor. At most one drain task exists at a time ({@link #draining}), which makes the callbacks serial.
 */
final class Outlet implements Subscription {

    /** What {@link #offer} asks of the channel. */
    enum Offer {
        /** Nothing. */
        QUEUED,
        /** Call {@link #schedule()} once the channel's lock is released. */
        WAKE,
        /** Forget this outlet, then call {@link #schedule()}: it is closing as a slow consumer. */
        DISCONNECTED
    }

    /** Deliveries by one drain task before it gives its thread back to the executor. */
    static final int BATCH = 64;

    private static final System.Logger LOG = System.getLogger(Outlet.class.getName());

    private final ChannelCore channel;
    private final Subscriber subscriber;
    private final Executor executor;

    // guarded by this
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private long queuedBytes;
    private long demand;
    private long gapFrom = -1;
    private long gapTo = -1;
    private CloseReason closing;
    private boolean draining;
    private volatile boolean done;

    Outlet(ChannelCore channel, Subscriber subscriber, Executor executor) {
        this.channel = channel;
        this.subscriber = subscriber;
        this.executor = executor;
    }

    @Override
    public void request(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("request at least 1 message: " + n);
        }
        synchronized (this) {
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        }
        schedule();
    }

    @Override
    public void cancel() {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            discard();
        }
        channel.forget(this);
    }

    /**
     * Queues a live message; called under the channel's lock, in id order.
     *
     * @param message the message
     * @param settings the channel's settings now
     * @return what the channel must do once its lock is released
     */
    synchronized Offer offer(Message message, ChannelSettings settings) {
        if (done || closing != null) {
            return Offer.QUEUED;
        }
        add(message);
        if (over(settings)) {
            if (settings.policy() == OverflowPolicy.DISCONNECT) {
                discard();
                closing = CloseReason.SLOW_CONSUMER;
                return Offer.DISCONNECTED;
            }
            dropOldest(settings);
        }
        return demand > 0 && !draining ? Offer.WAKE : Offer.QUEUED;
    }

    /**
     * Queues a retained message when subscribing; called under the channel's lock, in id order. Whatever the policy,
     * a replay that passes the byte ceiling drops its oldest messages (told as a gap).
     *
     * @param message the message
     * @param settings the channel's settings now
     */
    synchronized void replay(Message message, ChannelSettings settings) {
        add(message);
        dropOldest(settings);
    }

    /**
     * Records messages this subscriber missed before its first one; called under the channel's lock when subscribing.
     *
     * @param from the first id missed
     * @param to the last id missed
     */
    synchronized void missed(long from, long to) {
        gapFrom = from;
        gapTo = to;
    }

    /**
     * Ends the subscription: the messages already requested are delivered, the others discarded, then
     * {@link Subscriber#closed}.
     *
     * @param reason told to the subscriber
     */
    void close(CloseReason reason) {
        synchronized (this) {
            if (done || closing != null) {
                return;
            }
            closing = reason;
            while (queue.size() > demand) {
                queuedBytes -= queue.removeLast().size();
            }
        }
        schedule();
    }

    /** Starts a drain task if there is something to deliver and none runs. */
    void schedule() {
        synchronized (this) {
            if (draining || done || !(closing != null || (demand > 0 && !queue.isEmpty()))) {
                return;
            }
            draining = true;
        }
        if (!submit()) {
            drain(); // the executor has stopped: deliver here (no lock is held by any caller of schedule)
        }
    }

    /** @return the messages in the queue now */
    synchronized int queuedMessages() {
        return queue.size();
    }

    /** @return their bytes */
    synchronized long queuedBytes() {
        return queuedBytes;
    }

    private boolean submit() {
        try {
            executor.execute(this::drain);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void drain() {
        int delivered = 0;
        while (true) {
            if (delivered == BATCH) {
                if (submit()) {
                    return; // draining stays true: the new task carries on
                }
                delivered = 0;
            }
            Message message = null;
            long from;
            long to;
            CloseReason reason = null;
            synchronized (this) {
                if (done) {
                    draining = false;
                    return;
                }
                from = gapFrom;
                to = gapTo;
                if (demand > 0 && !queue.isEmpty()) {
                    message = queue.removeFirst();
                    queuedBytes -= message.size();
                    if (demand != Long.MAX_VALUE) {
                        demand--;
                    }
                    gapFrom = -1;
                    gapTo = -1;
                } else if (closing != null) {
                    reason = closing;
                    done = true;
                    from = -1;
                    discard();
                } else {
                    draining = false;
                    return;
                }
            }
            try {
                if (from > 0) {
                    subscriber.gap(from, to);
                }
                if (message != null && !done) {
                    subscriber.message(message);
                    delivered++;
                }
                if (reason != null) {
                    subscriber.closed(reason);
                    return;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a subscriber of channel " + channel.name() + " failed; it is cancelled", e);
                cancel();
                if (reason != null) {
                    return;
                }
            }
        }
    }

    private void add(Message message) {
        queue.addLast(message);
        queuedBytes += message.size();
    }

    private boolean over(ChannelSettings settings) {
        return queue.size() > settings.ceilingMessages() || (queuedBytes > settings.ceilingBytes() && queue.size() > 1);
    }

    private void dropOldest(ChannelSettings settings) {
        int dropped = 0;
        while (over(settings)) {
            Message oldest = queue.removeFirst();
            queuedBytes -= oldest.size();
            if (gapFrom < 0) {
                gapFrom = oldest.id();
            }
            gapTo = oldest.id();
            dropped++;
        }
        channel.countDropped(dropped);
    }

    private void discard() {
        queue.clear();
        queuedBytes = 0;
    }
}

package dev.plinth.channels.internal;

import dev.plinth.channels.Channel;
import dev.plinth.channels.ChannelSettings;
import dev.plinth.channels.ChannelStats;
import dev.plinth.channels.CloseReason;
import dev.plinth.channels.Message;
import dev.plinth.channels.Subscriber;
import dev.plinth.channels.Subscription;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One channel. Its lock orders publishers: under it a message gets its id, enters the replay buffer and every
 * subscriber's queue, so that each subscriber's queue holds ids in order; subscribing fills the new queue from the
 * replay buffer under the same lock, so that nothing is lost or repeated between replay and live messages. Delivery
 * happens after the lock is released, on the executor.
 */
final class ChannelCore implements Channel {

    private static final Outlet[] NONE = new Outlet[0];

    /** Draws the channels' epochs: unpredictable, so that no restart can repeat one by design. */
    private static final SecureRandom EPOCHS = new SecureRandom();

    private final String name;
    private final String epoch = Long.toUnsignedString(EPOCHS.nextLong(), 36);
    private final Executor executor;
    private final Consumer<ChannelCore> onClose;
    private volatile ChannelSettings settings;

    private final Object lock = new Object();
    // guarded by lock
    private final ArrayDeque<Message> retained = new ArrayDeque<>();
    private Outlet[] outlets = NONE;
    private long lastId;
    private long published;
    private long dropped;
    private long disconnected;
    private CloseReason closed;

    /**
     * @param name the channel's name
     * @param settings its settings
     * @param executor runs the subscribers' deliveries
     * @param onClose told once when the channel closes
     */
    ChannelCore(String name, ChannelSettings settings, Executor executor, Consumer<ChannelCore> onClose) {
        this.name = name;
        this.settings = settings;
        this.executor = executor;
        this.onClose = onClose;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public ChannelSettings settings() {
        return settings;
    }

    /**
     * Changes the settings: the replay buffer shrinks at once; queues meet new ceilings at their next message.
     *
     * @param changed the new settings
     */
    void settings(ChannelSettings changed) {
        synchronized (lock) {
            settings = Objects.requireNonNull(changed);
            trim(changed);
        }
    }

    @Override
    public Message publish(String event, String data) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(data, "data");
        Message message;
        Outlet[] wake = null;
        int woken = 0;
        synchronized (lock) {
            if (closed != null) {
                throw new IllegalStateException("channel " + name + " is closed");
            }
            ChannelSettings now = settings;
            message = new Message(++lastId, event, data, Instant.now());
            published++;
            retained.addLast(message);
            trim(now);
            Outlet[] all = outlets;
            Outlet[] kept = null;
            int k = 0;
            for (int i = 0; i < all.length; i++) {
                Outlet.Offer offer = all[i].offer(message, now);
                if (offer != Outlet.Offer.QUEUED) {
                    if (wake == null) {
                        wake = new Outlet[all.length];
                    }
                    wake[woken++] = all[i];
                }
                if (offer == Outlet.Offer.DISCONNECTED) {
                    if (kept == null) {
                        kept = Arrays.copyOf(all, all.length); // the first i are kept
                        k = i;
                    }
                    disconnected++;
                } else if (kept != null) {
                    kept[k++] = all[i];
                }
            }
            if (kept != null) {
                outlets = Arrays.copyOf(kept, k);
            }
        }
        for (int i = 0; i < woken; i++) {
            wake[i].schedule();
        }
        return message;
    }

    @Override
    public Subscription subscribe(long lastSeenId, Subscriber subscriber) {
        if (lastSeenId < LIVE) {
            throw new IllegalArgumentException("lastSeenId must be at least " + LIVE + ": " + lastSeenId);
        }
        Objects.requireNonNull(subscriber, "subscriber");
        Outlet outlet = new Outlet(this, subscriber, executor);
        CloseReason already;
        synchronized (lock) {
            already = closed;
            if (already == null) {
                if (lastSeenId != LIVE && lastSeenId < lastId) {
                    ChannelSettings now = settings;
                    long first = retained.isEmpty()
                            ? lastId + 1
                            : retained.peekFirst().id();
                    if (lastSeenId + 1 < first) {
                        outlet.missed(lastSeenId + 1, first - 1);
                    }
                    for (Message message : retained) {
                        if (message.id() > lastSeenId) {
                            outlet.replay(message, now);
                        }
                    }
                }
                Outlet[] more = Arrays.copyOf(outlets, outlets.length + 1);
                more[outlets.length] = outlet;
                outlets = more;
            }
        }
        if (already != null) {
            outlet.close(already);
        }
        return outlet;
    }

    @Override
    public ChannelStats stats() {
        synchronized (lock) {
            long messages = 0;
            long bytes = 0;
            for (Outlet outlet : outlets) {
                messages += outlet.queuedMessages();
                bytes += outlet.queuedBytes();
            }
            return new ChannelStats(outlets.length, published, dropped, disconnected, retained.size(), messages, bytes);
        }
    }

    @Override
    public void close() {
        close(CloseReason.CHANNEL_CLOSED);
    }

    /**
     * Closes the channel, telling every subscriber why.
     *
     * @param reason told to every subscriber
     */
    void close(CloseReason reason) {
        Outlet[] all;
        synchronized (lock) {
            if (closed != null) {
                return;
            }
            closed = reason;
            all = outlets;
            outlets = NONE;
            retained.clear();
        }
        onClose.accept(this);
        for (Outlet outlet : all) {
            outlet.close(reason);
        }
    }

    /**
     * Forgets a cancelled outlet.
     *
     * @param outlet the outlet
     */
    void forget(Outlet outlet) {
        synchronized (lock) {
            Outlet[] all = outlets;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == outlet) {
                    Outlet[] fewer = new Outlet[all.length - 1];
                    System.arraycopy(all, 0, fewer, 0, i);
                    System.arraycopy(all, i + 1, fewer, i, all.length - i - 1);
                    outlets = fewer;
                    return;
                }
            }
        }
    }

    /**
     * Counts messages dropped from a queue; called by an outlet under this channel's lock.
     *
     * @param count how many
     */
    void countDropped(int count) {
        dropped += count;
    }

    private void trim(ChannelSettings now) {
        while (retained.size() > now.replay()) {
            retained.removeFirst();
        }
    }
}

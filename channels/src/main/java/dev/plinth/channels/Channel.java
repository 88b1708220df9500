package dev.plinth.channels;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A named broadcast channel: every message published reaches every subscriber open at that moment, in the order of
 * its ids, unless that subscriber's queue overflows (see {@link OverflowPolicy}). Thread-safe.
 *
 * <p>The channel retains its latest {@link ChannelSettings#replay()} messages, so that a subscriber that resumes
 * ({@link #subscribe(long, Subscriber)} with the last id it saw) first receives what it missed.
 */
@ProviderType
public interface Channel {

    /** The {@code lastSeenId} that means: live messages only, no replay. */
    long LIVE = -1;

    /** @return the channel's name */
    String name();

    /**
     * Identifies this channel instance among every channel of the same name, before and after it, also across
     * restarts of the service or the process: message ids start again at 1 in a new channel, so an id means
     * something only together with its channel's epoch (an SSE stream sends both, as {@code <epoch>-<id>}).
     *
     * @return 1 to 13 characters among {@code 0-9 a-z}, fixed for the channel's life; two channels share one only by
     *     a chance of about one in 2<sup>64</sup>
     * @since 1.1
     */
    String epoch();

    /**
     * Publishes a message to every subscriber open now and to the replay buffer. Never waits for a subscriber: each
     * subscriber's message is queued (applying the overflow policy) and delivered later on a delivery thread; the
     * work done here is proportional to the number of subscribers. Concurrent publishers are ordered by a short lock:
     * the ids follow that order, and every subscriber receives the messages in that order.
     *
     * @param event the kind of message, empty for none
     * @param data the message's text
     * @return the message, with its id
     * @throws IllegalStateException if the channel is closed
     */
    Message publish(String event, String data);

    /**
     * Subscribes. The subscriber first receives the retained messages with an id greater than {@code lastSeenId}
     * (preceded by one {@link Subscriber#gap} if some after {@code lastSeenId} are no longer retained), then every
     * message published afterwards, without loss or duplicate between the two. Nothing is delivered before the
     * subscriber {@linkplain Subscription#request(long) requests} it. On a closed channel the subscriber is told
     * {@link Subscriber#closed} at once.
     *
     * @param lastSeenId the id of the last message the subscriber saw, {@code 0} for all retained ones, or
     *     {@link #LIVE} for live messages only
     * @param subscriber receives the messages and signals
     * @return the subscription, through which the subscriber requests messages or cancels
     * @throws IllegalArgumentException if {@code lastSeenId} is less than {@link #LIVE}
     */
    Subscription subscribe(long lastSeenId, Subscriber subscriber);

    /** @return the channel's settings now */
    ChannelSettings settings();

    /** @return the channel's counts now */
    ChannelStats stats();

    /**
     * Closes the channel: every subscription receives the messages it had already requested, then
     * {@link Subscriber#closed} with {@link CloseReason#CHANNEL_CLOSED}; publishing fails afterwards; the name is
     * free again, and {@link Channels#channel(String)} then creates a new channel whose ids start again at 1.
     */
    void close();
}

package dev.plinth.channels;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A subscriber's link to a channel. Messages wait in the subscription's queue, bounded by the channel's ceilings,
 * until the subscriber requests them. Thread-safe; may be called from within the subscriber's callbacks.
 */
@ProviderType
public interface Subscription {

    /**
     * Allows {@code n} more messages to be delivered (added to the demand not yet used; {@link Long#MAX_VALUE} means
     * no limit).
     *
     * @param n at least 1
     * @throws IllegalArgumentException if {@code n} is less than 1
     */
    void request(long n);

    /** Ends the subscription: the subscriber receives nothing more (not even {@link Subscriber#closed}). */
    void cancel();
}

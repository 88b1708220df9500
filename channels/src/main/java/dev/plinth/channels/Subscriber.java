package dev.plinth.channels;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives a channel's messages and signals.
 *
 * <p>Threading: the callbacks for one subscriber are called one at a time, never concurrently, each finishing before
 * the next begins (with a happens-before edge between them), on a delivery thread of the channel service, never on
 * the publisher's thread. A callback may call {@link Subscription#request}, {@link Subscription#cancel} and
 * {@link Channel#publish} (on any channel). A callback must return quickly and never block: while it runs, it holds
 * one of the few delivery threads that all subscribers share (subscribers take turns, a batch of deliveries at a
 * time, so a slow callback delays the others). A callback that throws cancels its subscription.
 *
 * <p>Order: {@link #gap} and {@link #message} as ids increase, then at most one {@link #closed}, after which
 * nothing. After {@link Subscription#cancel()}, nothing more is called, except a callback already under way.
 */
@ConsumerType
public interface Subscriber {

    /**
     * One message, requested earlier through {@link Subscription#request}.
     *
     * @param message the message
     */
    void message(Message message);

    /**
     * Messages this subscriber will never receive: dropped from its queue by {@link OverflowPolicy#DROP_OLDEST}, or
     * no longer retained when it resumed. Called just before the next message it receives, whose id is
     * {@code toId + 1}; it takes no demand.
     *
     * @param fromId the first id missed
     * @param toId the last id missed, at least {@code fromId}
     */
    void gap(long fromId, long toId);

    /**
     * The subscription has ended; nothing follows.
     *
     * @param reason why
     */
    void closed(CloseReason reason);
}

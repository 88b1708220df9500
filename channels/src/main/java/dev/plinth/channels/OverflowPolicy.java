package dev.plinth.channels;

/** What a channel does when a subscriber's queue passes its ceiling. */
public enum OverflowPolicy {
    /**
     * The oldest queued messages are dropped until the queue is within its ceiling; the subscriber then receives one
     * {@link Subscriber#gap} naming every dropped id before the next message it receives.
     */
    DROP_OLDEST,
    /** The subscription is closed with {@link CloseReason#SLOW_CONSUMER}; its queue is discarded. */
    DISCONNECT
}

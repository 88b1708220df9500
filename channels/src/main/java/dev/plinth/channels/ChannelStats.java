package dev.plinth.channels;

/**
 * A channel's counts at one moment.
 *
 * @param subscribers subscriptions open now
 * @param published messages published since the channel was created
 * @param dropped messages dropped from subscribers' queues under {@link OverflowPolicy#DROP_OLDEST} (one per
 *     message per subscriber)
 * @param disconnected subscriptions closed with {@link CloseReason#SLOW_CONSUMER}
 * @param retained messages retained for replay now
 * @param queuedMessages messages waiting in the open subscriptions' queues now, all together
 * @param queuedBytes their bytes ({@link Message#size()}), all together
 */
public record ChannelStats(
        int subscribers,
        long published,
        long dropped,
        long disconnected,
        int retained,
        long queuedMessages,
        long queuedBytes) {}

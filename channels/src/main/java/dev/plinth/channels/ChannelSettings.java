package dev.plinth.channels;

import java.util.Objects;

/**
 * A channel's limits.
 *
 * <table>
 * <caption>Defaults ({@link #DEFAULTS})</caption>
 * <tr><th>setting</th><th>default</th></tr>
 * <tr><td>{@code replay}</td><td>{@value #DEFAULT_REPLAY} messages</td></tr>
 * <tr><td>{@code ceilingMessages}</td><td>{@value #DEFAULT_CEILING_MESSAGES} messages</td></tr>
 * <tr><td>{@code ceilingBytes}</td><td>{@value #DEFAULT_CEILING_BYTES} (1 MiB, by {@link Message#size()})</td></tr>
 * <tr><td>{@code policy}</td><td>{@link OverflowPolicy#DROP_OLDEST}</td></tr>
 * </table>
 *
 * @param replay how many of its latest messages the channel retains for subscribers that resume; 0 for none; at
 *     most {@code ceilingMessages}
 * @param ceilingMessages the most messages a subscriber's queue holds (published, not yet delivered); at least 1
 * @param ceilingBytes the most bytes ({@link Message#size()}) a subscriber's queue holds, at least 1; its newest
 *     message is always kept, so a queue holds at most this plus one message
 * @param policy what happens to a subscriber whose queue passes a ceiling
 */
public record ChannelSettings(int replay, int ceilingMessages, long ceilingBytes, OverflowPolicy policy) {

    /** The default of {@link #replay()}. */
    public static final int DEFAULT_REPLAY = 100;

    /** The default of {@link #ceilingMessages()}. */
    public static final int DEFAULT_CEILING_MESSAGES = 1000;

    /** The default of {@link #ceilingBytes()}. */
    public static final long DEFAULT_CEILING_BYTES = 1L << 20;

    /** The settings of a channel that has no configuration. */
    public static final ChannelSettings DEFAULTS = new ChannelSettings(
            DEFAULT_REPLAY, DEFAULT_CEILING_MESSAGES, DEFAULT_CEILING_BYTES, OverflowPolicy.DROP_OLDEST);

    /**
     * @param replay 0 to {@code ceilingMessages}
     * @param ceilingMessages at least 1
     * @param ceilingBytes at least 1
     * @param policy not null
     */
    public ChannelSettings {
        if (ceilingMessages < 1) {
            throw new IllegalArgumentException("ceilingMessages must be at least 1: " + ceilingMessages);
        }
        if (ceilingBytes < 1) {
            throw new IllegalArgumentException("ceilingBytes must be at least 1: " + ceilingBytes);
        }
        if (replay < 0 || replay > ceilingMessages) {
            throw new IllegalArgumentException("replay must be within 0.." + ceilingMessages + ": " + replay);
        }
        Objects.requireNonNull(policy, "policy");
    }
}

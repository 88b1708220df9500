package dev.plinth.channels;

/** Why a subscription ended, as told to {@link Subscriber#closed}. */
public enum CloseReason {
    /** Its queue passed the ceiling of a channel whose policy is {@link OverflowPolicy#DISCONNECT}. */
    SLOW_CONSUMER,
    /** The channel was closed ({@link Channel#close()}). */
    CHANNEL_CLOSED,
    /** The {@link Channels} service is stopping (the bundle stops, or the server stops or drains). */
    SERVER_STOPPING
}

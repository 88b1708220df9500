package dev.plinth.http.core;

import dev.plinth.http.parser.ParserConfig;

/**
 * How connections behave. Immutable.
 *
 * @param parser limits and compliance of request parsing
 * @param serverName the {@code Server} field value, or empty to send none
 * @param outboundCeiling bytes queued for a connection beyond which the core stops pulling handler output
 * @param drainLimit the most bytes of an unread request body skipped to keep a connection open; beyond, it closes
 * @param timeouts how long the connection waits for the client and for handlers
 * @param inlineThresholdMillis how long a {@linkplain dev.plinth.http.handler.Handler#NONBLOCKING non-blocking}
 *        handler may hold the I/O thread in one call before it is reported and counted as blocking it; 0 runs
 *        every handler on workers
 * @param strictTransportSecurity the {@code Strict-Transport-Security} value (RFC 6797) sent with every response over
 *        TLS, such as {@code max-age=31536000}; empty to send none. Never sent over plain HTTP, where browsers
 *        ignore it.
 * @param compression whether and how response bodies are compressed on the fly; {@link Compression#OFF} for never
 */
public record CoreConfig(
        ParserConfig parser,
        String serverName,
        int outboundCeiling,
        long drainLimit,
        Timeouts timeouts,
        long inlineThresholdMillis,
        String strictTransportSecurity,
        Compression compression) {

    // The defaults, named once: the listener's configuration (metatype) and README.md's table follow these.

    /** The default {@link #serverName}. */
    public static final String DEFAULT_SERVER_NAME = "Plinth";
    /** The default {@link #outboundCeiling}: 64 KiB. */
    public static final int DEFAULT_OUTBOUND_CEILING = 65536;
    /** The default {@link #drainLimit}: 64 KiB. */
    public static final long DEFAULT_DRAIN_LIMIT = 65536;
    /** The default blocked-loop threshold: 20 ms, as long as a slow disk read, far beyond a prompt answer. */
    public static final long DEFAULT_INLINE_THRESHOLD_MILLIS = 20;

    /** Default parser limits, {@code Server: Plinth}, 64 KiB ceiling and drain limit, default timeouts, 20 ms. */
    public static final CoreConfig DEFAULT = new CoreConfig(
            ParserConfig.DEFAULT, DEFAULT_SERVER_NAME, DEFAULT_OUTBOUND_CEILING, DEFAULT_DRAIN_LIMIT, Timeouts.DEFAULT);

    /**
     * Settings that compress nothing.
     *
     * @param parser limits and compliance of request parsing
     * @param serverName the {@code Server} field value, or empty to send none
     * @param outboundCeiling bytes queued for a connection beyond which the core stops pulling handler output
     * @param drainLimit the most bytes of an unread request body skipped to keep a connection open
     * @param timeouts how long the connection waits for the client and for handlers
     * @param inlineThresholdMillis the blocked-loop threshold; 0 runs every handler on workers
     * @param strictTransportSecurity the {@code Strict-Transport-Security} value sent over TLS; empty for none
     */
    public CoreConfig(
            ParserConfig parser,
            String serverName,
            int outboundCeiling,
            long drainLimit,
            Timeouts timeouts,
            long inlineThresholdMillis,
            String strictTransportSecurity) {
        this(
                parser,
                serverName,
                outboundCeiling,
                drainLimit,
                timeouts,
                inlineThresholdMillis,
                strictTransportSecurity,
                Compression.OFF);
    }

    /**
     * Settings that send no {@code Strict-Transport-Security}.
     *
     * @param parser limits and compliance of request parsing
     * @param serverName the {@code Server} field value, or empty to send none
     * @param outboundCeiling bytes queued for a connection beyond which the core stops pulling handler output
     * @param drainLimit the most bytes of an unread request body skipped to keep a connection open
     * @param timeouts how long the connection waits for the client and for handlers
     * @param inlineThresholdMillis the blocked-loop threshold; 0 runs every handler on workers
     */
    public CoreConfig(
            ParserConfig parser,
            String serverName,
            int outboundCeiling,
            long drainLimit,
            Timeouts timeouts,
            long inlineThresholdMillis) {
        this(parser, serverName, outboundCeiling, drainLimit, timeouts, inlineThresholdMillis, "");
    }

    /**
     * Settings with the default blocked-loop threshold.
     *
     * @param parser limits and compliance of request parsing
     * @param serverName the {@code Server} field value, or empty to send none
     * @param outboundCeiling bytes queued for a connection beyond which the core stops pulling handler output
     * @param drainLimit the most bytes of an unread request body skipped to keep a connection open
     * @param timeouts how long the connection waits for the client and for handlers
     */
    public CoreConfig(ParserConfig parser, String serverName, int outboundCeiling, long drainLimit, Timeouts timeouts) {
        this(parser, serverName, outboundCeiling, drainLimit, timeouts, DEFAULT_INLINE_THRESHOLD_MILLIS);
    }

    /** Validates the settings. */
    public CoreConfig {
        if (parser == null
                || serverName == null
                || timeouts == null
                || strictTransportSecurity == null
                || compression == null) {
            throw new IllegalArgumentException(
                    "parser, serverName, timeouts, strictTransportSecurity and compression are required");
        }
        if (!strictTransportSecurity.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("strictTransportSecurity must be printable ASCII");
        }
        if (outboundCeiling < 1 || drainLimit < 0 || inlineThresholdMillis < 0) {
            throw new IllegalArgumentException(
                    "outboundCeiling must be positive, drainLimit and inlineThresholdMillis not negative");
        }
    }

    /**
     * @param ceiling the new outbound ceiling
     * @return a copy with it
     */
    public CoreConfig withOutboundCeiling(int ceiling) {
        return new CoreConfig(
                parser,
                serverName,
                ceiling,
                drainLimit,
                timeouts,
                inlineThresholdMillis,
                strictTransportSecurity,
                compression);
    }

    /**
     * @param newTimeouts the new timeouts
     * @return a copy with them
     */
    public CoreConfig withTimeouts(Timeouts newTimeouts) {
        return new CoreConfig(
                parser,
                serverName,
                outboundCeiling,
                drainLimit,
                newTimeouts,
                inlineThresholdMillis,
                strictTransportSecurity,
                compression);
    }

    /**
     * @param millis the new blocked-loop threshold; 0 runs every handler on workers
     * @return a copy with it
     */
    public CoreConfig withInlineThresholdMillis(long millis) {
        return new CoreConfig(
                parser,
                serverName,
                outboundCeiling,
                drainLimit,
                timeouts,
                millis,
                strictTransportSecurity,
                compression);
    }

    /**
     * @param value the {@code Strict-Transport-Security} value sent over TLS; empty for none
     * @return a copy with it
     * @since 3.2
     */
    public CoreConfig withStrictTransportSecurity(String value) {
        return new CoreConfig(
                parser, serverName, outboundCeiling, drainLimit, timeouts, inlineThresholdMillis, value, compression);
    }

    /**
     * @param settings how response bodies are compressed on the fly; {@link Compression#OFF} for never
     * @return a copy with them
     * @since 3.3
     */
    public CoreConfig withCompression(Compression settings) {
        return new CoreConfig(
                parser,
                serverName,
                outboundCeiling,
                drainLimit,
                timeouts,
                inlineThresholdMillis,
                strictTransportSecurity,
                settings);
    }

    /** @return whether handlers that declare themselves non-blocking run on the I/O thread */
    public boolean runsInline() {
        return inlineThresholdMillis > 0;
    }

    /**
     * How long a connection waits. Each is checked about four times a second, so it is honoured within ~250 ms.
     *
     * @param idleMillis between requests, for the first byte of the next one; then the connection closes quietly
     * @param headerMillis for a whole request head from its first byte: a deadline, not a per-byte timeout, so a
     *        client trickling bytes cannot hold the connection; then 408 and close
     * @param bodyMillis for more request body bytes while the handler wants them; then 408 (or a close)
     * @param handlerMillis for a handler to answer (complete its stage), counted from the request head or from the
     *     last movement of its body (a byte read, more asked for), whichever is later: then 503
     */
    public record Timeouts(long idleMillis, long headerMillis, long bodyMillis, long handlerMillis) {

        /** The default {@link #idleMillis}: 30 s. */
        public static final long DEFAULT_IDLE_MILLIS = 30_000;
        /** The default {@link #headerMillis}: 10 s. */
        public static final long DEFAULT_HEADER_MILLIS = 10_000;
        /** The default {@link #bodyMillis}: 30 s. */
        public static final long DEFAULT_BODY_MILLIS = 30_000;
        /** The default {@link #handlerMillis}: 30 s. */
        public static final long DEFAULT_HANDLER_MILLIS = 30_000;

        /** 30 s idle, 10 s for a head, 30 s of body silence, 30 s for a handler. */
        public static final Timeouts DEFAULT =
                new Timeouts(DEFAULT_IDLE_MILLIS, DEFAULT_HEADER_MILLIS, DEFAULT_BODY_MILLIS, DEFAULT_HANDLER_MILLIS);

        /** Checks every timeout is positive. */
        public Timeouts {
            if (idleMillis < 1 || headerMillis < 1 || bodyMillis < 1 || handlerMillis < 1) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
    }
}

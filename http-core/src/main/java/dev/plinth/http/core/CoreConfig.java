package dev.plinth.http.core;

import dev.plinth.http.parser.ParserConfig;

/**
 * How connections behave. Immutable.
 *
 * @param parser limits and compliance of request parsing
 * @param serverName the {@code Server} field value, or empty to send none
 * @param outboundCeiling bytes queued for a connection beyond which the core stops pulling handler output
 * @param drainLimit the most bytes of an unread request body skipped to keep a connection open; beyond, it closes
 * @param handlerTimeoutMillis how long a handler may take to answer (complete its stage) before the client gets 503
 */
public record CoreConfig(ParserConfig parser, String serverName, int outboundCeiling, long drainLimit,
        long handlerTimeoutMillis) {

    /** Default parser limits, {@code Server: Plinth}, 64 KiB ceiling and drain limit, 30 s handler timeout. */
    public static final CoreConfig DEFAULT = new CoreConfig(ParserConfig.DEFAULT, "Plinth", 65536, 65536, 30_000);

    /** Validates the settings. */
    public CoreConfig {
        if (parser == null || serverName == null) {
            throw new IllegalArgumentException("parser and serverName are required");
        }
        if (outboundCeiling < 1 || drainLimit < 0 || handlerTimeoutMillis < 1) {
            throw new IllegalArgumentException(
                    "outboundCeiling and handlerTimeoutMillis must be positive, drainLimit not negative");
        }
    }
}

package dev.plinth.http.transport.internal;

import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.parser.ParserConfig;
import dev.plinth.http.transport.ServerConfig;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The settings of one listening server, as Config Admin and metatype see them. */
@ObjectClassDefinition(
        name = "Plinth HTTP listener",
        description = "A socket Plinth listens on, and how its connections behave.")
public @interface ListenerConfig {

    /** @return the address to bind */
    @AttributeDefinition(description = "Address to bind: 0.0.0.0 for every interface, 127.0.0.1 for loopback.")
    String host() default "0.0.0.0";

    /** @return the port */
    @AttributeDefinition(description = "TCP port; 0 picks any free port (the Listener service tells which).")
    int port() default 8080;

    /** @return selector threads */
    @AttributeDefinition(description = "Selector threads; 0 means one per core.")
    int selectorThreads() default 0;

    /** @return worker threads */
    @AttributeDefinition(description = "Threads running handler code; 0 means 4 per core, at least 8.")
    int workerThreads() default 0;

    /** @return whether handler code runs on virtual threads */
    @AttributeDefinition(description = "Run handler code on virtual threads (JDK 21 and later).")
    boolean virtualWorkers() default false;

    /** @return the connection limit */
    @AttributeDefinition(
            description = "Bytes a selector thread reads from a socket at once (one buffer shared by its connections); "
                    + "also bounds the pipelined input a connection holds. 1024 to 16777216.")
    int readBufferSize() default ServerConfig.DEFAULT_READ_BUFFER_SIZE;

    @AttributeDefinition(description = "Connections open at once; one more is answered 503 and closed.")
    int maxConnections() default ServerConfig.DEFAULT_MAX_CONNECTIONS;

    /** @return the Server field */
    @AttributeDefinition(description = "The Server response field; empty sends none.", required = false)
    String serverName() default CoreConfig.DEFAULT_SERVER_NAME;

    /** @return the outbound ceiling */
    @AttributeDefinition(description = "Bytes queued per connection beyond which handler output is not pulled.")
    int outboundCeiling() default CoreConfig.DEFAULT_OUTBOUND_CEILING;

    /** @return the drain limit */
    @AttributeDefinition(
            description = "Bytes of an unread request body skipped to keep the connection; beyond, it closes.")
    long drainLimit() default CoreConfig.DEFAULT_DRAIN_LIMIT;

    /** @return the idle timeout */
    @AttributeDefinition(description = "Milliseconds a connection may wait for the next request before it closes.")
    long idleTimeoutMillis() default CoreConfig.Timeouts.DEFAULT_IDLE_MILLIS;

    /** @return the request head deadline */
    @AttributeDefinition(description = "Milliseconds for a whole request head from its first byte; then 408.")
    long headerTimeoutMillis() default CoreConfig.Timeouts.DEFAULT_HEADER_MILLIS;

    /** @return the stalled body timeout */
    @AttributeDefinition(
            description = "Milliseconds without request body bytes while the handler wants them; then 408.")
    long bodyTimeoutMillis() default CoreConfig.Timeouts.DEFAULT_BODY_MILLIS;

    /** @return the stalled write timeout */
    @AttributeDefinition(description = "Milliseconds queued output may wait for the client to take any; then close.")
    long writeTimeoutMillis() default ServerConfig.DEFAULT_WRITE_TIMEOUT_MILLIS;

    /** @return the handler timeout */
    @AttributeDefinition(description = "Milliseconds a handler may take to answer before the client gets 503.")
    long handlerTimeoutMillis() default CoreConfig.Timeouts.DEFAULT_HANDLER_MILLIS;

    /** @return the blocked-loop threshold */
    @AttributeDefinition(
            min = "0",
            description = "Milliseconds a handler declared non-blocking (plinth.handler.nonblocking=true) may hold an "
                    + "I/O thread in one call before it is logged with its stack and counted; after 3 calls caught "
                    + "blocking (not loading classes) it runs on workers. 0 runs every handler on workers.")
    long inlineThresholdMillis() default CoreConfig.DEFAULT_INLINE_THRESHOLD_MILLIS;

    /** @return the grace period */
    @AttributeDefinition(description = "Milliseconds exchanges in flight may take to finish when the listener stops.")
    long stopGraceMillis() default 5000;

    /** @return the request line limit */
    @AttributeDefinition(description = "Longest request line in bytes; longer gets 414.")
    int maxRequestLineLength() default ParserConfig.DEFAULT_MAX_REQUEST_LINE_LENGTH;

    /** @return the header block limit */
    @AttributeDefinition(description = "Largest header block in bytes; larger gets 431.")
    int maxHeaderBlockBytes() default ParserConfig.DEFAULT_MAX_HEADER_BLOCK_BYTES;

    /** @return the field line limit */
    @AttributeDefinition(description = "Longest single header field line in bytes; longer gets 431.")
    int maxFieldLineLength() default ParserConfig.DEFAULT_MAX_FIELD_LINE_LENGTH;

    /** @return the field count limit */
    @AttributeDefinition(description = "Most header fields in a request; more gets 431.")
    int maxHeaderCount() default ParserConfig.DEFAULT_MAX_HEADER_COUNT;

    /** @return the body limit */
    @AttributeDefinition(description = "Largest request body in bytes; larger gets 413.")
    long maxBodyLength() default ParserConfig.DEFAULT_MAX_BODY_LENGTH;

    /** @return the compliance mode, as {@code dev.plinth.http.parser.Compliance.parse} reads it */
    @AttributeDefinition(
            description = "Deviations from RFC 9112 tolerated in requests (else 400): a mode, STRICT (none) or LEGACY "
                    + "(LF_LINE_ENDINGS, OBS_FOLD, MULTIPLE_CONTENT_LENGTHS), then violations to add or remove, "
                    + "such as STRICT,+LF_LINE_ENDINGS or LEGACY,-OBS_FOLD. Violations: LF_LINE_ENDINGS, OBS_FOLD, "
                    + "MULTIPLE_CONTENT_LENGTHS (low risk); LF_CHUNK_LINE_ENDINGS, WHITESPACE_BEFORE_COLON (high "
                    + "risk of request smuggling behind a proxy: only for clients that reach the server directly).")
    String compliance() default ParserConfig.DEFAULT_COMPLIANCE;
}

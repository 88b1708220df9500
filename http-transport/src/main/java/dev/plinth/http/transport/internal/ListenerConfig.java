package dev.plinth.http.transport.internal;

import dev.plinth.http.core.Compression;
import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.parser.ParserConfig;
import dev.plinth.http.transport.ServerConfig;
import dev.plinth.http.transport.TlsConfig;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
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
    @AttributeDefinition(
            description = "Milliseconds a handler may take to answer before the client gets 503, from the request "
                    + "head or from the last movement of the request body it reads.")
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

    /** @return PEM certificate chains */
    @AttributeDefinition(
            required = false,
            description = "TLS: PEM files, each a certificate chain (leaf first), comma-separated; with tlsPrivateKey "
                    + "this listener speaks HTTPS. With several, the client's SNI host name picks one; the first "
                    + "otherwise. A file changed on disk is loaded again for new connections.")
    String[] tlsCertificate() default {};

    /** @return PEM private keys */
    @AttributeDefinition(
            required = false,
            description =
                    "TLS: PEM files, each the unencrypted private key (PKCS#8 or PKCS#1) of the chain at the same "
                            + "place in tlsCertificate.")
    String[] tlsPrivateKey() default {};

    /** @return PKCS#12 key stores */
    @AttributeDefinition(
            required = false,
            description = "TLS: PKCS#12 files, comma-separated; every private key entry in them is served (picked by "
                    + "SNI like tlsCertificate, after them).")
    String[] tlsKeyStore() default {};

    /** @return the key stores' password */
    @AttributeDefinition(
            required = false,
            type = AttributeType.PASSWORD,
            description = "TLS: the password of the tlsKeyStore files and their keys.")
    String tlsKeyStorePassword() default "";

    /** @return the protocol versions */
    @AttributeDefinition(description = "TLS: protocol versions offered, among TLSv1.3 and TLSv1.2, comma-separated.")
    String[] tlsProtocols() default {"TLSv1.3", "TLSv1.2"};

    /** @return the cipher suites */
    @AttributeDefinition(
            required = false,
            description = "TLS: cipher suites offered, JDK names, comma-separated, in order of preference; empty for "
                    + "the default (TLS 1.3's suites, and ECDHE with AES-GCM or ChaCha20-Poly1305 for TLS 1.2).")
    String[] tlsCipherSuites() default {};

    /** @return whether client certificates are asked for */
    @AttributeDefinition(
            description = "TLS: client certificates: none, want (asked for; clients without one are served too) or "
                    + "need (the handshake fails without one that tlsTrustStore verifies).")
    String tlsClientAuth() default "none";

    /** @return the trust store */
    @AttributeDefinition(
            required = false,
            description = "TLS: what client certificates must chain to: a PEM bundle or a PKCS#12 file.")
    String tlsTrustStore() default "";

    /** @return the trust store's password */
    @AttributeDefinition(
            required = false,
            type = AttributeType.PASSWORD,
            description = "TLS: the password of a PKCS#12 tlsTrustStore.")
    String tlsTrustStorePassword() default "";

    /** @return the handshake deadline */
    @AttributeDefinition(
            description = "TLS: milliseconds a client may take from connecting to the end of its handshake; then the "
                    + "connection closes.")
    long tlsHandshakeTimeoutMillis() default TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS;

    /** @return the HSTS max-age */
    @AttributeDefinition(
            description = "TLS: seconds browsers should use only HTTPS for this host (Strict-Transport-Security "
                    + "max-age, sent over HTTPS only); 0 sends none.")
    long hstsMaxAgeSeconds() default 0;

    /** @return whether HSTS covers subdomains */
    @AttributeDefinition(description = "TLS: Strict-Transport-Security also covers subdomains (includeSubDomains).")
    boolean hstsIncludeSubDomains() default false;

    /** @return whether to compress */
    @AttributeDefinition(
            description = "Compress response bodies with gzip for clients that accept it (Accept-Encoding), on the "
                    + "fly. Off by default: compressing pages that mix a secret with what the client sent leaks the "
                    + "secret over TLS (BREACH); a handler service opts out with plinth.handler.compress=false.")
    boolean compression() default false;

    /** @return the Deflater level */
    @AttributeDefinition(description = "Compression level, 1 (fastest) to 9 (smallest).", min = "1", max = "9")
    int compressionLevel() default Compression.DEFAULT_LEVEL;

    /** @return the smallest body compressed */
    @AttributeDefinition(
            description = "Bodies of known length smaller than this many bytes are sent uncompressed.",
            min = "0")
    long compressionMinBytes() default Compression.DEFAULT_MIN_BYTES;

    /** @return the media types compressed */
    @AttributeDefinition(
            description = "Media types compressed: type/subtype, type/*, type/*+suffix or */*+suffix; the "
                    + "response's Content-Type parameters are ignored.")
    String[] compressionTypes() default {
        "text/*",
        "application/json",
        "application/*+json",
        "application/javascript",
        "application/xml",
        "application/*+xml",
        "image/svg+xml",
        "application/wasm"
    };

    /** @return the port to redirect to */
    @AttributeDefinition(
            description = "For a plain listener: answer every request with 308 to the same host, path and query on "
                    + "this HTTPS port; 0 serves handlers as usual.")
    int redirectToHttpsPort() default 0;
}

package dev.plinth.http.transport;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Counters of one listening server since it started, for the console, JMX or tests. Reading is cheap and
 * thread-safe; values are a moment's snapshot, not a consistent set.
 */
@ProviderType
public interface ServerStats {

    /** @return connections open now */
    long connectionsOpen();

    /** @return connections accepted since start, refused ones included */
    long connectionsTotal();

    /** @return connections refused with 503 because {@link ServerConfig#maxConnections()} were open */
    long connectionsRefused();

    /** @return request heads received */
    long requests();

    /** @return bytes read from clients */
    long bytesIn();

    /** @return bytes written to clients, file regions included */
    long bytesOut();

    /** @return rejected requests, 5xx answers, and connections closed mid-response or by a timeout */
    long errors();

    /**
     * @return the most bytes of heap buffers any one connection held queued for its client at any moment (file
     *         regions, sent from the file system, are not held in memory and not counted)
     */
    long peakQueuedBytes();

    /**
     * @return handler calls made on an I/O thread, for handlers that declared themselves non-blocking
     * @since 1.2
     */
    long inlineCalls();

    /**
     * @return handler calls that held an I/O thread longer than the blocked-loop threshold
     * @since 1.2
     */
    long blockedLoops();

    /**
     * @return TLS handshakes completed
     * @since 1.5
     */
    default long tlsHandshakes() {
        return 0;
    }

    /**
     * @return TLS handshakes that failed: a garbled or truncated hello, no protocol version or cipher suite in
     *         common, a client certificate refused, an alert from the client
     * @since 1.5
     */
    default long tlsHandshakeFailures() {
        return 0;
    }

    /**
     * @return connections closed because their TLS handshake was not over in time
     * @since 1.5
     */
    default long tlsHandshakeTimeouts() {
        return 0;
    }

    /**
     * @return connections that spoke plain HTTP to a TLS port (answered 400 and closed)
     * @since 1.5
     */
    default long tlsPlainHttp() {
        return 0;
    }

    /**
     * @return connections closed because the client tried to renegotiate TLS 1.2
     * @since 1.5
     */
    default long tlsRenegotiationsRefused() {
        return 0;
    }
}

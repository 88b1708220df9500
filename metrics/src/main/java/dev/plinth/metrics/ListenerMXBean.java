package dev.plinth.metrics;

/**
 * One listening socket, as the MBean {@code dev.plinth:type=Listener,port=<port>} shows it. Connections, bytes,
 * errors, the queue peak and the TLS figures are the listener's own counters since it started (the TLS ones are 0 on
 * a plain listener); requests by status class, incomplete responses and latency are counted from the access log facts
 * of the exchanges on its port since this bundle started (shared with any other listener on the same port, on
 * another address).
 */
public interface ListenerMXBean {

    /** @return the port */
    int getPort();

    /** @return the configured host or address */
    String getHost();

    /** @return connections open now */
    long getConnectionsOpen();

    /** @return connections accepted since the listener started, refused ones included */
    long getConnectionsTotal();

    /** @return connections refused with 503 because the connection limit was reached */
    long getConnectionsRefused();

    /** @return request heads received */
    long getRequests();

    /** @return informational responses sent */
    long getRequests1xx();

    /** @return successful responses sent */
    long getRequests2xx();

    /** @return redirections sent */
    long getRequests3xx();

    /** @return client errors sent */
    long getRequests4xx();

    /** @return server errors sent */
    long getRequests5xx();

    /** @return exchanges that ended without their whole response (closed short, or before any response) */
    long getIncompleteResponses();

    /** @return bytes read from clients */
    long getBytesIn();

    /** @return bytes written to clients */
    long getBytesOut();

    /** @return rejected requests, 5xx answers, and connections closed mid-response or by a timeout */
    long getErrors();

    /** @return the most bytes any one connection held queued for its client */
    long getPeakQueuedBytes();

    /** @return TLS handshakes completed */
    long getTlsHandshakes();

    /**
     * @return TLS handshakes that failed: a garbled or truncated hello, no protocol version or cipher suite in
     *         common, a client certificate refused, an alert from the client
     */
    long getTlsHandshakeFailures();

    /** @return connections closed because their TLS handshake was not over in time */
    long getTlsHandshakeTimeouts();

    /** @return connections that spoke plain HTTP to a TLS port (answered 400 and closed) */
    long getTlsPlainHttp();

    /** @return connections closed because the client tried to renegotiate TLS 1.2 */
    long getTlsRenegotiationsRefused();

    /** @return the latency buckets' upper bounds in seconds, inclusive, ascending, the last one infinite */
    double[] getLatencyBucketBounds();

    /** @return exchanges per latency bucket (not cumulative), in the order of the bounds */
    long[] getLatencyBucketCounts();

    /** @return exchanges timed */
    long getLatencyCount();

    /** @return their durations' sum in seconds */
    double getLatencySumSeconds();

    /** @return the median duration in milliseconds, estimated from the buckets; NaN before the first exchange */
    double getLatencyP50Millis();

    /** @return the 90th percentile in milliseconds, estimated from the buckets; NaN before the first exchange */
    double getLatencyP90Millis();

    /** @return the 99th percentile in milliseconds, estimated from the buckets; NaN before the first exchange */
    double getLatencyP99Millis();
}

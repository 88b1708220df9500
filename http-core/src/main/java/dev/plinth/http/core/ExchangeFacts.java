package dev.plinth.http.core;

import java.net.InetSocketAddress;

/**
 * What an access log or a metrics sink records of one exchange.
 *
 * @param remote the client's address
 * @param local the address the connection was accepted on: which listener served it
 * @param startMillis when the request's head was complete, in milliseconds since the epoch
 * @param method the request method, or {@code "-"} when the request line could not be read
 * @param target the request target as received, or {@code "-"}
 * @param version the protocol as received, such as {@code HTTP/1.1}, or {@code "-"}
 * @param referer the request's {@code Referer} field, or {@code "-"} when it has none
 * @param userAgent the request's {@code User-Agent} field, or {@code "-"} when it has none
 * @param prefix the prefix by which the glue chose the handler, such as {@code /docs}; empty when no handler served
 *        the request (rejected, or no handler for its path)
 * @param status the status sent
 * @param bodyBytes body bytes queued for the client (headers and chunk framing excluded)
 * @param durationNanos from the end of the request head to the end of the response
 * @param complete whether the response was sent whole; false when the connection was closed short
 */
public record ExchangeFacts(
        InetSocketAddress remote,
        InetSocketAddress local,
        long startMillis,
        String method,
        String target,
        String version,
        String referer,
        String userAgent,
        String prefix,
        int status,
        long bodyBytes,
        long durationNanos,
        boolean complete) {

    /** Value of a text field that the request did not carry, as access logs write it. */
    public static final String ABSENT = "-";

    /**
     * The facts of an exchange whose local address, start, referer, user agent and handler are not known.
     *
     * @param remote the client's address
     * @param method the request method
     * @param target the request target
     * @param version the protocol
     * @param status the status sent
     * @param bodyBytes body bytes queued for the client
     * @param durationNanos from the end of the request head to the end of the response
     * @param complete whether the response was sent whole
     */
    public ExchangeFacts(
            InetSocketAddress remote,
            String method,
            String target,
            String version,
            int status,
            long bodyBytes,
            long durationNanos,
            boolean complete) {
        this(
                remote,
                null,
                System.currentTimeMillis() - durationNanos / 1_000_000,
                method,
                target,
                version,
                ABSENT,
                ABSENT,
                "",
                status,
                bodyBytes,
                durationNanos,
                complete);
    }
}

package dev.plinth.http.core;

import java.net.InetSocketAddress;

/**
 * What an access log records of one exchange.
 *
 * @param remote the client's address
 * @param method the request method, or {@code "-"} when the request line could not be read
 * @param target the request target as received, or {@code "-"}
 * @param version the protocol as received, such as {@code HTTP/1.1}, or {@code "-"}
 * @param status the status sent
 * @param bodyBytes body bytes queued for the client (headers and chunk framing excluded)
 * @param durationNanos from the end of the request head to the end of the response
 * @param complete whether the response was sent whole; false when the connection was closed short
 */
public record ExchangeFacts(
        InetSocketAddress remote,
        String method,
        String target,
        String version,
        int status,
        long bodyBytes,
        long durationNanos,
        boolean complete) {}

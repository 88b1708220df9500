package dev.plinth.http.parser;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the parts of one request from a {@link RequestParser}, in this order: {@link #requestLine}, then
 * {@link #header} for each field, then {@link #headersComplete}, then {@link #content} zero or more times, then
 * {@link #trailer} for each trailer field of a chunked body, then {@link #messageComplete}. Strings passed are
 * exactly the bytes received, decoded as ISO-8859-1. Methods returning {@code boolean} may return {@code true} to make
 * {@link RequestParser#parse} return at once, leaving the rest of the input unread.
 */
@ConsumerType
public interface RequestListener {

    /**
     * @param method the method token, case-sensitive
     * @param target the request target as received
     * @param minorVersion the minor version of HTTP/1 the request is processed as (RFC 9110 §2.5): 0 for HTTP/1.0;
     *        1 for HTTP/1.1 and for any higher minor version of HTTP/1, which a server processes as HTTP/1.1. The
     *        major version is always 1: another one is rejected ({@link Rule#VERSION_NOT_SUPPORTED}). An int, as in
     *        picohttpparser and llhttp, so that this package needs no version type of its own.
     */
    void requestLine(String method, String target, int minorVersion);

    /**
     * @param name the field name as received
     * @param value the field value without leading and trailing whitespace
     */
    void header(String name, String value);

    /**
     * The header block is complete and valid, including its framing (Host, Content-Length, Transfer-Encoding).
     *
     * @param contentLength the body length from Content-Length; 0 for no body; -1 for a chunked body
     * @return true to pause parsing
     */
    boolean headersComplete(long contentLength);

    /**
     * A part of the body, already de-chunked.
     *
     * @param part the bytes; valid only during this call (the parser does not copy them)
     * @return true to pause parsing
     */
    boolean content(ByteBuffer part);

    /**
     * A trailer field of a chunked body.
     *
     * @param name the field name
     * @param value the field value, trimmed
     */
    default void trailer(String name, String value) {}

    /**
     * The request is complete. The parser consumes nothing more until {@link RequestParser#reset()}.
     *
     * @return true to pause parsing (parsing stops here in any case)
     */
    boolean messageComplete();
}

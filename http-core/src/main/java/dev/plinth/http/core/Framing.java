package dev.plinth.http.core;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Headers;
import dev.plinth.http.handler.HttpVersion;

/**
 * How a response's body end is signalled, and whether the connection persists: decided once, from the response's
 * first part and the request. All such rules live here.
 *
 * @param kind how the body is delimited
 * @param contentLength the {@code Content-Length} to send, for {@link Kind#CONTENT_LENGTH}
 * @param sendBody whether body bytes go on the wire (not for HEAD, 204, 304)
 * @param persistent whether the connection is reused after this response
 * @param keepAliveHeader whether to say {@code Connection: keep-alive} (to an HTTP/1.0 client that asked for it)
 */
record Framing(Kind kind, long contentLength, boolean sendBody, boolean persistent, boolean keepAliveHeader) {

    /** The ways a body's end is signalled (RFC 9112 §6.3). */
    enum Kind {
        /** No body and no framing fields: 1xx, 204, 304 (RFC 9110 §6.4.1). */
        NONE,
        /** The length is known: {@code Content-Length} (RFC 9112 §6.3 rule 6). */
        CONTENT_LENGTH,
        /** Unknown length to an HTTP/1.1 client: {@code Transfer-Encoding: chunked} (RFC 9112 §7.1). */
        CHUNKED,
        /** Unknown length to an HTTP/1.0 client, or an endless body: the connection's close ends it (§6.3 rule 8). */
        CLOSE
    }

    /**
     * @param method the request method
     * @param version the request version
     * @param requestHeaders the request's fields (for {@code Connection})
     * @param status the response status
     * @param responseHeaders the response's fields (a handler's {@code Connection: close} is honoured)
     * @param body the response body
     * @param mustClose whether the core already knows the connection cannot be reused (e.g. an unread body)
     * @return the decision
     */
    static Framing decide(
            String method,
            HttpVersion version,
            Headers requestHeaders,
            int status,
            Headers responseHeaders,
            Body body,
            boolean mustClose) {
        // RFC 9112 §9.3: 1.1 persists unless "close"; 1.0 only with "keep-alive"
        boolean http11 = version == HttpVersion.HTTP_1_1;
        boolean persistent = http11
                ? !requestHeaders.containsToken("Connection", "close")
                : requestHeaders.containsToken("Connection", "keep-alive");
        persistent &= !mustClose && !responseHeaders.containsToken("Connection", "close");
        boolean head = method.equals("HEAD");

        Kind kind;
        long length = body.length();
        if (status == 204 || status == 304 || status < 200) {
            kind = Kind.NONE;
        } else if (body instanceof Body.Parts parts && parts.endless()) {
            kind = Kind.CLOSE;
        } else if (length >= 0) {
            kind = Kind.CONTENT_LENGTH;
        } else if (http11) {
            kind = Kind.CHUNKED; // never to HTTP/1.0 (RFC 9112 §6.1)
        } else {
            kind = Kind.CLOSE;
        }
        if (kind == Kind.CLOSE) {
            persistent = false; // HEAD too: it announces what GET would do (RFC 9110 §9.3.2)
        }
        boolean sendBody = !head && kind != Kind.NONE;
        return new Framing(kind, length, sendBody, persistent, persistent && !http11);
    }
}

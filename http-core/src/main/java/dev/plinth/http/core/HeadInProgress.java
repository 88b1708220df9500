package dev.plinth.http.core;

import dev.plinth.http.handler.HttpVersion;
import dev.plinth.http.handler.MutableHeaders;
import java.util.concurrent.Executor;

/**
 * The request head being parsed: its request line and fields as the parser reports them, until the head is complete
 * and becomes a {@link CoreRequest}. Then it lets go of them, so an idle connection keeps nothing of its last request;
 * what it knew still names a request the server rejects. The connection's parser listener extends it, so a
 * connection keeps one small object for both.
 */
abstract class HeadInProgress {

    private String method;
    private String target;
    private HttpVersion version;
    private MutableHeaders headers;

    void begin(String requestMethod, String requestTarget, int minorVersion) {
        method = requestMethod;
        target = requestTarget;
        version = minorVersion == 0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        headers = new MutableHeaders();
    }

    void field(String name, String value) {
        headers.add(name, value);
    }

    /** @return whether the client expects {@code 100 Continue} before it sends a body of that length */
    boolean expectsContinue(long contentLength) {
        // RFC 9110 §10.1.1: a 1.0 client cannot understand 100 Continue, so its expectation is ignored
        return version == HttpVersion.HTTP_1_1
                && contentLength != 0
                && headers.first("Expect")
                        .map(v -> v.equalsIgnoreCase("100-continue"))
                        .orElse(false);
    }

    /**
     * Completes the head.
     *
     * @param exchange the exchange it starts; its request is set, or else why the target is bad
     * @param endpoint the connection's endpoint, for the addresses
     * @param contentLength the body's length, -1 for chunked
     * @param workers the server's workers, for {@link CoreRequest#workers()}
     */
    void complete(Exchange exchange, Endpoint endpoint, long contentLength, Executor workers) {
        RequestTarget parts;
        try {
            parts = RequestTarget.parse(target);
        } catch (RequestTarget.BadTargetException e) {
            exchange.badTarget = e.getMessage();
            return;
        }
        exchange.request = new CoreRequest(
                method,
                target,
                parts,
                version,
                headers,
                endpoint.remoteAddress(),
                endpoint.localAddress(),
                contentLength,
                exchange.body,
                workers,
                endpoint.tlsSession());
        method = null;
        target = null;
        headers = null;
    }

    String method() {
        return method;
    }

    String target() {
        return target;
    }

    HttpVersion version() {
        return version;
    }
}

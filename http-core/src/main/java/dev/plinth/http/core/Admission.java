package dev.plinth.http.core;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import java.util.Optional;
import java.util.Set;

/**
 * What the server answers itself, before any handler, once a request head is parsed: methods it does not implement
 * (RFC 9110 §9.1: 501), expectations it cannot meet (RFC 9110 §10.1.1: 417), and {@code OPTIONS *}, which asks about
 * the server as a whole (RFC 9110 §9.3.7; the parser allows the asterisk-form only for OPTIONS).
 */
final class Admission {

    private static final Set<String> KNOWN_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH");
    /** The answer to {@code OPTIONS *}: the methods the server passes to handlers; others get 501. */
    static final String ALLOW = "GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE, PATCH";

    private Admission() {}

    /**
     * @param request a request whose head has been read
     * @return the server's own answer, or null when a handler is to answer
     */
    static Response serverAnswer(CoreRequest request) {
        if (!KNOWN_METHODS.contains(request.method())) {
            return ErrorPages.page(501, "The method " + request.method() + " is not implemented.");
        }
        Optional<String> expect = request.headers().first("Expect");
        if (expect.isPresent() && !expect.get().equalsIgnoreCase("100-continue")) {
            return ErrorPages.page(417, "Only the expectation 100-continue is supported.");
        }
        if (request.target().equals("*")) {
            return Response.of(200).header("Allow", ALLOW).body(Body.empty());
        }
        return null;
    }
}

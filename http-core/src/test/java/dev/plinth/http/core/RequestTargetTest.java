package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.plinth.http.handler.HttpVersion;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a request reaches its handler: the path percent-decoded once, the query as sent, the host from the authority,
 * the rest of the head as sent.
 */
class RequestTargetTest extends ConnectionFixture {

    @BeforeEach
    void mountEcho() {
        mount(
                "/",
                request -> CompletableFuture.completedStage(Response.text(
                        200,
                        "path=" + request.path()
                                + " raw=" + request.rawPath() + " query="
                                + request.query().orElse("(none)")
                                + " host=" + request.host())));
    }

    /** What the echo handler saw of this request, decoded as the UTF-8 it was sent in. */
    private String echo(String requestLineAndHost) {
        connect(CoreConfig.DEFAULT);
        endpoint.feed(requestLineAndHost + "\r\n\r\n");
        Responses.Parsed answer = responses(1).get(0);
        assertEquals(200, answer.status(), answer.body());
        return new String(answer.body().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private int status(String requestLine) {
        connect(CoreConfig.DEFAULT);
        endpoint.feed(requestLine + "\r\nHost: a\r\n\r\n");
        return responses(1).get(0).status();
    }

    @Test
    void thePathIsPercentDecodedOnceAndTheRawPathKept() {
        assertEquals("path=/A raw=/%41 query=(none) host=a", echo("GET /%41 HTTP/1.1\r\nHost: a"));
        assertEquals(
                "path=/%41 raw=/%2541 query=(none) host=a",
                echo("GET /%2541 HTTP/1.1\r\nHost: a"), "decoded once: %25 gives a percent sign, not a second round");
        assertEquals(
                "path=/x/café raw=/x/caf%C3%a9 query=(none) host=a",
                echo("GET /x/caf%C3%a9 HTTP/1.1\r\nHost: a"), "UTF-8, either case of hex digit");
        assertEquals("path=/plain raw=/plain query=(none) host=a", echo("GET /plain HTTP/1.1\r\nHost: a"));
    }

    @Test
    void theQueryIsSplitOffAndNotDecoded() {
        assertEquals("path=/a b raw=/a%20b query=q=%41&r= host=a", echo("GET /a%20b?q=%41&r= HTTP/1.1\r\nHost: a"));
        assertEquals("path=/ raw=/ query= host=a", echo("GET /? HTTP/1.1\r\nHost: a"), "an empty query is a query");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/a%4",
                "/a%",
                "/%4",
                "/a%4g",
                "/a%g4",
                "/a%zz", // truncated or not hex
                "/a%2fb",
                "/a%2Fb",
                "/a%5cb",
                "/a%5Cb",
                "/a%00b", // would make one string mean two paths
                "/a\\b",
                "/a\\b%41", // a backslash, with or without percent-encoding elsewhere
                "/a%C3",
                "/a%FF",
                "/a%C3%28", // not UTF-8 once decoded
                "/a#frag",
                "/a?q#frag"
            })
    void aMalformedOrAmbiguousPathGets400(String target) {
        assertEquals(400, status("GET " + target + " HTTP/1.1"), target);
    }

    @Test
    void anAbsoluteFormTargetsAuthorityIsTheHostAndItsPathIsRouted() {
        assertEquals(
                "path=/x/y raw=/x/y query=q=1 host=example.com",
                echo("GET http://Example.COM:8080/x/y?q=1 HTTP/1.1\r\nHost: other"),
                "the authority wins over Host");
        assertEquals("path=/ raw=/ query=(none) host=example.com", echo("GET http://example.com HTTP/1.1\r\nHost: x"));
        assertEquals("path=/ raw=/ query=q host=example.com", echo("GET https://example.com?q HTTP/1.1\r\nHost: x"));
        assertEquals("path=/p raw=/p query=(none) host=[::1]", echo("GET http://[::1]:80/p HTTP/1.1\r\nHost: x"));
    }

    @Test
    void theHostComesFromTheHostFieldLowerCaseWithoutPort() {
        assertEquals("path=/ raw=/ query=(none) host=example.com", echo("GET / HTTP/1.1\r\nHost: Example.com:8080"));
        assertEquals("path=/ raw=/ query=(none) host=[::1]", echo("GET / HTTP/1.1\r\nHost: [::1]:8080"));
        assertEquals("path=/ raw=/ query=(none) host=[::1]", echo("GET / HTTP/1.1\r\nHost: [::1]"));
        assertEquals("path=/ raw=/ query=(none) host=", echo("GET / HTTP/1.0"), "no Host at all");
    }

    @Test
    void anAuthorityFormTargetIsNoBadTargetButConnectIsNotImplemented() {
        assertEquals(501, status("CONNECT example.com:443 HTTP/1.1"));
    }

    @Test
    void theRestOfTheHeadReachesTheHandlerAsSent() {
        CompletableFuture<Request> seen = new CompletableFuture<>();
        mount("/seen", request -> {
            seen.complete(request);
            return CompletableFuture.completedStage(Response.of(204));
        });
        endpoint.feed("PATCH /seen?x HTTP/1.0\r\nHost: h\r\nX-Twice: 1\r\nX-Twice: 2\r\nContent-Length: 2\r\n\r\nab");
        endpoint.runUntil(seen::isDone);
        Request request = seen.join();
        assertEquals("PATCH", request.method());
        assertEquals("/seen?x", request.target());
        assertEquals(HttpVersion.HTTP_1_0, request.version());
        assertEquals(List.of("1", "2"), request.headers().all("X-Twice"), "repeated fields are all kept, in order");
        assertEquals(2, request.contentLength());
        assertEquals(new InetSocketAddress("127.0.0.1", 40000), request.remoteAddress());
        assertEquals(new InetSocketAddress("127.0.0.1", 8080), request.localAddress());
        assertSame(workers, request.workers());
    }
}

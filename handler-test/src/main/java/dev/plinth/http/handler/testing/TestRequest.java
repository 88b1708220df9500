package dev.plinth.http.handler.testing;

import dev.plinth.http.handler.Headers;
import dev.plinth.http.handler.HttpVersion;
import dev.plinth.http.handler.MutableHeaders;
import dev.plinth.http.handler.Request;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * A {@link Request} for calling a handler directly in a unit test, without a server. Built in a line: a method and a
 * target as on the wire, then optionally header fields, a body and the prefix the server's glue would have routed
 * the request by.
 *
 * <pre>{@code
 * TestRequest request = TestRequest.of("POST", "/notes/today?draft=1")
 *         .prefix("/notes")
 *         .header("Content-Type", "text/plain; charset=utf-8")
 *         .body("Buy milk");
 * TestResponse response = TestResponse.call(handler, request);
 * }</pre>
 *
 * Unless set otherwise: HTTP/1.1, host {@code localhost}, no body, prefix empty (so {@link #pathBelowPrefix()} is the
 * whole path), client {@code 127.0.0.1:40000}, server {@code 127.0.0.1:8080}, plain HTTP, and {@link #workers()}
 * running each task at once on the calling thread. Not thread-safe while being built; read it from any thread
 * afterwards. The body may be subscribed to more than once, each subscriber getting it from its start.
 */
public final class TestRequest implements Request {

    private final String method;
    private final String target;
    private final String rawPath;
    private final String query;
    private final MutableHeaders headers = new MutableHeaders();
    private HttpVersion version = HttpVersion.HTTP_1_1;
    private String host = "localhost";
    private String prefix = "";
    private long contentLength;
    private Flow.Publisher<ByteBuffer> body = TestRequest::noBody;
    private Executor workers = Runnable::run;

    private TestRequest(String method, String target) {
        this.method = method;
        this.target = target;
        int question = target.indexOf('?');
        this.rawPath = question < 0 ? target : target.substring(0, question);
        this.query = question < 0 ? null : target.substring(question + 1);
    }

    /**
     * A request without a body.
     *
     * @param method the method, such as {@code POST}
     * @param target an origin-form target, percent-encoded as on the wire, such as {@code /a%20b?x=1}
     * @return a request without a body
     */
    public static TestRequest of(String method, String target) {
        return new TestRequest(method, target);
    }

    /**
     * A {@code GET} request.
     *
     * @param target an origin-form target, percent-encoded as on the wire, such as {@code /hello?name=Ada%20L}
     * @return a GET request without a body
     */
    public static TestRequest get(String target) {
        return of("GET", target);
    }

    /**
     * Sets the prefix the request was routed by, as the server's glue would: the handler's
     * {@code plinth.handler.prefix} without a trailing slash, such as {@code /docs}. A handler that uses
     * {@link #pathBelowPrefix()} needs it.
     *
     * @param routedBy the prefix
     * @return this
     */
    public TestRequest prefix(String routedBy) {
        this.prefix = routedBy;
        return this;
    }

    @Override
    public String prefix() {
        return prefix;
    }

    /**
     * Appends a header field.
     *
     * @param name the name
     * @param value the value
     * @return this
     */
    public TestRequest header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    /**
     * Sets a body sent in parts, such as a {@link ListPublisher}.
     *
     * @param length the body's length ({@link #contentLength()}, as from {@code Content-Length}), or -1 for a
     *     chunked body
     * @param parts the body
     * @return this
     */
    public TestRequest body(long length, Flow.Publisher<ByteBuffer> parts) {
        this.contentLength = length;
        this.body = parts;
        return this;
    }

    /**
     * Sets a body of known length, in one part. The {@code Content-Type} field is the test's to add.
     *
     * @param bytes the body; not copied, so do not change them afterwards
     * @return this
     */
    public TestRequest body(byte[] bytes) {
        return body(bytes.length, ListPublisher.ofBytes(bytes));
    }

    /**
     * Sets a body of text, in one part. The {@code Content-Type} field is the test's to add.
     *
     * @param text the body, sent as UTF-8
     * @return this
     */
    public TestRequest body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sets the host the request is addressed to, as the server takes it from the {@code Host} field.
     *
     * @param name the host, lower-case, without port
     * @return this
     */
    public TestRequest host(String name) {
        this.host = name;
        return this;
    }

    /**
     * Sets the protocol version.
     *
     * @param protocol the version
     * @return this
     */
    public TestRequest version(HttpVersion protocol) {
        this.version = protocol;
        return this;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public String path() {
        return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    @Override
    public Optional<String> query() {
        return Optional.ofNullable(query);
    }

    @Override
    public HttpVersion version() {
        return version;
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 8080);
    }

    @Override
    public long contentLength() {
        return contentLength;
    }

    @Override
    public Flow.Publisher<ByteBuffer> body() {
        return body;
    }

    @Override
    public Executor workers() {
        return workers;
    }

    /**
     * Sets where {@link #workers()} runs tasks.
     *
     * @param executor the executor; by default each task runs at once on the calling thread, so a handler's
     *     blocking work completes before {@code handle} returns
     * @return this
     */
    public TestRequest workers(Executor executor) {
        this.workers = executor;
        return this;
    }

    /** As a server's body of a request without one: completes at once, before any demand. */
    private static void noBody(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {}

            @Override
            public void cancel() {}
        });
        subscriber.onComplete();
    }

    @Override
    public String toString() {
        return method + " " + target + " " + version;
    }
}

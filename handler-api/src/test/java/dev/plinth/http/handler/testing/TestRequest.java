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
 * A {@link Request} for calling a handler directly in a unit test, without a server. Shipped in handler-api's test
 * jar ({@code <type>test-jar</type>}).
 *
 * <pre>{@code
 * Response response = handler.handle(TestRequest.get("/hello?name=Ada").prefix("/hello")).toCompletableFuture().join();
 * }</pre>
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
     * @param method the method
     * @param target an origin-form target, percent-encoded as on the wire, such as {@code /a%20b?x=1}
     * @return a request without a body
     */
    public static TestRequest of(String method, String target) {
        return new TestRequest(method, target);
    }

    /**
     * @param target an origin-form target
     * @return a GET request
     */
    public static TestRequest get(String target) {
        return of("GET", target);
    }

    /**
     * @param routedBy the prefix the request was routed by, as the server's glue would set it, such as {@code /docs}
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
     * @param length the body's length, or -1 for a chunked body
     * @param parts the body
     * @return this
     */
    public TestRequest body(long length, Flow.Publisher<ByteBuffer> parts) {
        this.contentLength = length;
        this.body = parts;
        return this;
    }

    /**
     * @param name the host, lower-case, without port
     * @return this
     */
    public TestRequest host(String name) {
        this.host = name;
        return this;
    }

    /**
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
     * @param executor where {@link #workers()} runs tasks; by default on the calling thread, so a handler's
     *        blocking work completes before {@code handle} returns
     * @return this
     */
    public TestRequest workers(Executor executor) {
        this.workers = executor;
        return this;
    }

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

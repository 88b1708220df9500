package dev.plinth.handlers.statics;

import dev.plinth.http.handler.Headers;
import dev.plinth.http.handler.HttpVersion;
import dev.plinth.http.handler.MutableHeaders;
import dev.plinth.http.handler.Request;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;

/** A request without a body whose path is taken as given (the test plays the server's decoder). */
record FakeRequest(String method, String rawPath, String path, Optional<String> query) implements Request {

    /** @param target a path and optional query, used both raw and decoded */
    static FakeRequest of(String method, String target) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        return new FakeRequest(method, path, path, q < 0 ? Optional.empty() : Optional.of(target.substring(q + 1)));
    }

    static FakeRequest get(String target) {
        return of("GET", target);
    }

    @Override
    public String target() {
        return rawPath + query.map(q -> "?" + q).orElse("");
    }

    @Override
    public HttpVersion version() {
        return HttpVersion.HTTP_1_1;
    }

    @Override
    public Headers headers() {
        return new MutableHeaders();
    }

    @Override
    public String host() {
        return "localhost";
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
        return 0;
    }

    @Override
    public Flow.Publisher<ByteBuffer> body() {
        SubmissionPublisher<ByteBuffer> empty = new SubmissionPublisher<>();
        empty.close();
        return empty;
    }
}

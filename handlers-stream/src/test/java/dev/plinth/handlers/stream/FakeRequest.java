package dev.plinth.handlers.stream;

import dev.plinth.http.handler.HttpVersion;
import dev.plinth.http.handler.MutableHeaders;
import dev.plinth.http.handler.Request;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.Flow;

/** A request as a handler sees it, with whatever body publisher the test gives. */
record FakeRequest(String method, String path, Optional<String> query, MutableHeaders headers, long contentLength,
        Flow.Publisher<ByteBuffer> body) implements Request {

    /** @param target a path and optional query */
    static FakeRequest of(String method, String target) {
        int q = target.indexOf('?');
        return new FakeRequest(method, q < 0 ? target : target.substring(0, q),
                q < 0 ? Optional.empty() : Optional.of(target.substring(q + 1)), new MutableHeaders(), 0,
                PartsPublisher.of());
    }

    FakeRequest withBody(long contentLength, Flow.Publisher<ByteBuffer> body) {
        return new FakeRequest(method, path, query, headers, contentLength, body);
    }

    @Override
    public String target() {
        return path + query.map(q -> "?" + q).orElse("");
    }

    @Override
    public String rawPath() {
        return path;
    }

    @Override
    public HttpVersion version() {
        return HttpVersion.HTTP_1_1;
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
}

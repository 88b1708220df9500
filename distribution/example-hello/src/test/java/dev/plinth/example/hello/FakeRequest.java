package dev.plinth.example.hello;

import dev.plinth.http.handler.Headers;
import dev.plinth.http.handler.HttpVersion;
import dev.plinth.http.handler.MutableHeaders;
import dev.plinth.http.handler.Request;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;

/** A request without a body, for calling a handler directly. */
record FakeRequest(String method, String path, Optional<String> query) implements Request {

    static FakeRequest get(String target) {
        int q = target.indexOf('?');
        return q < 0 ? new FakeRequest("GET", target, Optional.empty())
                : new FakeRequest("GET", target.substring(0, q), Optional.of(target.substring(q + 1)));
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

package dev.plinth.http.core;

import dev.plinth.http.handler.Headers;
import dev.plinth.http.handler.HttpVersion;
import dev.plinth.http.handler.Request;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLSession;

/** A parsed request head, immutable once built, plus its body's publisher. */
final class CoreRequest implements Request {

    private final String method;
    private final String target;
    private final RequestTarget parts;
    private final HttpVersion version;
    private final Headers headers;
    private final String host;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final long contentLength;
    private final Flow.Publisher<ByteBuffer> body;
    private final Executor workers;
    private final SSLSession tls;
    /** Set once the glue has chosen, before the handler is called: the call publishes it to the handler. */
    private String prefix = "";

    CoreRequest(
            String method,
            String target,
            RequestTarget parts,
            HttpVersion version,
            Headers headers,
            InetSocketAddress remote,
            InetSocketAddress local,
            long contentLength,
            Flow.Publisher<ByteBuffer> body,
            Executor workers,
            SSLSession tls) {
        this.method = method;
        this.target = target;
        this.parts = parts;
        this.version = version;
        this.headers = headers;
        // RFC 9112 §3.2.2: an absolute-form target's authority wins over Host
        this.host = parts.authority() != null
                ? parts.host()
                : headers.first("Host").map(RequestTarget::hostOf).orElse("");
        this.remote = remote;
        this.local = local;
        this.contentLength = contentLength;
        this.body = body;
        this.workers = workers;
        this.tls = tls;
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        return Optional.ofNullable(tls);
    }

    @Override
    public Executor workers() {
        return workers;
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
    public String prefix() {
        return prefix;
    }

    /** @param chosenBy the prefix the glue chose the handler by */
    void routedBy(String chosenBy) {
        prefix = chosenBy;
    }

    @Override
    public String path() {
        return parts.path();
    }

    @Override
    public String rawPath() {
        return parts.rawPath();
    }

    @Override
    public Optional<String> query() {
        return Optional.ofNullable(parts.query());
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
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
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
    public String toString() {
        return method + " " + target + " " + version;
    }
}

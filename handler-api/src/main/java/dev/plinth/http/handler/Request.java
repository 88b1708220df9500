package dev.plinth.http.handler;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A request whose head has been read. Implemented by the server; safe to read from any thread.
 */
@ProviderType
public interface Request {

    /** @return the method, case-sensitive, such as {@code GET} */
    String method();

    /** @return the request target exactly as received, such as {@code /a%20b?x=1} */
    String target();

    /**
     * @return the target's path, percent-decoded once as UTF-8, such as {@code /a b}. The server refuses (400) a
     *         path whose decoding would produce a {@code /}, a {@code \}, a NUL or malformed UTF-8, so a path segment
     *         seen here is a segment the client sent.
     */
    String path();

    /**
     * @return the path prefix the request was routed by: the chosen handler's {@link Handler#PREFIX} without a
     *         trailing slash, such as {@code /docs}, or {@code /} for a handler of every path; empty before a handler
     *         is chosen
     */
    String prefix();

    /**
     * The part of {@link #path()} below {@link #prefix()}, so a handler need not match its own prefix again: under
     * the prefix {@code /docs}, the path {@code /docs/a/b} gives {@code /a/b} and {@code /docs} gives the empty
     * string; under {@code /}, or before a handler is chosen, it is the whole path.
     *
     * @return the decoded path below the prefix: empty, or starting with {@code /}
     */
    default String pathBelowPrefix() {
        String prefix = prefix();
        return prefix.length() <= 1 ? path() : path().substring(prefix.length());
    }

    /** @return the target's path as received, still percent-encoded */
    String rawPath();

    /** @return the query after {@code ?}, still percent-encoded, if the target had one */
    Optional<String> query();

    /** @return the protocol version */
    HttpVersion version();

    /** @return the header fields in the order received */
    Headers headers();

    /**
     * @return the host the request is addressed to, from an absolute-form target or else the {@code Host} field,
     *         lower-case and without a port; empty if the request named none (possible with HTTP/1.0)
     */
    String host();

    /** @return the client's address */
    InetSocketAddress remoteAddress();

    /** @return the server's address this request arrived on */
    InetSocketAddress localAddress();

    /**
     * @return the body's length in bytes from {@code Content-Length}; 0 when there is no body; -1 when it is
     *         chunked and its length is unknown until its end
     */
    long contentLength();

    /**
     * The body, read from the socket only as fast as the subscriber requests parts. It may be subscribed to once;
     * a second subscriber gets {@code onError}. Each part delivered belongs to the subscriber. A body nobody
     * subscribes to is skipped (up to a configured amount) after the response, or the connection is closed; it is
     * never buffered without bound. {@link Bodies#collect} reads a small body whole.
     *
     * @return the body's publisher; for a request without a body it completes at once
     */
    Flow.Publisher<ByteBuffer> body();

    /**
     * The server's worker threads, for work that may block. A {@linkplain Handler#NONBLOCKING non-blocking}
     * handler that finds it must read a disk or wait for another service submits that work here and completes its
     * stage from it; a handler already on a worker needs this only to run work in parallel.
     *
     * @return an executor that never runs a task on an I/O thread
     * @since 1.1
     */
    Executor workers();

    /**
     * The TLS session the request came over: its protocol version, cipher suite and the client's certificates.
     *
     * @return the session; empty for a request over plain HTTP
     * @since 2.1
     */
    default Optional<SSLSession> tlsSession() {
        return Optional.empty();
    }

    /**
     * @return {@code https} for a request that came over TLS, {@code http} otherwise
     * @since 2.1
     */
    default String scheme() {
        return tlsSession().isPresent() ? "https" : "http";
    }

    /**
     * The certificate chain the client presented, leaf first, which the server verified against its trust store
     * during the handshake. A listener that asks for certificates without requiring them serves clients that have
     * none: for those this is empty.
     *
     * @return the verified chain; empty over plain HTTP or without a client certificate
     * @since 2.1
     */
    default List<X509Certificate> clientCertificates() {
        Optional<SSLSession> session = tlsSession();
        if (session.isEmpty()) {
            return List.of();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : session.get().getPeerCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            return List.copyOf(chain);
        } catch (SSLPeerUnverifiedException none) {
            return List.of();
        }
    }

    /**
     * The first value of a query parameter, decoded as {@code application/x-www-form-urlencoded} UTF-8.
     *
     * @param name the parameter name, decoded
     * @return its first value; an empty string for a name without {@code =}
     */
    default Optional<String> queryParameter(String name) {
        Optional<String> query = query();
        if (query.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : query.get().split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            try {
                if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                    return Optional.of(
                            equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            } catch (IllegalArgumentException malformed) {
                // a malformed pair names no parameter
            }
        }
        return Optional.empty();
    }
}

package dev.plinth.http.core;

import dev.plinth.http.handler.Headers;
import dev.plinth.http.handler.HttpVersion;

/**
 * Hands the facts of a connection's exchanges to the {@link AccessLog} services in the order the exchanges happened:
 * a non-blocking sink directly, any other off the I/O thread through one serial queue per connection. A connection
 * makes one only once an access log listens.
 */
final class ExchangeLog {

    private static final System.Logger LOG = System.getLogger(ExchangeLog.class.getName());

    private final CoreServices services;
    private final Endpoint endpoint;
    private SerialExecutor queue;

    ExchangeLog(CoreServices services, Endpoint endpoint) {
        this.services = services;
        this.endpoint = endpoint;
    }

    /**
     * Publishes an exchange once: when its response is queued, or when it ends without one.
     *
     * @param current the exchange
     * @param complete whether its response was queued whole
     */
    void exchange(Exchange current, boolean complete) {
        if (current.recorded) {
            return;
        }
        current.recorded = true;
        CoreRequest request = current.request;
        long duration = System.nanoTime() - current.startNanos;
        Headers headers = request.headers();
        publish(new ExchangeFacts(
                endpoint.remoteAddress(),
                endpoint.localAddress(),
                System.currentTimeMillis() - duration / 1_000_000,
                request.method(),
                request.target(),
                request.version().toString(),
                field(headers, "referer"),
                field(headers, "user-agent"),
                request.prefix(),
                current.status,
                current.bodyBytes,
                duration,
                complete));
    }

    /**
     * Publishes a request the server rejected, with what is known of it.
     *
     * @param request the request, or null if its head was not complete or its target was refused
     * @param head what was parsed of its head, when there is no request
     * @param status the status sent
     * @param bytes the error page's length
     */
    void rejected(CoreRequest request, HeadInProgress head, int status, long bytes) {
        String method = request != null ? request.method() : head.method();
        String target = request != null ? request.target() : head.target();
        HttpVersion version = request != null ? request.version() : head.version();
        Headers headers = request != null ? request.headers() : null;
        publish(new ExchangeFacts(
                endpoint.remoteAddress(),
                endpoint.localAddress(),
                System.currentTimeMillis(),
                method == null ? ExchangeFacts.ABSENT : method,
                target == null ? ExchangeFacts.ABSENT : target,
                version == null ? ExchangeFacts.ABSENT : version.toString(),
                field(headers, "referer"),
                field(headers, "user-agent"),
                "",
                status,
                bytes,
                0,
                true));
    }

    private static String field(Headers headers, String name) {
        return headers == null ? ExchangeFacts.ABSENT : headers.first(name).orElse(ExchangeFacts.ABSENT);
    }

    private void publish(ExchangeFacts facts) {
        AccessLog log = services.accessLog();
        if (log.nonBlocking()) {
            try {
                log.exchangeCompleted(facts);
            } catch (RuntimeException e) {
                // A failing sink loses its record, never the connection it was called on.
                LOG.log(System.Logger.Level.WARNING, "access log " + log + " failed", e);
            }
            return;
        }
        if (queue == null) {
            queue = new SerialExecutor(services.workers());
        }
        queue.execute(() -> log.exchangeCompleted(facts));
    }
}

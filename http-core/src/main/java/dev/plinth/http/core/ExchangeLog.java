package dev.plinth.http.core;

import dev.plinth.http.handler.HttpVersion;

/**
 * Hands the facts of a connection's exchanges to the {@link AccessLog} services, off the I/O thread and in the order
 * the exchanges happened (one serial queue per connection). A connection makes one only once an access log listens.
 */
final class ExchangeLog {

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
        publish(new ExchangeFacts(
                endpoint.remoteAddress(),
                request.method(),
                request.target(),
                request.version().toString(),
                current.status,
                current.bodyBytes,
                System.nanoTime() - current.startNanos,
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
        publish(new ExchangeFacts(
                endpoint.remoteAddress(),
                method == null ? "-" : method,
                target == null ? "-" : target,
                version == null ? "-" : version.toString(),
                status,
                bytes,
                0,
                true));
    }

    private void publish(ExchangeFacts facts) {
        AccessLog log = services.accessLog();
        if (queue == null) {
            queue = new SerialExecutor(services.workers());
        }
        queue.execute(() -> log.exchangeCompleted(facts));
    }
}

package dev.plinth.metrics;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import java.util.function.Supplier;

/**
 * Serves the Prometheus text exposition at its prefix: {@code GET} and {@code HEAD} (the server drops a HEAD
 * response's body) answer 200; other methods 405; paths below the prefix 404. Registered by
 * {@link MetricsComponent} only when {@code prometheusPath} is configured. It runs on workers: it reads the glue's
 * routes and every listener's counters, which is quick but not declared non-blocking.
 */
final class PrometheusHandler implements Handler.Synchronous {

    static final String ALLOW = "GET, HEAD";

    private final Supplier<String> exposition;

    /** @param exposition the exposition now */
    PrometheusHandler(Supplier<String> exposition) {
        this.exposition = exposition;
    }

    @Override
    public Response respond(Request request) {
        if (!request.pathBelowPrefix().isEmpty()) {
            return Response.text(404, "Not Found\n");
        }
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return Response.text(405, "Method Not Allowed\n").header("Allow", ALLOW);
        }
        return Response.of(200)
                .header("Content-Type", PrometheusText.CONTENT_TYPE)
                .header("Cache-Control", "no-store")
                .body(Body.of(exposition.get()));
    }
}

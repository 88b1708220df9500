package dev.plinth.operations;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Answers a health probe on exactly one path: 200 with a JSON report when healthy, 503 with the same report when
 * not, never cached; {@code GET} and {@code HEAD} only.
 */
final class HealthEndpoint implements Handler {

    private final String path;
    private final Supplier<Readiness.Report> report;

    /**
     * @param path the one path answered; anything below it is 404
     * @param report computes the report at each request
     */
    HealthEndpoint(String path, Supplier<Readiness.Report> report) {
        this.path = path;
        this.report = report;
    }

    /** @return the path answered */
    String path() {
        return path;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        if (!request.path().equals(path)) {
            return CompletableFuture.completedStage(Response.text(404, "Not Found\n"));
        }
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return CompletableFuture.completedStage(
                    Response.text(405, "GET or HEAD\n").header("Allow", "GET, HEAD"));
        }
        Readiness.Report now = report.get();
        return CompletableFuture.completedStage(Response.of(now.ready() ? 200 : 503)
                .header("Content-Type", "application/json")
                .header("Cache-Control", "no-store")
                .body(Body.of(now.json())));
    }

    @Override
    public String toString() {
        return "health endpoint " + path;
    }
}

package dev.plinth.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.TestRequest;
import dev.plinth.http.handler.testing.TestResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

class HealthEndpointTest {

    private static final Readiness.Report READY =
            new Readiness.Report(true, List.of(new Readiness.Check("listener", true, "bound on port 8080")));
    private static final Readiness.Report NOT_READY =
            new Readiness.Report(false, List.of(new Readiness.Check("mount / x", false, "say \"why\"\n\\ here")));

    @Test
    void aReadyReportIs200JsonNeverCached() {
        Response response = answer(new HealthEndpoint("/health/ready", () -> READY), TestRequest.get("/health/ready"));
        assertEquals(200, response.status());
        assertEquals(
                "application/json", response.headers().first("Content-Type").orElseThrow());
        assertEquals("no-store", response.headers().first("Cache-Control").orElseThrow());
        assertEquals(
                "{\"status\":\"ready\",\"checks\":[{\"name\":\"listener\",\"ok\":true,"
                        + "\"detail\":\"bound on port 8080\"}]}\n",
                text(response));
    }

    @Test
    void aReportThatFailsIs503WithItsTextEscaped() {
        Response response =
                answer(new HealthEndpoint("/health/ready", () -> NOT_READY), TestRequest.of("HEAD", "/health/ready"));
        assertEquals(503, response.status());
        assertEquals(
                "{\"status\":\"not ready\",\"checks\":[{\"name\":\"mount / x\",\"ok\":false,"
                        + "\"detail\":\"say \\\"why\\\"\\u000a\\\\ here\"}]}\n",
                text(response));
    }

    @Test
    void onlyItsOwnPathAndOnlyGetAndHead() {
        HealthEndpoint live = new HealthEndpoint("/health/live", () -> READY);
        assertEquals(404, answer(live, TestRequest.get("/health/live/more")).status());
        Response post = answer(live, TestRequest.of("POST", "/health/live"));
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.headers().first("Allow").orElseThrow());
    }

    @Test
    void readinessWaitsForTheFrameworkAndAListenerAndEndsWithADrain() {
        Readiness starting = new Readiness(Fakes.context(Bundle.STARTING));
        Readiness.Report report = starting.report();
        assertEquals(false, report.ready());
        assertTrue(
                report.json().contains("{\"name\":\"framework\",\"ok\":false,\"detail\":\"starting\"}"), report.json());
        assertTrue(report.json().contains("{\"name\":\"listener\",\"ok\":false,\"detail\":\"none bound\"}"));
        Readiness started = new Readiness(Fakes.context(Bundle.ACTIVE));
        started.drain("SIGTERM");
        assertTrue(started.draining());
        assertTrue(
                started.report().json().contains("{\"name\":\"draining\",\"ok\":false,\"detail\":\"since SIGTERM\"}"));
    }

    private static Response answer(HealthEndpoint endpoint, TestRequest request) {
        return endpoint.handle(request).toCompletableFuture().join();
    }

    private static String text(Response response) {
        return TestResponse.collect(response).text();
    }
}

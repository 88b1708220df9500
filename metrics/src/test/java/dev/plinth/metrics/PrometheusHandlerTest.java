package dev.plinth.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.TestRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrometheusHandlerTest {

    private static final String TEXT = "# HELP x X.\n# TYPE x gauge\nx 1\n";

    private final PrometheusHandler handler = new PrometheusHandler(() -> TEXT);

    @Test
    void getAnswersTheExpositionInTheTextFormatsMediaType() {
        Response response = handler.respond(TestRequest.get("/metrics").prefix("/metrics"));

        assertEquals(200, response.status());
        assertEquals(
                Optional.of("text/plain; version=0.0.4; charset=utf-8"),
                response.headers().first("Content-Type"));
        assertEquals(Optional.of("no-store"), response.headers().first("Cache-Control"));
        assertEquals(TEXT, text(response.body()));
    }

    @Test
    void headAnswersAsGetDoes() {
        Response response = handler.respond(TestRequest.of("HEAD", "/metrics").prefix("/metrics"));

        assertEquals(200, response.status());
        assertEquals(TEXT.length(), response.body().length());
    }

    @Test
    void otherMethodsAre405WithAllow() {
        Response response = handler.respond(TestRequest.of("POST", "/metrics").prefix("/metrics"));

        assertEquals(405, response.status());
        assertEquals(Optional.of("GET, HEAD"), response.headers().first("Allow"));
    }

    @Test
    void pathsBelowThePrefixAre404() {
        assertEquals(
                404,
                handler.respond(TestRequest.get("/metrics/x").prefix("/metrics"))
                        .status());
        assertEquals(
                404,
                handler.respond(TestRequest.get("/metrics/").prefix("/metrics")).status());
    }

    static String text(Body body) {
        ByteBuffer bytes = ((Body.Bytes) body).content();
        return StandardCharsets.UTF_8.decode(bytes).toString();
    }
}

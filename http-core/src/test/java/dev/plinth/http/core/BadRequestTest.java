package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Response;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What the server answers itself: malformed or unsupported requests, and no handler. */
class BadRequestTest extends ConnectionFixture {

    @Test
    void badRequestGets400AndClose() {
        endpoint.feed("GET /hello HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        Responses.Parsed response = Responses.parse(endpoint.output()).get(0);
        assertEquals(400, response.status());
        assertEquals("close", response.header("Connection"));
    }

    @Test
    void versionTwoGets505() {
        endpoint.feed("GET /hello HTTP/2.0\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        assertEquals(505, Responses.parse(endpoint.output()).get(0).status());
    }

    @Test
    void encodedSlashInThePathGets400() {
        endpoint.feed("GET /hello/..%2f..%2fetc HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        assertEquals(400, Responses.parse(endpoint.output()).get(0).status());
    }

    @Test
    void unknownMethodGets501AndUnknownExpectationGets417() {
        endpoint.feed("BREW /hello HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\nExpect: tea\r\n\r\n"
                + "GET /hello/ok HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(3);
        assertEquals(501, answers.get(0).status());
        assertEquals(417, answers.get(1).status());
        assertEquals(200, answers.get(2).status());
    }

    @Test
    void inputEndingInsideAHeadGets400() {
        endpoint.feed("GET /hello/a HTTP/1.1\r\nHo");
        endpoint.endInput();
        endpoint.runUntil(() -> endpoint.closed);
        assertEquals(400, Responses.parse(endpoint.output()).get(0).status());
    }

    @Test
    void noHandlerGives404() {
        endpoint.feed("GET /nothing HTTP/1.1\r\nHost: a\r\n\r\n");
        Responses.Parsed response = responses(1).get(0);
        assertEquals(404, response.status());
        assertTrue(response.header("Content-Type").startsWith("text/html"));
    }

    @Test
    void glueExplainsItsChoice() {
        mount("/hello/deep", request -> CompletableFuture.completedStage(Response.text(200, "deep")));
        var explanation = glue.explain("", "/hello/deep/x");
        assertTrue(explanation.chosen().isPresent());
        assertEquals("/hello/deep", explanation.chosen().get().prefix());
        assertNotNull(explanation.toString());
        assertTrue(explanation.others().get(0).verdict().contains("shorter"), explanation.toString());
    }
}

package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.ListPublisher;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** How answers are framed, and when the connection persists. */
class FramingAndPersistenceTest extends ConnectionFixture {

    @Test
    void answersGetWithContentLengthDateAndServer() {
        endpoint.feed("GET /hello/world HTTP/1.1\r\nHost: example.com\r\n\r\n");
        Responses.Parsed response = responses(1).get(0);
        assertEquals(200, response.status());
        assertEquals("hello /hello/world\n", response.body());
        assertEquals("length", response.framing());
        assertEquals("Plinth", response.header("Server"));
        assertTrue(response.header("Date").matches("\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"));
        assertNull(response.header("Connection"));
        assertFalse(endpoint.closeRequested);
    }

    @Test
    void sameResultWhateverTheSplitOfTheInput() {
        String request = "GET /hello/split HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n";
        for (int chunk = 1; chunk <= request.length(); chunk++) {
            connect(CoreConfig.DEFAULT);
            for (int at = 0; at < request.length(); at += chunk) {
                endpoint.feed(request.substring(at, Math.min(request.length(), at + chunk)));
            }
            assertEquals("hello /hello/split\n", responses(1).get(0).body(), "chunk size " + chunk);
        }
    }

    @Test
    void unknownLengthIsChunkedToHttp11AndCloseDelimitedToHttp10() {
        mount("/parts", request -> CompletableFuture.completedStage(
                Response.of(200).body(Body.ofParts(new ListPublisher("one ", "two ", "three")))));
        endpoint.feed("GET /parts HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.output().endsWith("0\r\n\r\n"));
        Responses.Parsed chunked = Responses.parse(endpoint.output()).get(0);
        assertEquals("chunked", chunked.framing());
        assertEquals("one two three", chunked.body());
        assertFalse(endpoint.closeRequested);

        connect(CoreConfig.DEFAULT);
        endpoint.feed("GET /parts HTTP/1.0\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        Responses.Parsed closeDelimited = Responses.parse(endpoint.output()).get(0);
        assertEquals("close", closeDelimited.framing());
        assertEquals("close", closeDelimited.header("Connection"));
        assertNull(closeDelimited.header("Transfer-Encoding"));
        assertEquals("one two three", closeDelimited.body());
    }

    @Test
    void headSendsTheHeadersOfGetWithoutBody() {
        endpoint.feed("GET /hello/x HTTP/1.1\r\nHost: a\r\n\r\nHEAD /hello/x HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /hello/after HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(3, false, true, false);
        Map<String, String> get = new java.util.HashMap<>(answers.get(0).headers());
        Map<String, String> head = new java.util.HashMap<>(answers.get(1).headers());
        get.remove("date");
        head.remove("date");
        assertEquals(get, head);
        assertEquals("", answers.get(1).body());
        assertEquals("hello /hello/after\n", answers.get(2).body(), "the connection stays in sync after HEAD");
    }

    @Test
    void noContentAndNotModifiedCarryNoBodyAndNoFramingFields() {
        mount("/204", request -> CompletableFuture.completedStage(Response.of(204).body(Body.of("ignored"))));
        mount("/304", request -> CompletableFuture.completedStage(Response.of(304).header("ETag", "\"x\"")
                .body(Body.ofParts(new ListPublisher("ignored")))));
        endpoint.feed("GET /204 HTTP/1.1\r\nHost: a\r\n\r\nGET /304 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /hello/after HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(3);
        for (Responses.Parsed bodiless : answers.subList(0, 2)) {
            assertNull(bodiless.header("Content-Length"));
            assertNull(bodiless.header("Transfer-Encoding"));
            assertNull(bodiless.header("Connection"));
        }
        assertEquals("\"x\"", answers.get(1).header("ETag"));
        assertEquals("hello /hello/after\n", answers.get(2).body(), "nothing of the ignored bodies was sent");
        assertFalse(endpoint.output().contains("ignored"));
    }

    @Test
    void textWithoutCharsetIsDeclaredUtf8() {
        mount("/text", request -> CompletableFuture.completedStage(Response.of(200)
                .header("Content-Type", "text/plain").body(Body.of("é"))));
        mount("/latin", request -> CompletableFuture.completedStage(Response.of(200)
                .header("Content-Type", "text/plain; charset=ISO-8859-1").body(Body.of("x"))));
        endpoint.feed("GET /text HTTP/1.1\r\nHost: a\r\n\r\nGET /latin HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        assertEquals("text/plain; charset=utf-8", answers.get(0).header("Content-Type"));
        assertEquals("text/plain; charset=ISO-8859-1", answers.get(1).header("Content-Type"));
    }

    @Test
    void http10KeepAliveOnlyWhenAsked() {
        endpoint.feed("GET /hello/a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /hello/b HTTP/1.0\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        List<Responses.Parsed> answers = Responses.parse(endpoint.output());
        assertEquals("keep-alive", answers.get(0).header("Connection"));
        assertEquals("close", answers.get(1).header("Connection"));
        assertEquals("hello /hello/b\n", answers.get(1).body());
    }

    @Test
    void connectionCloseIsHonoured() {
        endpoint.feed("GET /hello/a HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /hello/b HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        List<Responses.Parsed> answers = Responses.parse(endpoint.output());
        assertEquals(1, answers.size());
        assertEquals("close", answers.get(0).header("Connection"));
    }
}

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
        mount(
                "/parts",
                request -> CompletableFuture.completedStage(
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
        mount(
                "/204",
                request -> CompletableFuture.completedStage(Response.of(204).body(Body.of("ignored"))));
        mount(
                "/304",
                request -> CompletableFuture.completedStage(
                        Response.of(304).header("ETag", "\"x\"").body(Body.ofParts(new ListPublisher("ignored")))));
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
        mount(
                "/text",
                request -> CompletableFuture.completedStage(
                        Response.of(200).header("Content-Type", "text/plain").body(Body.of("é"))));
        mount(
                "/latin",
                request -> CompletableFuture.completedStage(Response.of(200)
                        .header("Content-Type", "text/plain; charset=ISO-8859-1")
                        .body(Body.of("x"))));
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
        endpoint.feed("GET /hello/a HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                + "GET /hello/b HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        List<Responses.Parsed> answers = Responses.parse(endpoint.output());
        assertEquals(1, answers.size());
        assertEquals("close", answers.get(0).header("Connection"));
    }

    @Test
    void anEmptyAnswerSaysContentLengthZeroAndKeepsTheConnection() {
        mount("/empty", request -> CompletableFuture.completedStage(Response.of(200)));
        mount(
                "/empty-stream",
                request ->
                        CompletableFuture.completedStage(Response.of(200).body(Body.ofParts(new ListPublisher(), 0))));
        endpoint.feed("GET /empty HTTP/1.1\r\nHost: a\r\n\r\nGET /empty-stream HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /hello/after HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(3);
        for (Responses.Parsed empty : answers.subList(0, 2)) {
            assertEquals(200, empty.status());
            assertEquals("0", empty.header("Content-Length"));
            assertNull(empty.header("Transfer-Encoding"));
            assertNull(empty.header("Connection"));
        }
        assertEquals("", Responses.rawBody(endpoint.output(), 0));
        assertEquals("", Responses.rawBody(endpoint.output(), 1));
        assertEquals("hello /hello/after\n", answers.get(2).body());
        assertFalse(endpoint.closeRequested);
    }

    @Test
    void anEmptyPartDoesNotEndAChunkedBodyOnlyTheStreamsEndDoes() {
        mount(
                "/gaps",
                request -> CompletableFuture.completedStage(
                        Response.of(200).body(Body.ofParts(new ListPublisher("", "ab", "", "", "cd", "")))));
        mount(
                "/nothing",
                request ->
                        CompletableFuture.completedStage(Response.of(200).body(Body.ofParts(new ListPublisher("")))));
        endpoint.feed("GET /gaps HTTP/1.1\r\nHost: a\r\n\r\nGET /nothing HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /hello/after HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(3);
        assertEquals("chunked", answers.get(0).framing());
        assertEquals(
                "2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n",
                Responses.rawBody(endpoint.output(), 0),
                "no zero-size chunk before the end: a client would take it for the last one");
        assertEquals("chunked", answers.get(1).framing());
        assertEquals("0\r\n\r\n", Responses.rawBody(endpoint.output(), 1));
        assertEquals("hello /hello/after\n", answers.get(2).body());
        assertFalse(endpoint.closeRequested);
    }

    @Test
    void headToAStreamedAnswerAnnouncesItsFramingAndSendsNoneOfIt() {
        mount(
                "/parts",
                request -> CompletableFuture.completedStage(
                        Response.of(200).body(Body.ofParts(new ListPublisher("secret")))));
        mount(
                "/sized",
                request -> CompletableFuture.completedStage(
                        Response.of(200).body(Body.ofParts(new ListPublisher("secret"), 6))));
        endpoint.feed("HEAD /parts HTTP/1.1\r\nHost: a\r\n\r\nHEAD /sized HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /hello/after HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(3, true, true, false);
        assertEquals("chunked", answers.get(0).header("Transfer-Encoding"));
        assertEquals("6", answers.get(1).header("Content-Length"));
        assertFalse(endpoint.output().contains("secret"));
        assertEquals("hello /hello/after\n", answers.get(2).body(), "the connection stays in sync");
        assertFalse(endpoint.closeRequested);
    }

    @Test
    void anEndlessBodyIsCloseDelimitedEvenToHttp11AndSoIsItsHead() {
        mount(
                "/endless",
                request -> CompletableFuture.completedStage(
                        Response.of(200).body(Body.endless(new ListPublisher("a", "b")))));
        endpoint.feed("GET /endless HTTP/1.1\r\nHost: a\r\n\r\nGET /hello/unanswered HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        Responses.Parsed endless = Responses.parse(endpoint.output()).get(0);
        assertEquals("close", endless.framing());
        assertEquals("close", endless.header("Connection"));
        assertEquals("ab", endless.body());

        connect(CoreConfig.DEFAULT);
        endpoint.feed("HEAD /endless HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        Responses.Parsed head = Responses.parse(endpoint.output(), true).get(0);
        assertEquals("close", head.header("Connection"), "HEAD announces what GET would do");
        assertNull(head.header("Transfer-Encoding"));
        assertEquals("", Responses.rawBody(endpoint.output(), 0));
    }

    @Test
    void http10KeepAliveHoldsForAKnownLengthOnly() {
        mount(
                "/sized",
                request -> CompletableFuture.completedStage(
                        Response.of(200).body(Body.ofParts(new ListPublisher("abc", "de"), 5))));
        mount(
                "/parts",
                request -> CompletableFuture.completedStage(
                        Response.of(200).body(Body.ofParts(new ListPublisher("abc", "de")))));
        endpoint.feed("GET /sized HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                + "GET /parts HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        List<Responses.Parsed> answers = Responses.parse(endpoint.output());
        assertEquals("keep-alive", answers.get(0).header("Connection"));
        assertEquals("abcde", answers.get(0).body());
        assertEquals("close", answers.get(1).header("Connection"), "an unknown length ends with the connection");
        assertEquals("close", answers.get(1).framing());
        assertEquals("abcde", answers.get(1).body());
    }

    @Test
    void aHandlersConnectionCloseEndsTheConnectionAfterItsAnswer() {
        mount(
                "/bye",
                request -> CompletableFuture.completedStage(
                        Response.text(200, "bye").header("Connection", "close")));
        endpoint.feed("GET /bye HTTP/1.1\r\nHost: a\r\n\r\nGET /hello/unanswered HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed);
        List<Responses.Parsed> answers = Responses.parse(endpoint.output());
        assertEquals(1, answers.size());
        assertEquals("bye", answers.get(0).body());
        assertEquals("close", answers.get(0).header("Connection"));
    }
}

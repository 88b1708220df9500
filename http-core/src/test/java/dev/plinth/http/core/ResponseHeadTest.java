package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Response;
import dev.plinth.http.parser.ParserConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What the head of an answer carries: the handler's fields whole, the core's own fields once, a status line. */
class ResponseHeadTest extends ConnectionFixture {

    private int handlers;

    /** The head of the first answer on the connection, to a GET of a new handler that answers as told. */
    private String headOf(Supplier<Response> answer) {
        String path = "/answer" + ++handlers;
        mount(path, request -> CompletableFuture.completedStage(answer.get()));
        endpoint.feed("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
        responses(1);
        String raw = endpoint.output();
        return raw.substring(0, raw.indexOf("\r\n\r\n") + 2);
    }

    @Test
    void aHeadFarLargerThanAnyFirstGuessComesOutWholeAndInOrder() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            lines.add("X-Field-" + i + ": " + (char) ('a' + i % 26) + "v".repeat(i * 37));
        }
        lines.add("X-Long: " + "L".repeat(20_000));
        String head = headOf(() -> {
            Response response = Response.text(200, "body after the head");
            for (String line : lines) {
                int colon = line.indexOf(':');
                response.header(line.substring(0, colon), line.substring(colon + 2));
            }
            return response;
        });
        assertTrue(head.contains("\r\n" + String.join("\r\n", lines) + "\r\n"), "every field, whole and in order");
        Responses.Parsed answer = Responses.parse(endpoint.output()).get(0);
        assertEquals("body after the head", answer.body());
        assertEquals("19", answer.header("Content-Length"));
    }

    @Test
    void framingFieldsAHandlerSetsAreDroppedAndOthersOfTheSameLengthsKept() {
        String head = headOf(() -> Response.text(200, "five!")
                .header("Date", "yesterday")
                .header("Vary", "Accept")
                .header("server", "Impostor")
                .header("Pragma", "no-cache")
                .header("Connection", "keep-alive")
                .header("Keep-Alive", "timeout=5")
                .header("Set-Cookie", "a=b")
                .header("CONTENT-LENGTH", "999")
                .header("Accept-Charset", "x")
                .header("Transfer-Encoding", "chunked")
                .header("If-Modified-Since", "y"));
        for (String kept : List.of(
                "Vary: Accept", "Pragma: no-cache", "Set-Cookie: a=b", "Accept-Charset: x", "If-Modified-Since: y")) {
            assertTrue(head.contains("\r\n" + kept + "\r\n"), kept + " in\n" + head);
        }
        for (String dropped : List.of("yesterday", "Impostor", "keep-alive", "Keep-Alive", "999", "chunked")) {
            assertFalse(head.contains(dropped), dropped + " in\n" + head);
        }
        Responses.Parsed answer = Responses.parse(endpoint.output()).get(0);
        assertEquals("5", answer.header("Content-Length"));
        assertEquals("Plinth", answer.header("Server"));
        assertEquals("five!", answer.body());
    }

    @Test
    void aValueOutsideLatin1IsSentAsAQuestionMarkNotAsTwoBytes() {
        String head = headOf(() -> Response.text(200, "x").header("X-Name", "caf\u00e9 \u20ac5"));
        assertTrue(head.contains("\r\nX-Name: caf\u00e9 ?5\r\n"), head);
    }

    @Test
    void anEmptyServerNameSendsNoServerField() {
        connect(new CoreConfig(ParserConfig.DEFAULT, "", 65536, 65536, CoreConfig.Timeouts.DEFAULT));
        String head = headOf(() -> Response.text(200, "x"));
        assertFalse(head.toLowerCase(Locale.ROOT).contains("server:"), head);
        assertNull(Responses.parse(endpoint.output()).get(0).header("Server"));
    }

    @Test
    void everyStatusHasAReasonPhraseEvenWithoutItsOwn() {
        assertTrue(headOf(() -> Response.of(299)).startsWith("HTTP/1.1 299 Success\r\n"));
        connect(CoreConfig.DEFAULT);
        assertTrue(headOf(() -> Response.of(300)).startsWith("HTTP/1.1 300 Redirection\r\n"));
        connect(CoreConfig.DEFAULT);
        assertTrue(headOf(() -> Response.of(418)).startsWith("HTTP/1.1 418 Client Error\r\n"));
        connect(CoreConfig.DEFAULT);
        assertTrue(headOf(() -> Response.of(599)).startsWith("HTTP/1.1 599 Server Error\r\n"));
    }

    @Test
    void textWithoutACharsetParameterGetsUtf8AndAnyOtherTypeIsLeftAsItIs() {
        List<String> sent = List.of(
                "TEXT/html",
                "TEXT/html",
                "text/plain; format=flowed",
                "text/plain;charset=x",
                "text/plain;\tCharset=x",
                "application/json",
                "image/text");
        List<String> expected = List.of(
                "TEXT/html; charset=utf-8",
                "TEXT/html; charset=utf-8",
                "text/plain; format=flowed; charset=utf-8",
                "text/plain;charset=x",
                "text/plain;\tCharset=x",
                "application/json",
                "image/text");
        for (int i = 0; i < sent.size(); i++) {
            connect(CoreConfig.DEFAULT);
            String type = sent.get(i);
            headOf(() -> Response.of(200).header("Content-Type", type));
            assertEquals(
                    expected.get(i), Responses.parse(endpoint.output()).get(0).header("Content-Type"), type);
        }
    }
}

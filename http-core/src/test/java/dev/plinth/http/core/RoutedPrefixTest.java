package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Response;
import org.junit.jupiter.api.Test;

/** A handler learns the prefix it was routed by, and the path below it, on a worker and inline alike. */
class RoutedPrefixTest extends ConnectionFixture {

    private static final Handler ECHO_ROUTE =
            (Handler.Synchronous) request -> Response.text(200, request.prefix() + " " + request.pathBelowPrefix());

    @Test
    void aHandlerOnAWorkerSeesItsPrefixAndThePathBelowIt() {
        mount("/docs/", ECHO_ROUTE);
        endpoint.feed("GET /docs/a/b%20c HTTP/1.1\r\nHost: a\r\n\r\nGET /docs HTTP/1.1\r\nHost: a\r\n\r\n");
        var answers = responses(2);
        assertEquals("/docs /a/b c", answers.get(0).body());
        assertEquals("/docs ", answers.get(1).body(), "the prefix itself: nothing below it");
    }

    @Test
    void anInlineHandlerOfEveryPathSeesTheWholePath() {
        mountInline("/", ECHO_ROUTE);
        endpoint.feed("GET /x/y HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals("/ /x/y", responses(1).get(0).body());
    }
}

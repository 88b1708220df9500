package dev.plinth.handlers.statics;

import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import java.util.concurrent.TimeUnit;

/** Runs a request through a handler directly, without a server, and waits a short, bounded time for the answer. */
final class Answers {

    /**
     * How long an answer, or one read of it from a socket, may take: milliseconds normally, but the build machines
     * are shared and loaded, and a first request to a fresh server loads classes and starts threads.
     */
    static final long WAIT_MILLIS = 2_000;

    private Answers() {}

    /**
     * @param handler the handler
     * @param request the request
     * @return the handler's answer
     * @throws Exception if the handler fails, or does not answer in time
     */
    static Response of(Handler handler, Request request) throws Exception {
        return handler.handle(request).toCompletableFuture().get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }
}

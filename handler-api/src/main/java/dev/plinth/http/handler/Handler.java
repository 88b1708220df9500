package dev.plinth.http.handler;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Serves requests. A handler bundle registers its handlers as OSGi services with the service property
 * {@link #PREFIX} (and optionally {@link #HOST}); the server's glue service picks one per
 * request and tells it the prefix it was chosen by ({@link Request#prefix()}).
 *
 * <p>A prefix {@code /app} serves {@code /app} and everything under {@code /app/}, but not {@code /application}.
 * The prefix {@code /} serves every path. When several handlers match, the longest prefix wins, then one bound to the
 * request's host over one for any host, then the higher {@code service.ranking}, then the lower {@code service.id}.
 */
@ConsumerType
@FunctionalInterface
public interface Handler {

    /** Service property: the path prefix this handler serves, such as {@code /} or {@code /stream}. Required. */
    String PREFIX = "plinth.handler.prefix";

    /**
     * Service property: the host name (without port, case-insensitive) this handler serves. Absent: any host.
     */
    String HOST = "plinth.handler.host";

    /**
     * Service property: {@code true} declares that {@link #handle} never blocks and returns promptly (well under a
     * millisecond), so the server may call it on the I/O thread that read the request and write a ready answer
     * there, without handing the exchange to a worker. Absent or {@code false}: the handler runs on a worker.
     *
     * <p>A non-blocking handler must not wait for a lock, a disk, a database or another server inside
     * {@code handle}, nor in the first parts of its body; work that may block goes to
     * {@link Request#workers()} and completes the returned stage from there. The server watches: a call that
     * holds an I/O thread longer than a threshold (20 ms by default) is logged with the handler's stack and counted,
     * and a handler that does so repeatedly is run on workers from then on.
     */
    String NONBLOCKING = "plinth.handler.nonblocking";

    /**
     * Service property: {@code false} keeps the server from compressing this handler's responses on the fly, even
     * where the listener compresses (for a handler whose bodies are already compressed, or that mixes secrets with
     * what a client sends, the BREACH case). Absent or {@code true}: the listener's settings decide. One response can
     * opt out alone through {@link Response#compress(boolean)}.
     *
     * @since 2.2
     */
    String COMPRESS = "plinth.handler.compress";

    /**
     * Starts serving one request. Called on a worker thread, or on an I/O thread for a handler registered with
     * {@link #NONBLOCKING}; a worker's handler may block briefly, but one that waits for something should return a
     * stage and complete it later instead.
     *
     * @param request the request; its body has not been read yet
     * @return a stage completed with the response head and body (the first part); completing it exceptionally, or
     *         throwing, answers 500 (or closes the connection if the response has begun)
     * @throws Exception equivalent to returning a failed stage
     */
    CompletionStage<Response> handle(Request request) throws Exception;

    /**
     * A handler that answers at once: it returns its {@link Response} instead of a stage. Most handlers are like
     * this (a computed text, a file, a redirect); one that waits for something returns a stage from
     * {@link Handler#handle} instead, so no thread is held while it waits.
     *
     * <p>A Declarative Services component registers the interfaces its class implements directly, so a component
     * that implements {@code Synchronous} names its service: {@code @Component(service = Handler.class)}. Without
     * it the service is registered as {@code Handler.Synchronous} only, and the server does not see it.
     */
    @ConsumerType
    @FunctionalInterface
    interface Synchronous extends Handler {

        /**
         * Answers one request. Called where {@link Handler#handle} would be.
         *
         * @param request the request; its body has not been read yet
         * @return the response (its head and body, the first part)
         * @throws Exception answers 500 (or closes the connection if the response has begun)
         */
        Response respond(Request request) throws Exception;

        @Override
        default CompletionStage<Response> handle(Request request) throws Exception {
            return CompletableFuture.completedStage(respond(request));
        }
    }
}

package dev.plinth.http.core;

import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Response;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Gets a request to its handler: asks the glue which handler serves it, then calls that handler on a worker, or,
 * for a handler the glue chose as non-blocking, on the thread that parsed the request. Every answer, and every
 * failure on the way, comes back to {@link HttpConnection#handlerAnswered} on a thread that has the connection.
 * Stateless: the connection and its exchange carry everything.
 */
final class Dispatch {

    private static final System.Logger LOG = System.getLogger(Dispatch.class.getName());

    private Dispatch() {}

    /**
     * Starts the handling of an admitted request. Called by the thread that has the connection.
     *
     * @param connection the connection
     * @param current its exchange, in {@link Exchange.Phase#HANDLING}
     */
    static void start(HttpConnection connection, Exchange current) {
        Glue glue = connection.services().glue();
        if (!glue.nonBlocking() || !connection.config().runsInline()) {
            // a glue that may block is asked on a worker, as is any handler then
            current.serial().execute(() -> chooseAndRun(connection, current, glue));
            return;
        }
        Optional<Glue.Choice> choice;
        try {
            choice = glue.choose(current.request);
        } catch (RuntimeException | LinkageError failure) {
            connection.handlerAnswered(current, null, failure);
            return;
        }
        if (choice.isEmpty()) {
            connection.handlerAnswered(current, notFound(), null);
            return;
        }
        current.request.routedBy(choice.get().prefix());
        if (choice.get().nonBlocking()) {
            runInline(connection, current, choice.get().handler());
        } else {
            Handler handler = choice.get().handler();
            current.serial().execute(() -> answerLater(connection, current, call(handler, current.request)));
        }
    }

    /** On a worker: asks a glue that may block, then runs the handler it picks there. */
    private static void chooseAndRun(HttpConnection connection, Exchange current, Glue glue) {
        Optional<Glue.Choice> choice;
        try {
            choice = glue.choose(current.request);
        } catch (RuntimeException | LinkageError failure) {
            answerLater(connection, current, CompletableFuture.failedStage(failure));
            return;
        }
        if (choice.isEmpty()) {
            answerLater(connection, current, CompletableFuture.completedStage(notFound()));
            return;
        }
        current.request.routedBy(choice.get().prefix());
        answerLater(connection, current, call(choice.get().handler(), current.request));
    }

    /** An answer ready now (the usual case) is framed and written from here: no hand-over to the I/O thread. */
    private static void answerLater(HttpConnection connection, Exchange current, CompletionStage<Response> stage) {
        stage.whenComplete((response, failure) ->
                connection.endpoint().runOrExecute(() -> connection.handlerAnswered(current, response, failure)));
    }

    /**
     * Calls a non-blocking handler on this thread, which has the connection, and frames an answer that is ready
     * when it returns without any hand-off. The call is timed; one that held the thread too long is counted and
     * reported to the glue, which demotes a repeat offender to the workers.
     */
    private static void runInline(HttpConnection connection, Exchange current, Handler handler) {
        CoreServices services = connection.services();
        services.counters().inlineCall();
        LoopWatchdog.Call call = services.watchdog().enter(handler);
        CompletionStage<Response> stage;
        try {
            stage = call(handler, current.request);
        } finally {
            long held = call.exit();
            if (held > TimeUnit.MILLISECONDS.toNanos(connection.config().inlineThresholdMillis())) {
                heldTooLong(services, handler, held, call);
            }
        }
        InlineAnswer answer = new InlineAnswer(connection, current);
        try {
            stage.whenComplete(answer);
        } catch (Throwable failure) { // a handler's own stage must not take the I/O thread down with it
            answer.accept(null, failure);
        }
        answer.takeOver();
    }

    /** Counts a call that held the I/O thread too long; one the sampler caught blocking counts against its handler. */
    private static void heldTooLong(CoreServices services, Handler handler, long heldNanos, LoopWatchdog.Call call) {
        services.counters().blockedLoop();
        if (!call.reported()) {
            LOG.log(
                    Level.WARNING,
                    "handler {0} declared itself non-blocking but held an I/O thread for {1} ms",
                    handler,
                    TimeUnit.NANOSECONDS.toMillis(heldNanos));
        }
        if (!call.blocking()) {
            return; // warming up (loading classes), or too brief to be caught: no evidence to demote it on
        }
        try {
            services.glue().blocked(handler);
        } catch (RuntimeException failure) {
            LOG.log(Level.WARNING, "the glue failed to take a blocked-loop report", failure);
        }
    }

    /**
     * Calls a handler. Whatever it throws becomes a failed stage (a 500), errors too: a stack overflow in one
     * handler must not end the thread that called it, least of all an I/O thread that serves many connections.
     */
    private static CompletionStage<Response> call(Handler handler, CoreRequest request) {
        try {
            CompletionStage<Response> stage = handler.handle(request);
            if (stage == null) {
                throw new NullPointerException(handler + " returned no stage");
            }
            return stage;
        } catch (Throwable failure) {
            return CompletableFuture.failedStage(failure);
        }
    }

    private static Response notFound() {
        return ErrorPages.page(404, "Nothing is served at this path.");
    }
}

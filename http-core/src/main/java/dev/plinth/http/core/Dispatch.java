package dev.plinth.http.core;

import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Response;
import java.lang.System.Logger.Level;
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
        if (!asksInline(connection, glue)) {
            // a glue that may block is asked on a worker, as is any handler then
            current.serial().execute(() -> follow(connection, current, ask(glue, current), false));
            return;
        }
        follow(connection, current, ask(glue, current), true);
    }

    private static boolean asksInline(HttpConnection connection, Glue glue) {
        return glue.nonBlocking() && connection.config().runsInline();
    }

    /** @return the glue's decision; a glue that failed decides a 500, through the path of a deferred decision */
    private static Glue.Decision ask(Glue glue, Exchange current) {
        try {
            Glue.Decision decision = glue.choose(current.request);
            if (decision == null) {
                throw new NullPointerException(glue + " decided nothing");
            }
            return decision;
        } catch (RuntimeException | LinkageError failure) {
            return new Glue.Later(CompletableFuture.failedStage(failure));
        }
    }

    /**
     * Acts on the glue's decision.
     *
     * @param inline whether this thread has the connection and may run a non-blocking handler; otherwise it is a
     *     worker of the exchange
     */
    private static void follow(HttpConnection connection, Exchange current, Glue.Decision decision, boolean inline) {
        if (decision instanceof Glue.Choice choice) {
            if (!choice.occupancy().enter(current)) {
                // its service is leaving: the glue's table has changed since, so it decides again, once
                Glue.Decision again = ask(connection.services().glue(), current);
                if (again instanceof Glue.Choice same && same.occupancy() == choice.occupancy()) {
                    answer(
                            connection,
                            current,
                            ErrorPages.page(503, "The handler of this path is being stopped."),
                            inline);
                } else {
                    follow(connection, current, again, inline);
                }
                return;
            }
            current.occupancy = choice.occupancy();
            current.compressAllowed = choice.compress();
            current.request.routedBy(choice.prefix());
            Handler handler = choice.handler();
            if (choice.nonBlocking() && inline) {
                runInline(connection, current, handler);
            } else if (inline) {
                current.serial().execute(() -> answerLater(connection, current, call(handler, current)));
            } else {
                answerLater(connection, current, call(handler, current));
            }
        } else if (decision instanceof Glue.Later later) {
            later.decision()
                    .whenComplete((next, failure) ->
                            connection.endpoint().execute(() -> decided(connection, current, next, failure)));
        } else {
            answer(connection, current, ErrorPages.page(404, "Nothing is served at this path."), inline);
        }
    }

    private static void answer(HttpConnection connection, Exchange current, Response response, boolean inline) {
        if (inline) {
            connection.handlerAnswered(current, response, null);
        } else {
            answerLater(connection, current, CompletableFuture.completedStage(response));
        }
    }

    /** A deferred decision arrived. Runs on the connection's thread. */
    private static void decided(HttpConnection connection, Exchange current, Glue.Decision next, Throwable failure) {
        if (connection.isClosed() || connection.exchange() != current || current.phase() != Exchange.Phase.HANDLING) {
            return; // the client left, or the handler timeout answered meanwhile
        }
        if (failure != null || next == null) {
            connection.handlerAnswered(current, null, failure);
        } else if (asksInline(connection, connection.services().glue())) {
            follow(connection, current, next, true);
        } else {
            current.serial().execute(() -> follow(connection, current, next, false));
        }
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
            stage = call(handler, current);
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
    private static CompletionStage<Response> call(Handler handler, Exchange current) {
        try {
            CompletionStage<Response> stage = handler.handle(current.request);
            if (stage == null) {
                throw new NullPointerException(handler + " returned no stage");
            }
            return stage;
        } catch (Throwable failure) {
            return CompletableFuture.failedStage(failure);
        }
    }
}

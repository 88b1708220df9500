package dev.plinth.http.core;

import dev.plinth.http.handler.Response;
import java.util.function.BiConsumer;

/**
 * Receives the answer of a handler called inline, on the thread that has the connection. Completed while that
 * thread is still in the call, on that thread, it is kept and handed on once registration returns
 * ({@link #takeOver}), with no hand-off; completed later or elsewhere, it goes through
 * {@link Endpoint#runOrExecute} like a worker's answer.
 */
final class InlineAnswer implements BiConsumer<Response, Throwable> {

    private final HttpConnection connection;
    private final Exchange exchange;
    private final Endpoint endpoint;
    private final Thread caller = Thread.currentThread();
    /** Read and written only by {@link #caller}. */
    private boolean open = true;

    private boolean ready;
    private Response response;
    private Throwable failure;

    /**
     * @param connection the connection, which frames the answer on a thread that has it
     * @param exchange the exchange answered
     */
    InlineAnswer(HttpConnection connection, Exchange exchange) {
        this.connection = connection;
        this.exchange = exchange;
        this.endpoint = connection.endpoint();
    }

    @Override
    public void accept(Response answer, Throwable failed) {
        if (open && Thread.currentThread() == caller) {
            ready = true;
            response = answer;
            failure = failed;
        } else {
            endpoint.runOrExecute(() -> connection.handlerAnswered(exchange, answer, failed));
        }
    }

    /** Called by the caller after registering: hands on an answer that was ready, else leaves it to later. */
    void takeOver() {
        open = false;
        if (!ready) {
            return;
        }
        if (endpoint.tasksQueued()) {
            // the handler queued work for this connection (a body subscription): the answer goes after it, as a
            // worker's would
            endpoint.execute(() -> connection.handlerAnswered(exchange, response, failure));
        } else {
            connection.handlerAnswered(exchange, response, failure);
        }
    }
}

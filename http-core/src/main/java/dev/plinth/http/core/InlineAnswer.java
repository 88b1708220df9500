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

    private final Endpoint endpoint;
    private final BiConsumer<Response, Throwable> answered;
    private final Thread caller = Thread.currentThread();
    /** Read and written only by {@link #caller}. */
    private boolean open = true;
    private boolean ready;
    private Response response;
    private Throwable failure;

    /**
     * @param endpoint the connection's endpoint
     * @param answered frames the answer; called by a thread that has the connection
     */
    InlineAnswer(Endpoint endpoint, BiConsumer<Response, Throwable> answered) {
        this.endpoint = endpoint;
        this.answered = answered;
    }

    @Override
    public void accept(Response answer, Throwable failed) {
        if (open && Thread.currentThread() == caller) {
            ready = true;
            response = answer;
            failure = failed;
        } else {
            endpoint.runOrExecute(() -> answered.accept(answer, failed));
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
            endpoint.execute(() -> answered.accept(response, failure));
        } else {
            answered.accept(response, failure);
        }
    }
}

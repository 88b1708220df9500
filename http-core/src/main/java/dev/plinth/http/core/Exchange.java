package dev.plinth.http.core;

import dev.plinth.http.handler.Response;
import java.util.concurrent.Executor;

/**
 * One request and its response on a connection. Fields are touched only by the thread that has the connection.
 */
final class Exchange {

    private final HttpConnection connection;
    private final Executor workers;
    /** Created on first use: an exchange answered inline from memory never needs one. */
    private SerialExecutor serial;
    final RequestBody body;
    CoreRequest request;
    /** Why the request target was refused, when {@link #request} could not be made. */
    String badTarget;
    final boolean expectContinue;
    boolean continueSent;
    boolean requestComplete;
    /** The head has been queued: no error page is possible any more, only a close. */
    boolean responseStarted;
    boolean responseComplete;
    /** Nobody reads the rest of the request body: it is read and dropped (before or after the response). */
    boolean draining;
    long drained;
    /** An answer held until the unread body is drained and checked, so its framing can keep its promise. */
    Response held;
    /** Something about the request (a bad or oversized unread body, its end missing) rules out persistence. */
    boolean cannotPersist;
    BodySender sender;
    /** The handler answered, or the timeout answered for it: a later answer is dropped. */
    boolean answered;
    /** The handler was called: the handler timeout runs. */
    boolean dispatched;
    final long startNanos = System.nanoTime();
    int status;
    long bodyBytes;
    boolean recorded;
    /** When the body last moved, or was last asked for: the stalled-body timeout counts from here. */
    long bodyProgress = startNanos;

    Exchange(HttpConnection connection, Executor workers, boolean expectContinue) {
        this.connection = connection;
        this.workers = workers;
        this.expectContinue = expectContinue;
        this.body = new RequestBody(this);
    }

    Endpoint endpoint() {
        return connection.endpoint();
    }

    SerialExecutor serial() {
        if (serial == null) {
            serial = new SerialExecutor(workers);
        }
        return serial;
    }

    boolean requestComplete() {
        return requestComplete;
    }

    boolean isOver() {
        return responseComplete || connection.isClosed();
    }

    boolean connectionClosed() {
        return connection.isClosed();
    }

    /** Whether the connection should read for this exchange now. */
    boolean wantsInput() {
        return !requestComplete && (draining || body.hasDemand());
    }

    /** The body's subscriber asked for more. */
    void bodyDemanded() {
        bodyProgress = System.nanoTime();
        if (expectContinue && !continueSent && !responseStarted && !requestComplete) {
            continueSent = true;
            endpoint().write(ResponseHead.continueLine());
        }
        connection.resume(this);
    }
}

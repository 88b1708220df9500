package dev.plinth.http.core;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * One request and its response on a connection. Fields are touched only by the thread that has the connection.
 *
 * <p>The response side moves through {@link Phase}s, forward only and only by {@link #to}, which refuses a move the
 * protocol does not allow. The request side has two facts of its own, because its body ends independently of the
 * response: {@link #requestComplete} (the parser saw the body's end) and {@link #cannotPersist} (the body was bad,
 * too long to skip, or cut short, so the connection closes after this response).
 */
final class Exchange {

    /** Where an exchange's response is. Moves forward only, through {@link Exchange#to}. */
    enum Phase {
        /** The head is parsed: the server answers it itself (501, 417, {@code OPTIONS *}) or asks the glue. */
        ADMITTED,
        /** A handler has the request: its answer is awaited and the handler timeout runs. */
        HANDLING,
        /** Answered; the answer waits until the unread request body is read and checked, so its framing holds. */
        HELD,
        /** Answered with a stream: the head waits for the first part, so a failure before it is still a 500. */
        STREAMING,
        /** The head is queued: no error page is possible any more, only a close. */
        SENDING,
        /** The response is queued whole. What is left of the request body is read and dropped. */
        SENT;

        /** @return whether an exchange in this phase may move to {@code next} */
        boolean leadsTo(Phase next) {
            return switch (this) {
                case ADMITTED -> next == HANDLING || next.isAnswered();
                case HANDLING -> next.isAnswered();
                case STREAMING -> next == HELD || next == SENDING; // a stream that failed first becomes an error page
                case HELD -> next == SENDING;
                case SENDING -> next == SENT;
                case SENT -> false;
            };
        }

        private boolean isAnswered() {
            return this == HELD || this == STREAMING || this == SENDING;
        }
    }

    private final HttpConnection connection;
    private final Executor workers;
    /** Created on first use: an exchange answered inline from memory never needs one. */
    private SerialExecutor serial;

    private Phase phase = Phase.ADMITTED;
    final RequestBody body;
    CoreRequest request;
    /** Why the request target was refused, when {@link #request} could not be made. */
    String badTarget;
    /** The client sends its body only after {@code 100 Continue}, which is not sent yet. */
    boolean awaitingContinue;

    boolean requestComplete;
    /** Something about the request (a bad or oversized unread body, its end missing) rules out persistence. */
    boolean cannotPersist;

    long drained;
    /** The answer, while {@link Phase#HELD}. */
    Response held;
    /** The stream's sender, from {@link Phase#STREAMING} on. */
    BodySender sender;
    /** The handler's service this exchange is entered in, until the handler is done with it. */
    Occupancy occupancy;
    /** Whether the handler's service lets the listener compress its answer ({@code plinth.handler.compress}). */
    boolean compressAllowed = true;
    /** The answer's body never ends by itself: a drain does not wait for it. Read by the draining thread. */
    volatile boolean endless;

    final long startNanos = System.nanoTime();
    int status;
    long bodyBytes;
    boolean recorded;
    /** When the body last moved, or was last asked for: the stalled-body timeout counts from here. */
    long bodyProgress = startNanos;

    Exchange(HttpConnection connection, Executor workers, boolean expectContinue) {
        this.connection = connection;
        this.workers = workers;
        this.awaitingContinue = expectContinue;
        this.body = new RequestBody(this);
    }

    /**
     * Moves the response on.
     *
     * @param next the phase it enters
     * @throws IllegalStateException if the protocol has no such move from the current phase: a bug in the core
     */
    void to(Phase next) {
        if (!phase.leadsTo(next)) {
            throw new IllegalStateException("an exchange cannot move from " + phase + " to " + next);
        }
        phase = next;
    }

    /** @return the phase of the response */
    Phase phase() {
        return phase;
    }

    /** @return whether the response has begun going out (or is a stream about to), so no error page can replace it */
    boolean responseBegun() {
        return phase == Phase.STREAMING || phase == Phase.SENDING || phase == Phase.SENT;
    }

    /** @return whether what arrives of the request body is read and dropped: nobody will read it */
    boolean draining() {
        return phase == Phase.HELD || phase == Phase.SENT;
    }

    /**
     * Whether to read the rest of an unread request body before framing this answer. An answer that promises a
     * persistent connection must not be followed by a close because the body turned out malformed or too long
     * (RFC 9112 §9.3, §9.6), so a body that nobody reads and that may be small enough to skip is read and checked
     * first. A body too long to skip, or one the client withholds until {@code 100 Continue}, is not waited for:
     * the answer says {@code Connection: close} at once ({@link #unreadBodyEndsConnection}).
     *
     * @param response the answer
     * @param stopping whether the server is stopping (it waits for no body then)
     * @param drainLimit the most bytes of an unread body skipped to keep a connection
     * @return whether to {@linkplain #hold hold} the answer
     */
    boolean mustReadBodyFirst(Response response, boolean stopping, long drainLimit) {
        // a streamed answer may be the request body itself (an echo, a proxy): it is never held, and its framing is
        // decided at its first part anyway
        return !(response.body() instanceof Body.Parts)
                && !requestComplete
                && !body.isActive()
                && !stopping
                && !cannotPersist
                && !awaitingContinue
                && request.contentLength() <= drainLimit;
    }

    /**
     * @param drainLimit the most bytes of an unread body skipped to keep a connection
     * @return whether an unread body that cannot be skipped cheaply, or that the client may be withholding for
     *         {@code 100 Continue}, ends the connection after this response
     */
    boolean unreadBodyEndsConnection(long drainLimit) {
        return !requestComplete && !body.isActive() && (awaitingContinue || request.contentLength() > drainLimit);
    }

    /** Keeps the answer until the body is drained; nobody may subscribe to the body any more. */
    void hold(Response response) {
        to(Phase.HELD);
        held = response;
        body.skip();
        bodyProgress = System.nanoTime();
    }

    /** @return the held answer, or null; it is no longer held */
    Response takeHeld() {
        Response response = held;
        held = null;
        return response;
    }

    /**
     * Lets go of an answer that will never be sent.
     *
     * @param response the answer, or null
     */
    static void release(Response response) {
        if (response != null && response.body() instanceof Body.FileRegion file) {
            try {
                file.channel().close();
            } catch (IOException ignored) {
                // nothing was sent from it
            }
        }
    }

    Endpoint endpoint() {
        return connection.endpoint();
    }

    /** The handler's service is leaving and its drain is over: the connection ends this exchange. Any thread. */
    void cut() {
        endpoint().execute(() -> connection.handlerLeft(this));
    }

    /** The answer is a body that never ends by itself. */
    void becameEndless() {
        endless = true;
        if (occupancy != null) {
            occupancy.becameEndless();
        }
    }

    /** The handler is done with this exchange. */
    void leaveOccupancy() {
        Occupancy entered = occupancy;
        if (entered != null) {
            occupancy = null;
            entered.exit(this);
        }
    }

    SerialExecutor serial() {
        if (serial == null) {
            serial = new SerialExecutor(workers);
        }
        return serial;
    }

    boolean isOver() {
        return phase == Phase.SENT || connection.isClosed();
    }

    boolean connectionClosed() {
        return connection.isClosed();
    }

    /** Whether the connection should read for this exchange now. */
    boolean wantsInput() {
        return !requestComplete && (draining() || body.hasDemand());
    }

    /** The body's subscriber asked for more. */
    void bodyDemanded() {
        bodyProgress = System.nanoTime();
        if (awaitingContinue && !requestComplete && phase != Phase.SENDING && phase != Phase.SENT) {
            awaitingContinue = false;
            endpoint().write(ResponseHead.continueLine());
        }
        connection.resume(this);
    }
}

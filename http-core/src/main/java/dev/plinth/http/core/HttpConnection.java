package dev.plinth.http.core;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import dev.plinth.http.parser.HttpParseException;
import dev.plinth.http.parser.RequestParser;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The exchange state machine of one connection: parse a request head, admit it, get it to its handler
 * ({@link Dispatch}), frame the answer, then the next request. Each request's {@link Exchange} moves through its
 * {@linkplain Exchange.Phase phases} (admitted, handling, held or streaming, sending, sent); this class makes the
 * moves, the exchange checks that each is legal. Requests are answered strictly in order; the next one is not parsed
 * before the current response is complete. Pipelined requests wait unparsed in what the transport has read (one read
 * buffer at most): while the connection does not consume input, the transport stops reading, so the client's further
 * requests wait in the socket, never in the server's memory.
 *
 * <p>Every method is called by one thread at a time, one that has the connection (see the package documentation):
 * usually the endpoint's thread, sometimes a worker that writes its handler's answer itself.
 */
public final class HttpConnection {

    private static final System.Logger LOG = System.getLogger(HttpConnection.class.getName());
    private static final String HANDLER_LEFT = "The handler of this path was stopped before it answered.";

    private final CoreConfig config;
    private final CoreServices services;
    private final Endpoint endpoint;
    private final RequestParser parser;
    private Exchange exchange;
    private boolean closed;
    /** The server is stopping: finish the exchange in progress, then close. */
    private boolean stopping;

    private long idleSince = System.nanoTime();
    private long headStarted;
    /** Request heads admitted on this connection, for operators. */
    private long requestsServed;

    /** The parser's listener, which also holds the head being parsed: one object, as an idle connection is small. */
    private final RequestEvents head = new RequestEvents(this);
    /** Created on the first exchange published to an access log: most servers have none. */
    private ExchangeLog log;

    /**
     * @param config limits and behaviour
     * @param services the glue, worker threads, access log and counters shared by connections
     * @param endpoint the transport's side of this connection
     */
    public HttpConnection(CoreConfig config, CoreServices services, Endpoint endpoint) {
        this.config = config;
        this.services = services;
        this.endpoint = endpoint;
        this.parser = new RequestParser(config.parser(), head);
    }

    /**
     * Bytes arrived. The connection consumes what it can use now; the transport keeps the rest and offers it again
     * (with more) when the connection resumes reading.
     *
     * @param input bytes read, between position and limit
     */
    public void onInput(ByteBuffer input) {
        try {
            advance(input);
        } catch (HttpParseException e) {
            rejectRequest(e.status(), e.reason());
        }
    }

    /** The peer will send nothing more. */
    public void onInputEnd() {
        if (closed) {
            return;
        }
        Exchange current = exchange;
        if (current == null) {
            try {
                parser.endOfInput();
                endpoint.closeAfterWriting(); // between requests: nothing is owed
            } catch (HttpParseException e) {
                rejectRequest(e.status(), e.reason());
            }
        } else if (current.held != null) {
            releaseHeld(current, true); // the body's end never comes; the answer still may be read
        } else if (!current.requestComplete) {
            abort("the client closed the connection before the request body's end");
        }
        // else: a complete request is being answered; the response is still owed to a half-closed client
    }

    /** Queued output fell below the ceiling: pull more from the handler. */
    public void onWritable() {
        Exchange current = exchange;
        if (current != null && current.sender != null) {
            current.sender.pull();
        }
    }

    /** The connection is gone. Cancels the handler's streams. */
    public void onClose() {
        if (closed) {
            return;
        }
        closed = true;
        endExchange("connection closed");
    }

    /**
     * Checks the timeouts: idle, request head deadline, stalled body (408 or a close) and a handler that does not
     * answer (503). The transport calls this a few times a second; a timer per request would cost more than it
     * saves.
     *
     * @param now the current {@link System#nanoTime()}
     */
    public void onTick(long now) {
        if (closed) {
            return;
        }
        CoreConfig.Timeouts timeouts = config.timeouts();
        Exchange current = exchange;
        if (current == null) {
            if (parser.isIdle()) {
                if (now - idleSince > TimeUnit.MILLISECONDS.toNanos(timeouts.idleMillis())) {
                    closed = true;
                    endpoint.closeAfterWriting(); // a response may still be on its way out
                }
            } else if (now - headStarted > TimeUnit.MILLISECONDS.toNanos(timeouts.headerMillis())) {
                rejectRequest(408, "the request head was not complete within " + timeouts.headerMillis() + " ms");
            }
        } else if (current.wantsInput()
                && now - current.bodyProgress > TimeUnit.MILLISECONDS.toNanos(timeouts.bodyMillis())) {
            rejectRequest(408, "no request body bytes for " + timeouts.bodyMillis() + " ms");
        } else if (current.phase() == Exchange.Phase.HANDLING
                // from the head, or from the body's last move: a handler reading a long upload is not late
                && now - current.bodyProgress > TimeUnit.MILLISECONDS.toNanos(timeouts.handlerMillis())) {
            handlerTimedOut(current);
        }
    }

    /**
     * The server is stopping: an idle connection closes now; one in an exchange finishes it, says
     * {@code Connection: close} if its head is not sent yet, and closes. An open-ended body (endless, or
     * {@code Body.openEnded}) is not waited for: it ends now, cleanly.
     */
    public void shutdown() {
        if (closed) {
            return;
        }
        stopping = true;
        Exchange current = exchange;
        if (current == null || current.request == null) {
            closed = true;
            endpoint.closeAfterWriting();
        } else if (current.held != null) {
            releaseHeld(current, true); // no waiting for a body nobody reads while the server stops
        } else if (current.endless && current.sender != null) {
            current.sender.endNow(); // a body that never ends by itself ends here, cleanly, and the connection with it
        }
    }

    /**
     * Answers at once with an error and closes, without reading a request: for a server over its connection limit.
     *
     * @param status the status, such as 503
     * @param reason one sentence for the page
     */
    public void refuse(int status, String reason) {
        rejectRequest(status, reason);
    }

    /**
     * How many requests this connection has taken so far: heads parsed and admitted, whatever their answer. Called
     * by a thread that has the connection.
     *
     * @return the count, 0 before the first request
     * @since 3.0
     */
    public long requestsServed() {
        return requestsServed;
    }

    /**
     * Where the connection is, in a word or two for operators: {@code idle} (waiting for a request),
     * {@code reading head}, then the phase of the exchange in progress: {@code admitted}, {@code handling} (the
     * handler has it), {@code held} (answered; its unread request body is read first), {@code streaming} (awaiting
     * the first part), {@code sending} (parts going out), {@code sent} (what is left of the request body is
     * skipped); or {@code closing} (its last answer is on its way out). Called by a thread that has the connection.
     *
     * @return the state
     * @since 3.0
     */
    public String state() {
        if (closed) {
            return "closing";
        }
        Exchange current = exchange;
        if (current == null) {
            return parser.isIdle() ? "idle" : "reading head";
        }
        return switch (current.phase()) {
            case ADMITTED -> "admitted";
            case HANDLING -> "handling";
            case HELD -> "held";
            case STREAMING -> "streaming";
            case SENDING -> "sending";
            case SENT -> "sent";
        };
    }

    Endpoint endpoint() {
        return endpoint;
    }

    CoreConfig config() {
        return config;
    }

    /** @return the {@code Strict-Transport-Security} value for this connection's answers: none over plain HTTP */
    String strictTransportSecurity() {
        String value = config.strictTransportSecurity();
        return value.isEmpty() || endpoint.tlsSession() == null ? "" : value;
    }

    CoreServices services() {
        return services;
    }

    boolean isClosed() {
        return closed;
    }

    private void advance(ByteBuffer input) throws HttpParseException {
        while (!closed) {
            Exchange current = exchange;
            if (current == null) {
                if (!input.hasRemaining()) {
                    endpoint.setReading(true);
                    return;
                }
                boolean wasIdle = parser.isIdle();
                parser.parse(input);
                if (wasIdle && !parser.isIdle()) {
                    headStarted = System.nanoTime();
                }
                if (exchange == null) {
                    endpoint.setReading(true); // the head is not complete yet
                    return;
                }
                if (exchange.request == null) {
                    rejectRequest(400, exchange.badTarget);
                    return;
                }
                start(exchange);
            } else if (current.wantsInput()) {
                if (!input.hasRemaining()) {
                    endpoint.setReading(true);
                    return;
                }
                parser.parse(input);
                current.bodyProgress = System.nanoTime();
                if (current.held != null && (current.requestComplete || current.cannotPersist)) {
                    releaseHeld(current, current.cannotPersist);
                } else if (current.requestComplete && current.phase() == Exchange.Phase.SENT) {
                    next(current);
                }
            } else {
                endpoint.setReading(false);
                return;
            }
        }
    }

    /** Resumes reading for {@code current} if it wants input. */
    void resume(Exchange current) {
        if (!closed && current == exchange && current.wantsInput()) {
            endpoint.setReading(true);
        }
    }

    private void start(Exchange current) {
        services.counters().request();
        requestsServed++;
        Response own = Admission.serverAnswer(current.request);
        if (own != null) {
            respond(current, own);
            return;
        }
        current.to(Exchange.Phase.HANDLING);
        Dispatch.start(this, current);
    }

    private void handlerTimedOut(Exchange current) {
        LOG.log(
                Level.WARNING,
                "handler did not answer {0} within {1} ms",
                current.request,
                config.timeouts().handlerMillis());
        respond(current, ErrorPages.page(503, "The handler did not answer in time."));
    }

    /**
     * The handler answered (or failed). Called by a thread that has the connection; a late answer is dropped.
     *
     * @param current the exchange answered
     * @param response the answer, or null
     * @param failure why there is none, or null
     */
    void handlerAnswered(Exchange current, Response response, Throwable failure) {
        if (closed || current != exchange || current.phase() != Exchange.Phase.HANDLING) {
            Exchange.release(response); // too late: the connection or the timeout went first
            return;
        }
        if (failure != null || response == null) {
            respond(current, ErrorPages.failure(current.request, failure));
        } else {
            respond(current, response);
        }
    }

    private void respond(Exchange current, Response response) {
        if (current.mustReadBodyFirst(response, stopping, config.drainLimit())) {
            current.hold(response);
            endpoint.setReading(true);
            return;
        }
        ContentTypes.defaultCharset(response);
        response = ResponseCompression.apply(current.request, response, config.compression(), current.compressAllowed);
        Body body = response.body();
        current.status = response.status();
        Framing framing = frame(current, response);
        if (framing.sendBody() && body instanceof Body.Parts parts) {
            // the head waits for the first part: a failure before it can still become a 500, and by then the
            // handler may have started reading the request body, which changes whether the connection can persist
            BodySender sender = new BodySender(this, current, response, framing.kind(), config.outboundCeiling());
            current.to(Exchange.Phase.STREAMING);
            current.sender = sender;
            if (parts.openEnded()) {
                current.becameEndless();
            }
            current.serial().execute(() -> parts.publisher().subscribe(sender));
            return;
        }
        ByteBuffer head = ResponseHead.encode(
                response.status(), response.headers(), framing, config.serverName(), strictTransportSecurity());
        current.to(Exchange.Phase.SENDING);
        current.bodyBytes = framing.sendBody() ? body.length() : 0;
        if (!framing.sendBody()) {
            Exchange.release(response);
            endpoint.write(head);
        } else if (body instanceof Body.Bytes bytes) {
            endpoint.write(head, bytes.content());
        } else if (body instanceof Body.FileRegion file) {
            endpoint.write(head);
            endpoint.writeFile(file.channel(), file.position(), file.length());
        }
        finishResponse(current, framing.persistent());
    }

    /**
     * Frames the held answer now that the body is read, or now that it cannot be (malformed, too long, its end
     * missing or late): then the answer says {@code Connection: close}.
     */
    private void releaseHeld(Exchange current, boolean close) {
        if (close) {
            current.cannotPersist = true; // the connection closes after this answer: read nothing more for it
        }
        respond(current, current.takeHeld());
    }

    /**
     * Decides the framing of {@code response} as things stand now.
     *
     * @param current the exchange
     * @param response its response
     * @return the framing
     */
    Framing frame(Exchange current, Response response) {
        CoreRequest request = current.request;
        boolean mustClose = stopping || current.cannotPersist || current.unreadBodyEndsConnection(config.drainLimit());
        return Framing.decide(
                request.method(),
                request.version(),
                request.headers(),
                response.status(),
                response.headers(),
                response.body(),
                mustClose);
    }

    /**
     * The handler's service left and its drain is over (see {@link Occupancy#drain}): an unanswered exchange is
     * answered 503, an endless body ends cleanly, a finite body already begun ends its connection.
     *
     * @param current the exchange
     */
    void handlerLeft(Exchange current) {
        if (closed || current != exchange) {
            current.leaveOccupancy(); // over already
            return;
        }
        BodySender sender = current.sender;
        switch (current.phase()) {
            case ADMITTED, HANDLING -> respond(current, ErrorPages.page(503, HANDLER_LEFT));
            case HELD -> {
                if (current.held.body() instanceof Body.Parts) {
                    current.held = ErrorPages.page(503, HANDLER_LEFT); // nothing will publish its parts
                }
            }
            case STREAMING, SENDING -> {
                if (current.endless) {
                    sender.endNow();
                } else if (current.phase() == Exchange.Phase.STREAMING) {
                    sender.cancel();
                    current.sender = null;
                    respond(current, ErrorPages.page(503, HANDLER_LEFT));
                } else {
                    abort("the handler was stopped before its response body's end");
                }
            }
            case SENT -> {}
        }
        current.leaveOccupancy();
    }

    /**
     * Called by the body sender when the whole body is queued.
     *
     * @param current the exchange
     * @param persistent whether its framing lets the connection be reused
     */
    void responseComplete(Exchange current, boolean persistent) {
        if (!closed && current == exchange) {
            finishResponse(current, persistent);
        }
    }

    /** Called by the body sender when the handler's body failed or broke its declared length. */
    void responseFailed(Exchange current, Throwable failure) {
        if (closed || current != exchange) {
            return;
        }
        if (current.phase() == Exchange.Phase.STREAMING) {
            current.sender = null;
            respond(current, ErrorPages.failure(current.request, failure));
            return;
        }
        LOG.log(
                Level.WARNING,
                "response body failed after the head was sent on " + current.request + "; closing the connection",
                failure);
        abort("the response failed");
    }

    private void finishResponse(Exchange current, boolean persistent) {
        current.to(Exchange.Phase.SENT);
        current.leaveOccupancy();
        if (current.status >= 500) {
            services.counters().error();
        }
        logExchange(current, true);
        if (!persistent || stopping) {
            current.body.fail(new IOException("the exchange is over"));
            closed = true;
            endpoint.closeAfterWriting();
            return;
        }
        if (current.requestComplete) {
            next(current);
            endpoint.setReading(true);
            return;
        }
        current.body.fail(new IOException("the response is complete; the rest of the request body is skipped"));
        endpoint.setReading(true); // to drain it
    }

    /** @return the exchange in progress, or null between requests */
    Exchange exchange() {
        return exchange;
    }

    /** The parser completed a head: its exchange begins. */
    void headParsed(Exchange created) {
        exchange = created;
    }

    /**
     * Drops a part of a request body that nobody reads, as long as it stays within the drain limit.
     *
     * @return whether to stop parsing: the body is too long to skip
     */
    boolean drain(Exchange current, ByteBuffer part) {
        current.drained += part.remaining();
        part.position(part.limit());
        if (current.drained <= config.drainLimit()) {
            return false;
        }
        if (current.phase() == Exchange.Phase.HELD) {
            current.cannotPersist = true; // too long to skip: answer now, with Connection: close
        } else {
            closed = true; // the response is queued already; let it go out, then stop
            endpoint.closeAfterWriting();
        }
        return true;
    }

    private void next(Exchange current) {
        if (exchange == current) {
            exchange = null;
            parser.reset();
            idleSince = System.nanoTime();
        }
    }

    private void rejectRequest(int status, String rule) {
        if (closed) {
            return;
        }
        Exchange current = exchange;
        if (current != null && current.responseBegun()) {
            abort("bad request body: " + rule); // counts the error
            return;
        }
        services.counters().error();
        if (current != null && current.held != null) {
            // the body we read only to keep the connection is bad or late: the answer goes out, then the close
            LOG.log(
                    Level.DEBUG,
                    "unread request body rejected ({0} {1}); answering with Connection: close",
                    status,
                    rule);
            releaseHeld(current, true);
            return;
        }
        if (current != null && current.request != null) {
            current.body.fail(new IOException("bad request body: " + rule));
            current.leaveOccupancy();
        }
        LOG.log(Level.DEBUG, "rejecting request: {0} {1}", status, rule);
        Response page = ErrorPages.page(status, rule);
        if (services.accessLog() != AccessLog.NONE) {
            log().rejected(
                            current != null ? current.request : null,
                            head,
                            status,
                            page.body().length());
        }
        ByteBuffer head = ResponseHead.encode(
                status,
                page.headers(),
                new Framing(Framing.Kind.CONTENT_LENGTH, page.body().length(), true, false, false),
                config.serverName(),
                strictTransportSecurity());
        closed = true;
        endpoint.write(head, ((Body.Bytes) page.body()).content());
        endpoint.closeAfterWriting();
    }

    /** Closes at once, without a last chunk or anything else that could make a broken exchange look whole. */
    private void abort(String why) {
        if (!closed) {
            closed = true;
            services.counters().error();
            endExchange(why);
            endpoint.close();
        }
    }

    /** The connection is gone or going: the exchange's handler learns it, its streams stop, its record is kept. */
    private void endExchange(String why) {
        Exchange current = exchange;
        if (current == null) {
            return;
        }
        current.leaveOccupancy();
        Exchange.release(current.takeHeld());
        current.body.fail(new IOException(why));
        if (current.sender != null) {
            current.sender.cancel();
        }
        if (current.request != null && current.phase() != Exchange.Phase.SENT) {
            logExchange(current, false);
        }
    }

    private void logExchange(Exchange current, boolean complete) {
        if (services.accessLog() != AccessLog.NONE) {
            log().exchange(current, complete);
        }
    }

    private ExchangeLog log() {
        if (log == null) {
            log = new ExchangeLog(services, endpoint);
        }
        return log;
    }
}

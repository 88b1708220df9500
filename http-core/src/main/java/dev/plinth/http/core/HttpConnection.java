package dev.plinth.http.core;

import dev.plinth.http.handler.Bodies;
import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Glue;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Response;
import dev.plinth.http.parser.HttpParseException;
import dev.plinth.http.parser.RequestListener;
import dev.plinth.http.parser.RequestParser;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The exchange state machine of one connection: parse a request, pick its handler through the glue, run the handler
 * (on a worker, or here for a non-blocking one), frame its response, then the next request. Requests are answered
 * strictly in order; the next one is
 * not parsed before the current response is complete. Pipelined requests wait unparsed in what the transport has
 * read (one read buffer at most): while the connection does not consume input, the transport stops reading, so the
 * client's further requests wait in the socket, never in the server's memory.
 *
 * <p>Every method is called by one thread at a time, one that has the connection (see {@link Endpoint}): usually the
 * endpoint's thread, sometimes a worker that writes its handler's answer itself. Handler code runs on the worker
 * executor, never while a thread has the connection, with one exception: a handler the glue chose as
 * {@linkplain dev.plinth.http.handler.Handler#NONBLOCKING non-blocking} is called by the thread that parsed its
 * request, with the connection held, and timed by the {@link LoopWatchdog}; what it does to the connection (a body
 * subscription) is queued and runs after it, and an answer it has ready is framed once it returns.
 */
public final class HttpConnection {

    private static final System.Logger LOG = System.getLogger(HttpConnection.class.getName());

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

    /** The parser's listener, which also holds the head being parsed: one object, as an idle connection is small. */
    private final Events head = new Events();
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
            current.body.fail(new IOException("the client closed the connection before the request body's end"));
            abort();
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
        Exchange current = exchange;
        if (current != null) {
            dropHeld(current);
            current.body.fail(new IOException("connection closed"));
            if (current.sender != null) {
                current.sender.cancel();
            }
            if (current.request != null && !current.responseComplete) {
                logExchange(current, false);
            }
        }
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
        } else if (current.dispatched && !current.answered
                && now - current.startNanos > TimeUnit.MILLISECONDS.toNanos(timeouts.handlerMillis())) {
            handlerTimedOut(current);
        }
    }

    /**
     * The server is stopping: an idle connection closes now; one in an exchange finishes it, says
     * {@code Connection: close} if its head is not sent yet, and closes.
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

    Endpoint endpoint() {
        return endpoint;
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
                } else if (current.requestComplete && current.responseComplete) {
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
        CoreRequest request = current.request;
        services.counters().request();
        Response own = Admission.serverAnswer(request);
        if (own != null) {
            respond(current, own);
            return;
        }
        current.dispatched = true;
        Glue glue = services.glue();
        if (!glue.nonBlocking() || !config.runsInline()) {
            // a glue that may block is asked on a worker, as is any handler then
            current.serial().execute(() -> chooseAndRun(current, glue));
            return;
        }
        Optional<Glue.Choice> choice;
        try {
            choice = glue.choose(current.request);
        } catch (RuntimeException | LinkageError failure) {
            handlerAnswered(current, null, failure);
            return;
        }
        if (choice.isEmpty()) {
            handlerAnswered(current, notFound(), null);
        } else if (choice.get().nonBlocking()) {
            runInline(current, choice.get().handler());
        } else {
            Handler handler = choice.get().handler();
            current.serial().execute(() -> runHandler(current, handler));
        }
    }

    private void handlerTimedOut(Exchange current) {
        if (closed || current != exchange || current.answered) {
            return;
        }
        current.answered = true;
        LOG.log(Level.WARNING, "handler did not answer {0} within {1} ms", current.request,
                config.timeouts().handlerMillis());
        respond(current, ErrorPages.page(503, "The handler did not answer in time."));
    }

    /** On a worker: asks a glue that may block, then runs the handler it picks there. */
    private void chooseAndRun(Exchange current, Glue glue) {
        Optional<Glue.Choice> choice;
        try {
            choice = glue.choose(current.request);
        } catch (RuntimeException | LinkageError failure) {
            answerLater(current, CompletableFuture.failedStage(failure));
            return;
        }
        if (choice.isEmpty()) {
            answerLater(current, CompletableFuture.completedStage(notFound()));
        } else {
            runHandler(current, choice.get().handler());
        }
    }

    private void runHandler(Exchange current, Handler handler) {
        answerLater(current, call(handler, current.request));
    }

    /** An answer ready now (the usual case) is framed and written from here: no hand-over to the I/O thread. */
    private void answerLater(Exchange current, CompletionStage<Response> stage) {
        stage.whenComplete((response, failure) ->
                endpoint.runOrExecute(() -> handlerAnswered(current, response, failure)));
    }

    /**
     * Calls a non-blocking handler on this thread, which has the connection, and frames an answer that is ready
     * when it returns without any hand-off. The call is timed; one that held the thread too long is counted and
     * reported to the glue, which demotes a repeat offender to the workers.
     */
    private void runInline(Exchange current, Handler handler) {
        services.counters().inlineCall();
        LoopWatchdog.Call call = services.watchdog().enter(handler);
        CompletionStage<Response> stage;
        try {
            stage = call(handler, current.request);
        } finally {
            long held = call.exit();
            if (held > TimeUnit.MILLISECONDS.toNanos(config.inlineThresholdMillis())) {
                heldTooLong(handler, held, call);
            }
        }
        InlineAnswer answer = new InlineAnswer(this, current);
        try {
            stage.whenComplete(answer);
        } catch (Throwable failure) { // a handler's own stage must not take the I/O thread down with it
            answer.accept(null, failure);
        }
        answer.takeOver();
    }

    /** Counts a call that held the I/O thread too long; one the sampler caught blocking counts against its handler. */
    private void heldTooLong(Handler handler, long heldNanos, LoopWatchdog.Call call) {
        services.counters().blockedLoop();
        if (!call.reported()) {
            LOG.log(Level.WARNING, "handler {0} declared itself non-blocking but held an I/O thread for {1} ms",
                    handler, TimeUnit.NANOSECONDS.toMillis(heldNanos));
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

    /**
     * The handler answered (or failed). Called by a thread that has the connection; a late answer is dropped.
     *
     * @param current the exchange answered
     * @param response the answer, or null
     * @param failure why there is none, or null
     */
    void handlerAnswered(Exchange current, Response response, Throwable failure) {
        if (closed || current != exchange || current.answered) {
            release(response); // too late: the connection or the timeout went first
            return;
        }
        current.answered = true;
        if (failure != null || response == null) {
            respond(current, failurePage(current, failure));
        } else {
            respond(current, response);
        }
    }

    private Response failurePage(Exchange current, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof Bodies.BodyTooLargeException) {
            return ErrorPages.page(413, "The request body is too large.");
        }
        LOG.log(Level.WARNING, "handler failed on " + current.request, cause);
        return ErrorPages.page(500, "The handler failed.");
    }

    private void respond(Exchange current, Response response) {
        if (mustReadBodyFirst(current, response)) {
            hold(current, response);
            return;
        }
        Body body = response.body();
        ContentTypes.defaultCharset(response);
        current.status = response.status();
        Framing framing = frame(current, response);
        if (framing.sendBody() && body instanceof Body.Parts parts) {
            // the head waits for the first part: a failure before it can still become a 500, and by then the
            // handler may have started reading the request body, which changes whether the connection can persist
            BodySender sender = new BodySender(this, current, response, framing.kind(), config.outboundCeiling());
            current.sender = sender;
            current.serial().execute(() -> parts.publisher().subscribe(sender));
            return;
        }
        ByteBuffer head = ResponseHead.encode(response.status(), response.headers(), framing, config.serverName());
        current.responseStarted = true;
        current.bodyBytes = framing.sendBody() ? body.length() : 0;
        if (!framing.sendBody()) {
            release(response);
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
     * Whether to read the rest of an unread request body before framing the answer. An answer that promises a
     * persistent connection must not be followed by a close because the body turned out malformed or too long
     * (RFC 9112 §9.3, §9.6), so a body that nobody reads and that may be small enough to skip is read and checked
     * first. A body too long to skip, or one the client withholds until {@code 100 Continue}, is not waited for:
     * {@link #frame} answers with {@code Connection: close} at once.
     */
    private boolean mustReadBodyFirst(Exchange current, Response response) {
        // a streamed answer may be the request body itself (an echo, a proxy): it is never held, and its framing is
        // decided at its first part anyway
        return !(response.body() instanceof Body.Parts) && !current.requestComplete && !current.body.isActive()
                && !stopping && !current.cannotPersist && !(current.expectContinue && !current.continueSent)
                && current.request.contentLength() <= config.drainLimit();
    }

    private void hold(Exchange current, Response response) {
        current.held = response;
        current.draining = true;
        current.body.skip();
        current.bodyProgress = System.nanoTime();
        endpoint.setReading(true);
    }

    /**
     * Frames the held answer now that the body is read, or now that it cannot be (malformed, too long, its end
     * missing or late): then the answer says {@code Connection: close}.
     */
    private void releaseHeld(Exchange current, boolean close) {
        Response response = current.held;
        current.held = null;
        if (close) {
            current.cannotPersist = true;
            current.draining = false; // the connection closes after this answer: read nothing more for it
        }
        respond(current, response);
    }

    /** The connection is gone: a held answer will never be sent. */
    private void dropHeld(Exchange current) {
        Response response = current.held;
        current.held = null;
        release(response);
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
        // an unread body we cannot skip cheaply, or one the client may be withholding for 100-continue, ends the
        // connection after this response
        boolean mustClose = stopping || current.cannotPersist || !current.requestComplete && !current.body.isActive()
                && (current.expectContinue && !current.continueSent
                        || request.contentLength() > config.drainLimit());
        return Framing.decide(request.method(), request.version(), request.headers(), response.status(),
                response.headers(), response.body(), mustClose);
    }

    /**
     * @param response a response
     * @param framing its framing
     * @return its encoded head
     */
    ByteBuffer head(Response response, Framing framing) {
        return ResponseHead.encode(response.status(), response.headers(), framing, config.serverName());
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
        if (!current.responseStarted) {
            current.sender = null;
            respond(current, failurePage(current, failure));
            return;
        }
        // a truncated body must never look complete: close without a last chunk
        LOG.log(Level.WARNING, "response body failed after the head was sent on " + current.request
                + "; closing the connection", failure);
        abort();
    }

    private void finishResponse(Exchange current, boolean persistent) {
        current.responseComplete = true;
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
        current.draining = true;
        endpoint.setReading(true);
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
        services.counters().error();
        Exchange current = exchange;
        if (current != null && current.held != null) {
            // the body we read only to keep the connection is bad or late: the answer goes out, then the close
            LOG.log(Level.DEBUG, "unread request body rejected ({0} {1}); answering with Connection: close", status,
                    rule);
            releaseHeld(current, true);
            return;
        }
        if (current != null && current.request != null) {
            current.body.fail(new IOException("bad request body: " + rule));
            if (current.responseStarted || current.sender != null) {
                abort();
                return;
            }
        }
        LOG.log(Level.DEBUG, "rejecting request: {0} {1}", status, rule);
        Response page = ErrorPages.page(status, rule);
        CoreRequest request = current != null ? current.request : null;
        if (services.accessLog() != AccessLog.NONE) {
            log().rejected(request != null ? request.method() : head.method(),
                    request != null ? request.target() : head.target(),
                    request != null ? request.version() : head.version(), status, page.body().length());
        }
        ByteBuffer head = ResponseHead.encode(status, page.headers(),
                new Framing(Framing.Kind.CONTENT_LENGTH, page.body().length(), true, false, false),
                config.serverName());
        closed = true;
        endpoint.write(head, ((Body.Bytes) page.body()).content());
        endpoint.closeAfterWriting();
    }

    private void abort() {
        if (!closed) {
            Exchange current = exchange;
            closed = true;
            services.counters().error();
            if (current != null && current.request != null && !current.responseComplete) {
                logExchange(current, false);
            }
            if (current != null && current.sender != null) {
                current.sender.cancel();
            }
            if (current != null) {
                dropHeld(current);
            }
            endpoint.close();
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

    private static Response notFound() {
        return ErrorPages.page(404, "Nothing is served at this path.");
    }

    private static void release(Response response) {
        if (response != null && response.body() instanceof Body.FileRegion file) {
            try {
                file.channel().close();
            } catch (IOException ignored) {
                // nothing was sent from it
            }
        }
    }

    /** Parser events, building the current exchange. */
    private final class Events extends HeadInProgress implements RequestListener {

        @Override
        public void requestLine(String method, String target, int minorVersion) {
            begin(method, target, minorVersion);
        }

        @Override
        public void header(String name, String value) {
            field(name, value);
        }

        @Override
        public boolean headersComplete(long contentLength) {
            Exchange created = new Exchange(HttpConnection.this, services.workers(),
                    expectsContinue(contentLength));
            complete(created, endpoint, contentLength, services.workers());
            exchange = created;
            return contentLength != 0;
        }

        @Override
        public boolean content(ByteBuffer part) {
            Exchange current = exchange;
            if (current.draining) {
                current.drained += part.remaining();
                part.position(part.limit());
                if (current.drained > config.drainLimit() && current.held != null) {
                    current.cannotPersist = true; // too long to skip: answer now, with Connection: close
                    return true;
                }
                if (current.drained > config.drainLimit()) {
                    closed = true; // the response is queued already; let it go out, then stop
                    endpoint.closeAfterWriting();
                    return true;
                }
                return false;
            }
            return current.body.deliver(part);
        }

        @Override
        public boolean messageComplete() {
            Exchange current = exchange;
            current.requestComplete = true;
            current.body.complete();
            return true;
        }
    }
}

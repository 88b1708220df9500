package dev.plinth.http.core;

import dev.plinth.http.handler.Response;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * Pulls a streamed response body from the handler's publisher and frames it. It asks for one part at a time, and only
 * while the connection's queued output is below the ceiling, so a slow client slows the handler instead of filling
 * memory. The head goes out with the first part, or at the end, so a handler that fails before its first part still
 * gets a 500.
 */
final class BodySender implements Flow.Subscriber<ByteBuffer> {

    private final HttpConnection connection;
    private final Exchange exchange;
    private final Response response;
    private final Framing.Kind kind;
    private Framing framing;
    private final int ceiling;
    private Flow.Subscription subscription;
    private boolean outstanding;
    private boolean done;
    private long sent;

    BodySender(HttpConnection connection, Exchange exchange, Response response, Framing.Kind kind, int ceiling) {
        this.connection = connection;
        this.exchange = exchange;
        this.response = response;
        this.kind = kind;
        this.ceiling = ceiling;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        exchange.endpoint().execute(() -> {
            if (subscription != null) {
                exchange.serial().execute(s::cancel); // Reactive Streams §2.5
                return;
            }
            subscription = s;
            if (done) {
                exchange.serial().execute(s::cancel);
            } else {
                pull();
            }
        });
    }

    @Override
    public void onNext(ByteBuffer part) {
        exchange.endpoint().execute(() -> write(part));
    }

    @Override
    public void onError(Throwable failure) {
        exchange.endpoint().execute(() -> {
            if (!done) {
                done = true;
                connection.responseFailed(exchange, failure);
            }
        });
    }

    @Override
    public void onComplete() {
        exchange.endpoint().execute(this::finish);
    }

    /** Asks for the next part if there is room. Called on the connection's thread, also when output drains. */
    void pull() {
        if (done || outstanding || subscription == null || exchange.endpoint().pendingBytes() >= ceiling) {
            return;
        }
        outstanding = true;
        Flow.Subscription s = subscription;
        exchange.serial().execute(() -> s.request(1));
    }

    /** The connection went away: stop the publisher. */
    void cancel() {
        if (!done) {
            done = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                exchange.serial().execute(s::cancel);
            }
        }
    }

    /** The handler is leaving: ends an endless body here, cleanly, as if its publisher had completed. */
    void endNow() {
        if (done) {
            return;
        }
        Flow.Subscription s = subscription;
        if (s != null) {
            exchange.serial().execute(s::cancel);
        }
        finish();
    }

    private void write(ByteBuffer part) {
        outstanding = false;
        if (done) {
            return;
        }
        int size = part.remaining();
        sent += size;
        exchange.bodyBytes = sent;
        if (kind == Framing.Kind.CONTENT_LENGTH && sent > response.body().length()) {
            cancel();
            connection.responseFailed(
                    exchange,
                    new IllegalStateException("handler wrote more than its declared length "
                            + response.body().length()));
            return;
        }
        if (size > 0) {
            if (kind == Framing.Kind.CHUNKED) {
                send(ResponseHead.chunkSize(size), part, ResponseHead.crlf());
            } else {
                send(part);
            }
        }
        pull();
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        if (kind == Framing.Kind.CONTENT_LENGTH && sent != response.body().length()) {
            connection.responseFailed(
                    exchange,
                    new IllegalStateException("handler wrote " + sent + " bytes of its declared length "
                            + response.body().length()));
            return;
        }
        if (kind == Framing.Kind.CHUNKED) {
            send(ResponseHead.lastChunk());
        } else if (exchange.phase() == Exchange.Phase.STREAMING) {
            send(); // an empty body: the head goes out alone
        }
        connection.responseComplete(exchange, framing.persistent());
    }

    private void send(ByteBuffer... data) {
        if (exchange.phase() == Exchange.Phase.STREAMING) {
            exchange.to(Exchange.Phase.SENDING);
            framing = connection.frame(exchange, response);
            ByteBuffer[] withHead = new ByteBuffer[data.length + 1];
            withHead[0] = ResponseHead.encode(
                    response.status(),
                    response.headers(),
                    framing,
                    connection.config().serverName(),
                    connection.strictTransportSecurity());
            System.arraycopy(data, 0, withHead, 1, data.length);
            exchange.endpoint().write(withHead);
        } else if (data.length > 0) {
            exchange.endpoint().write(data);
        }
    }
}

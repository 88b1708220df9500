package dev.plinth.http.core;

import dev.plinth.http.handler.Bodies;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * A request body as a publisher. State is touched only by the thread that has the connection; subscriber signals go
 * through the exchange's serial executor (workers), also for a non-blocking handler. Demand is what lets the
 * connection read the socket.
 */
final class RequestBody implements Flow.Publisher<ByteBuffer> {

    private final Exchange exchange;
    private Flow.Subscriber<? super ByteBuffer> subscriber;
    private long demand;
    private long received;
    private boolean cancelled;
    private boolean terminated;

    RequestBody(Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> candidate) {
        exchange.endpoint().execute(() -> attach(candidate));
    }

    /** @return whether the subscriber wants bytes now */
    boolean hasDemand() {
        return demand > 0 && !cancelled && !terminated;
    }

    /** @return whether anyone subscribed and has not cancelled */
    boolean isActive() {
        return subscriber != null && !cancelled && !terminated;
    }

    /**
     * Hands a part to the subscriber.
     *
     * @param part bytes valid only during this call; copied
     * @return whether to stop parsing: the subscriber's demand is used up, and the body does not end with this
     *         part (when it does, the parser goes on to the end, so the subscriber learns it without asking again)
     */
    boolean deliver(ByteBuffer part) {
        if (!hasDemand()) {
            return true;
        }
        ByteBuffer copy = ByteBuffer.allocate(part.remaining());
        copy.put(part).flip();
        demand--;
        received += copy.remaining();
        Flow.Subscriber<? super ByteBuffer> target = subscriber;
        exchange.serial().execute(() -> target.onNext(copy));
        return demand == 0 && received != exchange.request.contentLength();
    }

    /** The body is complete. */
    void complete() {
        if (isActive()) {
            terminated = true;
            Flow.Subscriber<? super ByteBuffer> target = subscriber;
            exchange.serial().execute(target::onComplete);
        }
    }

    /**
     * The body cannot be completed.
     *
     * @param failure why
     */
    void fail(Throwable failure) {
        if (isActive()) {
            terminated = true;
            Flow.Subscriber<? super ByteBuffer> target = subscriber;
            exchange.serial().execute(() -> target.onError(failure));
        }
    }

    /** The answer is out or on its way without the body: nobody may subscribe any more. */
    void skip() {
        if (subscriber == null) {
            terminated = true;
        }
    }

    private void attach(Flow.Subscriber<? super ByteBuffer> candidate) {
        if (subscriber != null || terminated || exchange.isOver()) {
            exchange.serial()
                    .execute(() -> Bodies.refuse(
                            candidate,
                            subscriber != null
                                    ? "the request body has a subscriber already"
                                    : "the exchange is answered without its body"));
            return;
        }
        subscriber = candidate;
        Flow.Subscription subscription = new Flow.Subscription() {
            @Override
            public void request(long n) {
                exchange.endpoint().execute(() -> onRequest(n));
            }

            @Override
            public void cancel() {
                exchange.endpoint().execute(RequestBody.this::onCancel);
            }
        };
        exchange.serial().execute(() -> candidate.onSubscribe(subscription));
        if (exchange.requestComplete) {
            complete(); // no body at all
        } else if (exchange.connectionClosed()) {
            fail(new IOException("connection closed"));
        }
    }

    private void onRequest(long n) {
        if (cancelled || terminated) {
            return;
        }
        if (n <= 0) {
            cancelled = true;
            Flow.Subscriber<? super ByteBuffer> target = subscriber;
            exchange.serial()
                    .execute(() -> target.onError(
                            new IllegalArgumentException("Reactive Streams §3.9: request(n) with n <= 0")));
            return;
        }
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        exchange.bodyDemanded();
    }

    private void onCancel() {
        cancelled = true;
        demand = 0;
    }
}

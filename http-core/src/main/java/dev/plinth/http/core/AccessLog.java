package dev.plinth.http.core;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the facts of every finished exchange, for an access log or metrics. Register it as a service; the server
 * calls it after the response is queued or the exchange was aborted, and the exchanges of one connection arrive in
 * the order they happened. Unless it declares itself {@linkplain #nonBlocking() non-blocking}, it is called on a
 * worker thread, never on an I/O thread.
 */
@ConsumerType
@FunctionalInterface
public interface AccessLog {

    /** A sink that drops everything. */
    AccessLog NONE = facts -> {};

    /**
     * @param facts what happened
     */
    void exchangeCompleted(ExchangeFacts facts);

    /**
     * Whether {@link #exchangeCompleted} returns at once without blocking (it hands the facts to a bounded queue,
     * or adds to counters): such a sink is called on the thread that ends the exchange, which may be an I/O thread,
     * and saves a task on the workers per exchange.
     *
     * @return true if it never blocks; false (the default) to be called on a worker
     * @since 3.1
     */
    default boolean nonBlocking() {
        return false;
    }
}

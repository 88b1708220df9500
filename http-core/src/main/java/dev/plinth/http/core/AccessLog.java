package dev.plinth.http.core;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the facts of every finished exchange, for an access log or metrics. Register it as a service; the server
 * calls it on a worker thread, never on an I/O thread, after the response is queued or the exchange was aborted;
 * the exchanges of one connection arrive in the order they happened.
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
}

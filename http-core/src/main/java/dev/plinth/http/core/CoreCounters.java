package dev.plinth.http.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what connections do, cheaply from many threads. Shared by the connections of one server.
 */
public final class CoreCounters {

    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();

    /** Creates zeroed counters. */
    public CoreCounters() {
    }

    /** @return request heads received and accepted for handling, error answers included */
    public long requests() {
        return requests.sum();
    }

    /** @return exchanges that ended in a rejected request, a 5xx answer or a connection closed mid-response */
    public long errors() {
        return errors.sum();
    }

    void request() {
        requests.increment();
    }

    void error() {
        errors.increment();
    }
}

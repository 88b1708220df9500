package dev.plinth.http.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what connections do, cheaply from many threads. Shared by the connections of one server.
 */
public final class CoreCounters {

    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder inlineCalls = new LongAdder();
    private final LongAdder blockedLoops = new LongAdder();

    /** Creates zeroed counters. */
    public CoreCounters() {}

    /** @return request heads received and accepted for handling, error answers included */
    public long requests() {
        return requests.sum();
    }

    /** @return exchanges that ended in a rejected request, a 5xx answer or a connection closed mid-response */
    public long errors() {
        return errors.sum();
    }

    /** @return handler calls made on an I/O thread (non-blocking handlers) */
    public long inlineCalls() {
        return inlineCalls.sum();
    }

    /** @return handler calls that held an I/O thread longer than the blocked-loop threshold */
    public long blockedLoops() {
        return blockedLoops.sum();
    }

    void inlineCall() {
        inlineCalls.increment();
    }

    void blockedLoop() {
        blockedLoops.increment();
    }

    void request() {
        requests.increment();
    }

    void error() {
        errors.increment();
    }
}

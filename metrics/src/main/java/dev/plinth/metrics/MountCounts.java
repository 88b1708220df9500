package dev.plinth.metrics;

import java.util.concurrent.atomic.LongAdder;

/** The exchanges routed to the handlers of one prefix, on every listener and host. */
final class MountCounts {

    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();

    /**
     * Counts one exchange.
     *
     * @param status the status sent (0 when no response began)
     * @param complete whether its response was sent whole
     */
    void record(int status, boolean complete) {
        requests.increment();
        if (status >= 500 || !complete) {
            errors.increment();
        }
    }

    /** @return exchanges routed here */
    long requests() {
        return requests.sum();
    }

    /** @return those answered 5xx or ended without their whole response */
    long errors() {
        return errors.sum();
    }
}

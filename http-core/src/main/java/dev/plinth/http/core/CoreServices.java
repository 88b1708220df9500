package dev.plinth.http.core;

import dev.plinth.http.handler.Glue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What connections share: the glue, the threads that run handler code, a timer, and the access log.
 *
 * @param glue picks a handler per request
 * @param workers runs handler code; never an I/O thread
 * @param timer schedules handler timeouts; its tasks must be short (they only hand work to an endpoint)
 * @param accessLog receives the facts of every exchange
 * @param counters counts requests and errors
 */
public record CoreServices(Glue glue, Executor workers, ScheduledExecutorService timer, AccessLog accessLog,
        CoreCounters counters) {

    /** Checks that every service is present. */
    public CoreServices {
        if (glue == null || workers == null || timer == null || accessLog == null || counters == null) {
            throw new IllegalArgumentException("every core service is required");
        }
    }
}

package dev.plinth.http.core;

import dev.plinth.http.handler.Glue;
import java.util.concurrent.Executor;

/**
 * What connections share: the glue, the threads that run handler code, the access log and the counters.
 *
 * @param glue picks a handler per request
 * @param workers runs handler code; never an I/O thread
 * @param accessLog receives the facts of every exchange
 * @param counters counts requests and errors
 */
public record CoreServices(Glue glue, Executor workers, AccessLog accessLog,
        CoreCounters counters) {

    /** Checks that every service is present. */
    public CoreServices {
        if (glue == null || workers == null || accessLog == null || counters == null) {
            throw new IllegalArgumentException("every core service is required");
        }
    }
}

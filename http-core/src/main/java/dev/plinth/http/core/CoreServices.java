package dev.plinth.http.core;

import java.util.concurrent.Executor;

/**
 * What connections share: the glue, the threads that run handler code, the access log, the counters and the
 * watchdog of handler calls made on I/O threads.
 *
 * @param glue picks a handler per request
 * @param workers runs handler code; never an I/O thread
 * @param accessLog receives the facts of every exchange
 * @param counters counts requests and errors
 * @param watchdog times and samples the calls of non-blocking handlers on I/O threads
 */
public record CoreServices(
        Glue glue, Executor workers, AccessLog accessLog, CoreCounters counters, LoopWatchdog watchdog) {

    /** Checks that every service is present. */
    public CoreServices {
        if (glue == null || workers == null || accessLog == null || counters == null || watchdog == null) {
            throw new IllegalArgumentException("every core service is required");
        }
    }

    /**
     * Services with a watchdog that times inline calls against the default threshold without sampling stacks.
     *
     * @param glue picks a handler per request
     * @param workers runs handler code; never an I/O thread
     * @param accessLog receives the facts of every exchange
     * @param counters counts requests and errors
     */
    public CoreServices(Glue glue, Executor workers, AccessLog accessLog, CoreCounters counters) {
        this(glue, workers, accessLog, counters, new LoopWatchdog(CoreConfig.DEFAULT_INLINE_THRESHOLD_MILLIS));
    }
}

package dev.plinth.operations;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The graceful stop's configuration, PID {@code dev.plinth.shutdown}. */
@ObjectClassDefinition(
        name = "Plinth graceful stop",
        description = "What SIGTERM and plinth:drain do: readiness 503 at once, keep serving for the delay, then "
                + "stop accepting, close idle connections, let exchanges in flight finish within the grace, stop.")
public @interface ShutdownConfig {

    /** @return how long to keep serving after readiness turns 503 */
    @AttributeDefinition(
            description = "Milliseconds to keep serving after readiness turns 503, so that load balancers notice "
                    + "(a Kubernetes readiness probe's period times its failure threshold, plus a margin).")
    long delayMillis() default 5_000;

    /** @return how long exchanges in flight may take once accepting stops */
    @AttributeDefinition(
            description = "Milliseconds that exchanges in flight may take to finish once the listeners stop "
                    + "accepting; connections still open then are closed.")
    long graceMillis() default 20_000;

    /** @return whether SIGTERM starts the graceful stop */
    @AttributeDefinition(
            description = "true: SIGTERM starts the graceful stop, and the process exits with status 0 after it. "
                    + "false: SIGTERM stops at once, as the JVM does by default.")
    boolean onSignal() default true;
}

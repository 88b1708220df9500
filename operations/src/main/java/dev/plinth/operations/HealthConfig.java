package dev.plinth.operations;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The health endpoints' configuration, PID {@code dev.plinth.health}. */
@ObjectClassDefinition(
        name = "Plinth health endpoints",
        description = "Liveness and readiness probes for load balancers and Kubernetes.")
public @interface HealthConfig {

    /** @return the liveness path */
    @AttributeDefinition(description = "Liveness: 200 while the process serves at all.")
    String livePath() default "/health/live";

    /** @return the readiness path */
    @AttributeDefinition(
            description = "Readiness: 200 once the framework has started, a listener is bound and every configured "
                    + "listener and mount is up; 503 while starting and from the moment a drain begins.")
    String readyPath() default "/health/ready";

    /** @return the admin port, or -1 for the main listeners */
    @AttributeDefinition(
            description = "-1: serve the endpoints on the server's listeners, like any handler. 0 or a port: serve "
                    + "them only on an admin listener of their own, on that port (0 picks a free one).")
    int adminPort() default -1;

    /** @return the admin listener's address */
    @AttributeDefinition(description = "Address of the admin listener; 0.0.0.0 is every interface.")
    String adminHost() default "0.0.0.0";
}

package dev.plinth.http.core.glue;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** How the default glue treats a handler service that leaves, as Config Admin and metatype see it. */
@ObjectClassDefinition(
        name = "Plinth glue",
        description = "How requests find their handlers while handler bundles come, change and go.")
public @interface GlueConfig {

    /** @return the handover window */
    @AttributeDefinition(
            description = "Milliseconds that requests for the prefix of a handler that left (and its drain ended) are "
                    + "held for a replacement, such as the new version of an updated bundle; then the table as it is "
                    + "answers. 0 holds none.")
    long handoverMillis() default DefaultGlue.DEFAULT_HANDOVER_MILLIS;

    /** @return the most requests held per prefix */
    @AttributeDefinition(
            description = "Requests held at once for one prefix during a handover; more are answered from the table "
                    + "as it is.")
    int handoverMaxHeld() default DefaultGlue.DEFAULT_HANDOVER_MAX_HELD;

    /** @return the drain timeout */
    @AttributeDefinition(
            description = "Milliseconds that exchanges in a handler that leaves may take to finish before they are "
                    + "ended (an endless body cleanly, a finite one by closing its connection); the service is "
                    + "released after. 0 ends them at once.")
    long drainMillis() default DefaultGlue.DEFAULT_DRAIN_MILLIS;
}

package dev.plinth.handlers.stream.channels;

import dev.plinth.channels.Channels;
import dev.plinth.config.ConfigCheck;
import dev.plinth.config.RefusedConfiguration;
import java.time.Duration;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Mounts a channel as server-sent events ({@link SseHandler}), one per factory configuration {@value #PID}; its
 * attributes are in {@link Config}. The handler service is registered with the configuration's public properties
 * ({@code plinth.handler.prefix}, {@code plinth.handler.host}, {@code service.ranking}, {@code service.pid}).
 *
 * <p>On deactivation (configuration changed or deleted, bundle or server stopping) every stream ends cleanly first,
 * then the service is unregistered ({@link Mounts}). A configuration refused is logged in one line and mounts
 * nothing.
 */
@Component(
        configurationPid = SseMount.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {},
        immediate = true)
@Designate(ocd = SseMount.Config.class, factory = true)
public final class SseMount {

    /** The factory configuration PID. */
    public static final String PID = "dev.plinth.handlers.stream.sse";

    /** One SSE mount. */
    @ObjectClassDefinition(
            id = PID,
            name = "Plinth server-sent events of a channel",
            description = "Streams one broadcast channel to browsers as server-sent events (text/event-stream).")
    public @interface Config {
        /** @return the path prefix served, also the service property {@code plinth.handler.prefix} */
        @AttributeDefinition(name = "Path prefix", description = "Paths served, such as /events/news.")
        String plinth_handler_prefix() default "/events";

        /** @return the channel's name */
        @AttributeDefinition(
                name = "Channel",
                description = "The channel streamed: 1 to 200 characters among A-Z a-z 0-9 . _ / -.")
        String channel();

        /** @return milliseconds of idleness before a heartbeat comment */
        @AttributeDefinition(
                name = "Heartbeat (ms)",
                description = "A stream that sent nothing for this long gets a comment line, so that proxies "
                        + "and clients see it is alive.",
                min = "1")
        long heartbeatMillis() default 15_000;

        /** @return the reconnection time told to clients */
        @AttributeDefinition(
                name = "Retry hint (ms)",
                description = "The reconnection time sent to clients (the retry field); 0 sends none.",
                min = "0")
        long retryMillis() default 3_000;

        /** @return whether resumption is honoured */
        @AttributeDefinition(
                name = "Resume",
                description = "Whether Last-Event-ID (or ?lastEventId=) resumes after that event, from the "
                        + "channel's replay buffer; otherwise every stream starts from now.")
        boolean resume() default true;
    }

    private final Mounts.Mounted mounted;

    /**
     * Checks the configuration, starts the handler and registers its service.
     *
     * @param context this bundle's context
     * @param properties the configuration, checked against {@link Config}
     * @param channels the channel service
     */
    @Activate
    public SseMount(BundleContext context, Map<String, Object> properties, @Reference Channels channels) {
        mounted = Mounts.mount(
                context, properties, SseMount::prefix, checked -> new SseHandler(channels, settings(checked)));
    }

    /**
     * @param properties a configuration
     * @return its settings
     * @throws RefusedConfiguration if it is refused
     */
    static SseHandler.Settings settings(Map<String, Object> properties) {
        Config config = ConfigCheck.check(Config.class, properties, Mounts.SERVICE_KEYS);
        String pid = ConfigCheck.pid(properties);
        ConfigCheck.within(pid, "heartbeatMillis", config.heartbeatMillis(), 1, Long.MAX_VALUE);
        ConfigCheck.within(pid, "retryMillis", config.retryMillis(), 0, Long.MAX_VALUE);
        return new SseHandler.Settings(
                Mounts.channel(pid, config.channel()),
                Duration.ofMillis(config.heartbeatMillis()),
                config.retryMillis(),
                config.resume());
    }

    /**
     * @param properties a configuration
     * @return its path prefix, or the default
     * @throws RefusedConfiguration if it is refused
     */
    static String prefix(Map<String, Object> properties) {
        Config config = ConfigCheck.check(Config.class, properties, Mounts.SERVICE_KEYS);
        return Mounts.prefix(ConfigCheck.pid(properties), config.plinth_handler_prefix());
    }

    /** Ends every stream cleanly, then unregisters the service. */
    @Deactivate
    void deactivate() {
        mounted.end();
    }
}

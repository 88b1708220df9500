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
 * Mounts a channel for plain HTTP clients ({@link ChannelStreamHandler}: newline-delimited JSON, and optionally
 * {@code POST} to publish), one per factory configuration {@value #PID}; its attributes are in {@link Config}. The
 * service is registered, and ended, as {@link SseMount}'s is.
 */
@Component(
        configurationPid = ChannelMount.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {},
        immediate = true)
@Designate(ocd = ChannelMount.Config.class, factory = true)
public final class ChannelMount {

    /** The factory configuration PID. */
    public static final String PID = "dev.plinth.handlers.stream.channel";

    /** One channel mount. */
    @ObjectClassDefinition(
            id = PID,
            name = "Plinth channel over HTTP",
            description = "Streams one broadcast channel as newline-delimited JSON (application/x-ndjson); "
                    + "optionally lets POST publish to it.")
    public @interface Config {
        /** @return the path prefix served, also the service property {@code plinth.handler.prefix} */
        @AttributeDefinition(name = "Path prefix", description = "Paths served, such as /channels/news.")
        String plinth_handler_prefix() default "/channels";

        /** @return the channel's name */
        @AttributeDefinition(
                name = "Channel",
                description = "The channel: 1 to 200 characters among A-Z a-z 0-9 . _ / -.")
        String channel();

        /** @return milliseconds of idleness before a heartbeat line */
        @AttributeDefinition(
                name = "Heartbeat (ms)",
                description = "A stream that sent nothing for this long gets a {\"type\":\"heartbeat\"} line.",
                min = "1")
        long heartbeatMillis() default 15_000;

        /** @return whether resumption is honoured */
        @AttributeDefinition(
                name = "Resume",
                description = "Whether ?lastEventId= (or Last-Event-ID) resumes after that message.")
        boolean resume() default true;

        /** @return whether POST publishes */
        @AttributeDefinition(
                name = "Publish",
                description = "Whether POST publishes its body (UTF-8 text) to the channel; the query parameter "
                        + "event names its event. Off: POST answers 405.")
        boolean publish() default false;

        /** @return the largest body POST accepts */
        @AttributeDefinition(
                name = "Largest message (bytes)",
                description = "The largest body POST publishes; a larger one answers 413.",
                min = "0")
        int maxPublishBytes() default 65_536;
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
    public ChannelMount(BundleContext context, Map<String, Object> properties, @Reference Channels channels) {
        mounted = Mounts.mount(
                context,
                properties,
                ChannelMount::prefix,
                checked -> new ChannelStreamHandler(channels, settings(checked)));
    }

    /**
     * @param properties a configuration
     * @return its settings
     * @throws RefusedConfiguration if it is refused
     */
    static ChannelStreamHandler.Settings settings(Map<String, Object> properties) {
        Config config = ConfigCheck.check(Config.class, properties, Mounts.SERVICE_KEYS);
        String pid = ConfigCheck.pid(properties);
        ConfigCheck.within(pid, "heartbeatMillis", config.heartbeatMillis(), 1, Long.MAX_VALUE);
        ConfigCheck.within(pid, "maxPublishBytes", config.maxPublishBytes(), 0, Integer.MAX_VALUE);
        return new ChannelStreamHandler.Settings(
                Mounts.channel(pid, config.channel()),
                Duration.ofMillis(config.heartbeatMillis()),
                config.resume(),
                config.publish(),
                config.maxPublishBytes());
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

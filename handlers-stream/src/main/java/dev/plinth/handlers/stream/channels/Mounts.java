package dev.plinth.handlers.stream.channels;

import dev.plinth.channels.Channels;
import dev.plinth.config.RefusedConfiguration;
import dev.plinth.http.handler.Handler;
import java.util.Hashtable;
import java.util.Map;
import java.util.function.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Registers a mount's handler service by hand, so that the mount decides the order at its end: the streams end
 * cleanly first, then the service goes. (A Declarative Services component's service is unregistered before its
 * deactivation runs; the glue then drains the handler's exchanges, waiting for bodies that only the deactivation
 * would end, and cuts them at its timeout.)
 */
final class Mounts {

    /** Configuration keys a mount passes on as service properties besides the prefix. */
    static final String[] SERVICE_KEYS = {Handler.HOST, Handler.NONBLOCKING};

    private static final System.Logger LOG = System.getLogger(Mounts.class.getName());

    private Mounts() {}

    /**
     * A mount's handler and its service; both null when its configuration was refused.
     *
     * @param handler the handler, closed (its streams ended) at the mount's end
     * @param registration its service
     */
    record Mounted(AutoCloseable handler, ServiceRegistration<Handler> registration) {

        /** Ends every stream cleanly, then unregisters the service. */
        void end() {
            if (handler != null) {
                try {
                    handler.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "ending the streams of " + handler + " failed", e);
                }
            }
            unregister(registration);
        }
    }

    /**
     * Starts a mount: checks its configuration, makes its handler and registers it; a refused configuration is logged
     * in one line and mounts nothing.
     *
     * @param context the bundle's context
     * @param properties the configuration
     * @param prefix reads the checked prefix from the configuration
     * @param handler makes the handler from the configuration
     * @param <H> the handler's type
     * @return the mount
     */
    static <H extends Handler & AutoCloseable> Mounted mount(
            BundleContext context,
            Map<String, Object> properties,
            Function<Map<String, Object>, String> prefix,
            Function<Map<String, Object>, H> handler) {
        H started = null;
        try {
            String checked = prefix.apply(properties);
            started = handler.apply(properties);
            return new Mounted(started, register(context, started, properties, checked));
        } catch (RefusedConfiguration refused) {
            LOG.log(System.Logger.Level.ERROR, refused.getMessage() + "; nothing is mounted");
            return new Mounted(started, null);
        }
    }

    /**
     * @param context the bundle's context
     * @param handler the handler
     * @param properties the mount's configuration: its public keys become the service's properties (the prefix,
     *     host and ranking, and {@code service.pid}, which tells readiness checks that the configuration is served)
     * @param prefix the prefix served, checked: the configuration's, or its default when the configuration has none
     * @return the registration
     */
    static ServiceRegistration<Handler> register(
            BundleContext context, Handler handler, Map<String, Object> properties, String prefix) {
        Hashtable<String, Object> service = new Hashtable<>();
        properties.forEach((key, value) -> {
            if (!key.startsWith(".") && !key.startsWith("component.") && value != null) {
                service.put(key, value);
            }
        });
        service.put(Handler.PREFIX, prefix);
        return context.registerService(Handler.class, handler, service);
    }

    /**
     * @param pid the configuration's PID, for the message
     * @param prefix a configured path prefix
     * @return the prefix
     * @throws RefusedConfiguration if it does not start with {@code /}
     */
    static String prefix(String pid, String prefix) {
        if (prefix == null || !prefix.startsWith("/")) {
            throw new RefusedConfiguration(pid, Handler.PREFIX, prefix, "a path prefix starts with /");
        }
        return prefix;
    }

    /**
     * @param registration a registration, or null
     */
    static void unregister(ServiceRegistration<?> registration) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException gone) {
                // the bundle is stopping: the framework has unregistered it already
            }
        }
    }

    /**
     * @param pid the configuration's PID, for the message
     * @param channel a configured channel name
     * @return the name
     * @throws RefusedConfiguration if it is not a channel name
     */
    static String channel(String pid, String channel) {
        if (!Channels.isValidName(channel)) {
            throw new RefusedConfiguration(
                    pid, "channel", channel, "not a channel name (1 to 200 of A-Z a-z 0-9 . _ / -)");
        }
        return channel;
    }
}

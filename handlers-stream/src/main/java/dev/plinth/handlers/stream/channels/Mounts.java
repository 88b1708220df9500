package dev.plinth.handlers.stream.channels;

import dev.plinth.channels.Channels;
import dev.plinth.config.RefusedConfiguration;
import dev.plinth.http.handler.Handler;
import java.util.Hashtable;
import java.util.Map;
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

    private Mounts() {}

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

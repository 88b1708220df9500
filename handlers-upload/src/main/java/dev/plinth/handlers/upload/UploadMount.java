package dev.plinth.handlers.upload;

import dev.plinth.config.ConfigCheck;
import dev.plinth.config.RefusedConfiguration;
import dev.plinth.http.handler.Handler;
import java.lang.System.Logger.Level;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One upload mount per factory configuration {@code dev.plinth.handlers.upload~name}: checks the configuration, and
 * registers an {@link UploadHandler} with the configuration's properties as its service properties (as DS would),
 * declared {@linkplain Handler#NONBLOCKING non-blocking}. A configuration refused (an unknown key, a wrong value, a
 * directory that cannot be made) is one log line naming the PID, the key and the value; the mount then keeps its
 * previous handler, or registers none at first.
 *
 * <p>A changed configuration registers a new handler; the old one is unregistered at once, finishes the uploads it
 * has, then ends its threads. Deactivation (the configuration deleted, the bundle stopped) stops the handler: its
 * uploads in progress are answered 503 and their temporary files deleted.
 */
@Component(
        configurationPid = UploadHandler.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = UploadHandler.Config.class, factory = true)
public final class UploadMount {

    private static final System.Logger LOG = System.getLogger(UploadMount.class.getName());

    private final BundleContext context;
    private ServiceRegistration<Handler> registration;
    private UploadHandler handler;

    /**
     * @param properties the configuration
     * @param context this bundle's context, to register the handler
     */
    @Activate
    public UploadMount(Map<String, Object> properties, BundleContext context) {
        this.context = context;
        apply(properties);
    }

    /** @param properties the changed configuration: a new handler replaces the old one, unless it is refused */
    @Modified
    synchronized void modified(Map<String, Object> properties) {
        apply(properties);
    }

    /** Takes the handler back and stops it. */
    @Deactivate
    synchronized void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
            handler.close();
            handler = null;
        }
    }

    private synchronized void apply(Map<String, Object> properties) {
        String pid = ConfigCheck.pid(properties);
        UploadHandler created;
        try {
            created = new UploadHandler(ConfigCheck.check(UploadHandler.Config.class, properties));
        } catch (RefusedConfiguration refused) {
            LOG.log(
                    Level.ERROR,
                    refused.withPid(pid).getMessage()
                            + (registration != null
                                    ? "; the previous configuration stays in force"
                                    : "; nothing is mounted for it"));
            return;
        }
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        properties.forEach((key, value) -> {
            if (!key.startsWith(".") && value != null) {
                serviceProperties.put(key, value);
            }
        });
        serviceProperties.put(Handler.NONBLOCKING, true);
        ServiceRegistration<Handler> previous = registration;
        UploadHandler replaced = handler;
        registration = context.registerService(Handler.class, created, serviceProperties);
        handler = created;
        if (previous != null) {
            previous.unregister();
            replaced.retire();
        }
    }
}

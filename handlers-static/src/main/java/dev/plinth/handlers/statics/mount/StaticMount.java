package dev.plinth.handlers.statics.mount;

import dev.plinth.config.ConfigCheck;
import dev.plinth.config.RefusedConfiguration;
import dev.plinth.handlers.statics.StaticHandler;
import dev.plinth.http.handler.Handler;
import java.io.IOException;
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
 * One static mount per factory configuration {@code dev.plinth.handlers.static~name}: checks the configuration, and
 * registers a {@link StaticHandler} with the configuration's properties as its service properties (as DS would).
 * A configuration refused — an unknown key, a wrong value, a docroot that is not a folder — is one log line naming
 * the PID, the key and the value; the mount then keeps its previous handler, or registers none at first. The handler
 * is made as an embedder makes one, by {@link StaticHandler#builder(StaticHandler.Config)}.
 *
 * <p>The component and its log keep the names they had when this class was in the handler's package.
 */
@Component(
        name = StaticMount.NAME,
        configurationPid = StaticHandler.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = StaticHandler.Config.class, factory = true)
public final class StaticMount {

    /** The component's name, also its logger's. */
    static final String NAME = "dev.plinth.handlers.statics.StaticMount";

    private static final System.Logger LOG = System.getLogger(NAME);

    private final BundleContext context;
    private ServiceRegistration<Handler> registration;

    /**
     * @param properties the configuration
     * @param context this bundle's context, to register the handler
     */
    @Activate
    public StaticMount(Map<String, Object> properties, BundleContext context) {
        this.context = context;
        apply(properties);
    }

    /**
     * @param properties the changed configuration: a new handler replaces the old one, unless it is refused
     */
    @Modified
    synchronized void modified(Map<String, Object> properties) {
        apply(properties);
    }

    /** Takes the handler back. */
    @Deactivate
    synchronized void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
    }

    private synchronized void apply(Map<String, Object> properties) {
        String pid = ConfigCheck.pid(properties);
        StaticHandler handler;
        try {
            handler = StaticHandler.builder(ConfigCheck.check(StaticHandler.Config.class, properties))
                    .build();
        } catch (RefusedConfiguration refused) {
            refuse(refused.withPid(pid));
            return;
        } catch (IOException e) {
            refuse(new RefusedConfiguration(pid, "docroot", properties.get("docroot"), String.valueOf(e)));
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
        registration = context.registerService(Handler.class, handler, serviceProperties);
        if (previous != null) {
            previous.unregister();
        }
    }

    private void refuse(RefusedConfiguration refused) {
        LOG.log(
                Level.ERROR,
                refused.getMessage()
                        + (registration != null
                                ? "; the previous configuration stays in force"
                                : "; nothing is mounted for it"));
    }
}

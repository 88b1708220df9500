package dev.plinth.http.transport.internal;

import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Further listeners, one per factory configuration {@code dev.plinth.http.listener~name} (a second port, say), each
 * with the same settings as the main listener and serving the same handlers.
 */
@Component(
        configurationPid = ExtraListener.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = ListenerConfig.class, factory = true)
public final class ExtraListener extends ListenerComponent {

    /** The factory PID. */
    public static final String FACTORY_PID = "dev.plinth.http.listener";

    /**
     * @param properties the component's properties: its configuration, checked against {@link ListenerConfig}
     * @param context the bundle's context, to register the listener service
     */
    @Activate
    public ExtraListener(Map<String, Object> properties, BundleContext context) {
        super(properties, context);
    }
}

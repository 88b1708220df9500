package dev.plinth.http.transport.internal;

import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/** The server's main listener: PID {@code dev.plinth.http}, running on its defaults when not configured. */
@Component(
        configurationPid = MainListener.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
@Designate(ocd = ListenerConfig.class)
public final class MainListener extends ListenerComponent {

    /** The configuration PID. */
    public static final String PID = "dev.plinth.http";

    /**
     * @param properties the component's properties: its configuration, checked against {@link ListenerConfig}
     * @param context the bundle's context, to register the listener service
     */
    @Activate
    public MainListener(Map<String, Object> properties, BundleContext context) {
        super(properties, context);
    }
}

package dev.plinth.operations;

import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.transport.HttpServer;
import dev.plinth.http.transport.ServerConfig;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Serves the liveness and readiness endpoints: as handler services on the server's own listeners (the default), or
 * on an admin listener of their own, which a drain leaves open so that its probes keep answering to the end.
 * Liveness says only that the process serves; readiness gives {@link Readiness}'s report.
 */
@Component(
        configurationPid = HealthEndpoints.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
@Designate(ocd = HealthConfig.class)
public final class HealthEndpoints {

    /** The configuration PID. */
    public static final String PID = "dev.plinth.health";

    private static final System.Logger LOG = System.getLogger(HealthEndpoints.class.getName());
    private static final Readiness.Report LIVE =
            new Readiness.Report(true, List.of(new Readiness.Check("process", true, "serving")));

    private final List<ServiceRegistration<Handler>> registrations = new ArrayList<>();
    private HttpServer admin;

    /**
     * @param config the paths and where to serve them
     * @param context this bundle's context, to register the endpoints
     * @param readiness the readiness checks
     * @throws IOException if the admin listener cannot be bound
     */
    @Activate
    public HealthEndpoints(HealthConfig config, BundleContext context, @Reference Readiness readiness)
            throws IOException {
        if (!config.livePath().startsWith("/") || !config.readyPath().startsWith("/")) {
            throw new IllegalArgumentException("health paths must start with /: livePath=" + config.livePath()
                    + ", readyPath=" + config.readyPath());
        }
        HealthEndpoint live = new HealthEndpoint(config.livePath(), () -> LIVE);
        HealthEndpoint ready = new HealthEndpoint(config.readyPath(), readiness::report);
        if (config.adminPort() < 0) {
            registrations.add(register(context, live, true));
            registrations.add(register(context, ready, false));
            return;
        }
        admin = new HttpServer(
                new ServerConfig(config.adminHost(), config.adminPort(), 1, 2, false, 64, 10_000, CoreConfig.DEFAULT),
                new AdminGlue(List.of(live, ready)));
        InetSocketAddress bound = admin.start();
        LOG.log(
                Level.INFO,
                "Plinth health endpoints on the admin listener, port {0,number,#}: {1} and {2}",
                bound.getPort(),
                config.livePath(),
                config.readyPath());
    }

    /** @return the admin listener's address, if the endpoints have one */
    InetSocketAddress adminAddress() {
        return admin == null ? null : admin.address();
    }

    private static ServiceRegistration<Handler> register(
            BundleContext context, HealthEndpoint endpoint, boolean nonBlocking) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Handler.PREFIX, endpoint.path());
        // liveness answers from the I/O thread: it stays true while workers are all busy
        properties.put(Handler.NONBLOCKING, nonBlocking);
        return context.registerService(Handler.class, endpoint, properties);
    }

    /**
     * Unregisters the endpoints, or stops the admin listener.
     *
     * @throws InterruptedException if interrupted while stopping the admin listener
     */
    @Deactivate
    void stop() throws InterruptedException {
        for (ServiceRegistration<Handler> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it as this bundle stopped
            }
        }
        if (admin != null) {
            admin.stop(1_000);
        }
    }
}

package dev.plinth.accesslog;

import dev.plinth.config.ConfigCheck;
import dev.plinth.config.RefusedConfiguration;
import dev.plinth.http.core.AccessLog;
import dev.plinth.http.core.ExchangeFacts;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The access log: an {@link AccessLog} service that writes a line per exchange to a file.
 *
 * <p>It declares itself {@linkplain #nonBlocking() non-blocking}, so the server calls it on the thread that ends the
 * exchange, possibly an I/O thread: {@link #exchangeCompleted} only offers the facts to a bounded queue, and drops
 * (and counts) them when it is full. One writer thread ({@link LogWriter}) formats and writes them.
 *
 * <p>Configuration PID {@value #PID}, required: without a configuration there is no access log. Attributes in
 * {@link Config}, checked strictly ({@link ConfigCheck}): a configuration refused is one log line naming the PID, the
 * key and the value, and the previous one stays in force (or, at first, there is no access log). The component
 * registers the service itself once a configuration is accepted; a change then swaps the writer in place, the
 * service staying registered, so connections already open go on logging. Deactivation writes what is queued,
 * flushes and closes the file, waiting at most {@link #STOP_WAIT}. The figures are an MBean, {@value #OBJECT_NAME}.
 */
@Component(
        configurationPid = AccessLogComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = AccessLogComponent.Config.class)
public final class AccessLogComponent implements AccessLog {

    /** The configuration PID. */
    public static final String PID = "dev.plinth.accesslog";

    /** The name of the figures' MBean on the platform MBean server. */
    public static final String OBJECT_NAME = "dev.plinth:type=AccessLog";

    /** The longest deactivation or configuration change waits for the writer to empty its queue. */
    static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(AccessLogComponent.class.getName());

    /** The access log's configuration. */
    @ObjectClassDefinition(
            id = PID,
            name = "Plinth access log",
            description = "A line per exchange, written to a file off the I/O threads, rotated daily and by size.")
    public @interface Config {
        /** @return the file */
        @AttributeDefinition(
                name = "File",
                description = "The access log file; its folders are created. Rotated files are written beside it.")
        String path();

        /** @return the line format */
        @AttributeDefinition(
                name = "Format",
                description = "combined: NCSA combined, as Apache httpd and nginx write it; common: its first seven"
                        + " fields; json: one JSON object per line.",
                options = {
                    @Option(label = "NCSA combined", value = "combined"),
                    @Option(label = "NCSA common", value = "common"),
                    @Option(label = "JSON, one object per line", value = "json")
                })
        String format() default "combined";

        /** @return whether to rotate daily */
        @AttributeDefinition(
                name = "Rotate daily",
                description = "Rotate at the first line of each day: the file is renamed after the day of its last"
                        + " line (access.log.2026-11-30).")
        boolean rotateDaily() default true;

        /** @return the size limit */
        @AttributeDefinition(
                name = "Maximum file size (bytes)",
                description = "Rotate before a line would take the file past this size (access.log.2026-11-30,"
                        + " then .1, .2... within a day); 0 for no limit.",
                min = "0")
        long maxFileBytes() default 100L * 1024 * 1024;

        /** @return how many rotated files to keep */
        @AttributeDefinition(
                name = "Rotated files kept",
                description = "How many rotated files to keep; older ones are deleted at each rotation.",
                min = "0")
        int keep() default 14;

        /** @return the queue's capacity */
        @AttributeDefinition(
                name = "Queue (lines)",
                description = "Exchanges that may wait for the writer; when the queue is full, lines are dropped"
                        + " and counted, never waited for.",
                min = "1")
        int queueLines() default 65536;

        /** @return the time zone */
        @AttributeDefinition(
                name = "Time zone",
                description = "Zone of the times written and of the days of rotation, such as UTC or Europe/Paris;"
                        + " empty for the JVM's default zone, as Apache httpd and nginx do.",
                required = false)
        String zone() default "";
    }

    private final Counters counters = new Counters();
    private final Clock clock;
    private final BundleContext context;
    private volatile LogWriter writer;
    private ServiceRegistration<AccessLog> registration;
    private ObjectName registered;

    /**
     * Called by Declarative Services: checks the configuration; if it is accepted, opens the file, starts the writer,
     * registers the {@link AccessLog} service and the MBean. A configuration refused (an unknown key, a wrong value,
     * a file that cannot be opened) is one log line naming the PID, the key and the value, and nothing is logged.
     *
     * @param properties the configuration
     * @param context this bundle's context, to register the service; null for none (tests)
     */
    @Activate
    public AccessLogComponent(Map<String, Object> properties, BundleContext context) {
        this(properties, context, Clock.systemUTC());
    }

    /**
     * @param properties the configuration
     * @param context this bundle's context, to register the service; null for none
     * @param clock the time, for rotation and for spacing warnings
     */
    AccessLogComponent(Map<String, Object> properties, BundleContext context, Clock clock) {
        this.context = context;
        this.clock = clock;
        apply(properties);
    }

    /**
     * Called by Declarative Services when the configuration changes. If the new one is accepted, a new writer takes
     * the lines from then on, the old one writes what it has queued, then the new one starts; the service stays
     * registered, so connections already open go on logging. If it is refused, the previous one stays in force.
     *
     * @param properties the new configuration
     */
    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    /** Called by Declarative Services: unregisters the service and the MBean, writes what is queued, closes. */
    @Deactivate
    synchronized void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        unregister();
        if (writer != null) {
            stop(writer);
        }
    }

    private synchronized void apply(Map<String, Object> properties) {
        String pid = ConfigCheck.pid(properties);
        try {
            Settings settings = Settings.of(ConfigCheck.check(Config.class, properties));
            LogWriter current = writer;
            if (current == null) {
                start(settings);
            } else if (!current.settings().equals(settings)) {
                swap(current, settings);
            }
        } catch (RefusedConfiguration refused) {
            LOG.log(
                    Level.ERROR,
                    refused.withPid(pid).getMessage()
                            + (writer != null
                                    ? "; the previous configuration stays in force"
                                    : "; there is no access log"));
        }
    }

    /** Opens the file, starts the writer, registers the service and the MBean. */
    private void start(Settings settings) {
        LogWriter first = LogWriter.create(settings, counters, clock);
        try {
            first.start(true);
        } catch (IOException e) {
            throw cannotOpen(settings, e);
        }
        writer = first;
        if (context != null) {
            registration = context.registerService(AccessLog.class, this, null);
        }
        registered = register(new AccessLogStats(counters, () -> writer));
    }

    /** Replaces the writer; the new file is opened first, so that one that cannot be is refused. */
    private void swap(LogWriter old, Settings settings) {
        if (!settings.path().toAbsolutePath().equals(old.settings().path().toAbsolutePath())) {
            try {
                LogWriter.probe(settings, clock);
            } catch (IOException e) {
                throw cannotOpen(settings, e);
            }
        }
        LogWriter next = LogWriter.create(settings, counters, clock);
        writer = next;
        stop(old);
        try {
            next.start(false);
        } catch (IOException e) {
            throw new AssertionError("a lenient start does not throw", e);
        }
        LOG.log(Level.INFO, () -> "access log: now " + settings.format() + " to " + settings.path());
    }

    private static RefusedConfiguration cannotOpen(Settings settings, IOException e) {
        return new RefusedConfiguration(RefusedConfiguration.UNKNOWN_PID, "path", settings.path(), "cannot open: " + e);
    }

    @Override
    public void exchangeCompleted(ExchangeFacts facts) {
        LogWriter current = writer;
        if (current != null) {
            current.offer(facts);
        }
    }

    /** @return whether a configuration was accepted: lines are being written */
    boolean logging() {
        return writer != null;
    }

    /** @return true: {@link #exchangeCompleted} only offers to a bounded queue */
    @Override
    public boolean nonBlocking() {
        return true;
    }

    /** @return the figures, as the MBean gives them */
    AccessLogStatsMBean stats() {
        return new AccessLogStats(counters, () -> writer);
    }

    private static void stop(LogWriter old) {
        if (!old.stop(STOP_WAIT)) {
            LOG.log(
                    Level.WARNING,
                    "access log: the writer of " + old.settings().path() + " did not finish within "
                            + STOP_WAIT.toMillis() + " ms; " + old.queued() + " lines still queued");
        }
    }

    private static ObjectName register(AccessLogStatsMBean stats) {
        try {
            ObjectName name = new ObjectName(OBJECT_NAME);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            return server.registerMBean(stats, name).getObjectName();
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.WARNING, "access log: no MBean " + OBJECT_NAME, e);
            return null;
        }
    }

    private void unregister() {
        if (registered == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
        } catch (JMException e) {
            LOG.log(Level.DEBUG, () -> "unregistering " + OBJECT_NAME + ": " + e);
        }
        registered = null;
    }
}

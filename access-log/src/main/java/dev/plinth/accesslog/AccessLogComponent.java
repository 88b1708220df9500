package dev.plinth.accesslog;

import dev.plinth.http.core.AccessLog;
import dev.plinth.http.core.ExchangeFacts;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
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
 * (and counts) them when it is full. One writer thread ({@link LogWriter}) formats and writes them. A configuration
 * change swaps the writer in place: the service stays registered, so connections already open go on logging; the old
 * writer finishes its queue first. Deactivation writes what is queued, flushes and closes the file, waiting at most
 * {@link #STOP_WAIT}.
 *
 * <p>Configuration PID {@value #PID}, required: without a configuration there is no access log. Attributes in
 * {@link Config}. The figures are an MBean, {@value #OBJECT_NAME}.
 */
@Component(
        configurationPid = AccessLogComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = AccessLog.class)
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
    private volatile LogWriter writer;
    private ObjectName registered;

    /**
     * Called by Declarative Services: opens the file, starts the writer, registers the MBean.
     *
     * @param config the configuration
     * @throws IOException if the file cannot be opened (or its folder made): the component does not activate
     * @throws IllegalArgumentException if the configuration is invalid
     */
    @Activate
    public AccessLogComponent(Config config) throws IOException {
        this(Settings.of(config), Clock.systemUTC());
    }

    /**
     * @param settings the settings
     * @param clock the time, for rotation and for spacing warnings
     * @throws IOException if the file cannot be opened
     */
    AccessLogComponent(Settings settings, Clock clock) throws IOException {
        this.clock = clock;
        LogWriter first = LogWriter.create(settings, counters, clock);
        first.start(true);
        writer = first;
        registered = register(new AccessLogStats(counters, () -> writer));
    }

    /**
     * Called by Declarative Services when the configuration changes: a new writer takes the lines from now on, the
     * old one writes what it has queued, then the new one starts (opening its file; if it cannot, it tries again at
     * each line).
     *
     * @param config the new configuration
     * @throws IllegalArgumentException if the configuration is invalid: the current one stays in force
     */
    @Modified
    void modified(Config config) {
        reconfigure(Settings.of(config));
    }

    synchronized void reconfigure(Settings settings) {
        LogWriter old = writer;
        if (old.settings().equals(settings)) {
            return;
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

    /** Called by Declarative Services: unregisters the MBean, writes what is queued and closes the file. */
    @Deactivate
    synchronized void deactivate() {
        unregister();
        stop(writer);
    }

    @Override
    public void exchangeCompleted(ExchangeFacts facts) {
        writer.offer(facts);
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

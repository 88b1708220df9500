package dev.plinth.operations;

import dev.plinth.config.ConfigCheck;
import dev.plinth.config.RefusedConfiguration;
import dev.plinth.http.transport.HttpServer;
import dev.plinth.http.transport.Listener;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The graceful stop, started by SIGTERM or by the shell command {@code plinth:drain}: readiness answers 503 at once;
 * the server keeps serving for {@link ShutdownConfig#delayMillis()}, so that load balancers notice; then every
 * listener drains at once ({@link Listener#drain}: no more accepting, idle connections closed, exchanges in flight
 * finished with {@code Connection: close} within {@link ShutdownConfig#graceMillis()}); each listener's outcome is
 * logged; then the framework stops, and Felix's launcher exits with status 0. One drain at a time; a SIGTERM during
 * a {@code --keep-running} drain stops the framework once that drain is over.
 */
@Component(
        configurationPid = GracefulStop.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = GracefulStop.class,
        immediate = true,
        property = {"osgi.command.scope=plinth", "osgi.command.function=drain"})
@Designate(ocd = ShutdownConfig.class)
public final class GracefulStop {

    /** The configuration PID. */
    public static final String PID = "dev.plinth.shutdown";

    /** The option of {@code plinth:drain} that drains without stopping the framework. */
    static final String KEEP_RUNNING = "--keep-running";

    private static final System.Logger LOG = System.getLogger(GracefulStop.class.getName());

    private final Readiness readiness;
    private final Runnable stopFramework;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<Thread> drain = new AtomicReference<>();
    private volatile ShutdownConfig config;
    private TermSignal trap;

    /**
     * @param properties delay, grace, and whether SIGTERM starts it, checked against {@link ShutdownConfig}: a
     *        configuration refused is logged in one line, and the defaults apply
     * @param context this bundle's context, for the framework to stop
     * @param readiness turned not ready when a drain begins
     */
    @Activate
    public GracefulStop(Map<String, Object> properties, BundleContext context, @Reference Readiness readiness) {
        this(
                checked(properties, ConfigCheck.check(ShutdownConfig.class, Map.of()), "the defaults apply"),
                readiness,
                () -> stopFramework(context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION)));
        trapSignal(config);
    }

    /**
     * @param config delay and grace
     * @param readiness turned not ready when a drain begins
     * @param stopFramework stops the framework, after a drain that is not {@code --keep-running}
     */
    GracefulStop(ShutdownConfig config, Readiness readiness, Runnable stopFramework) {
        this.config = config;
        this.readiness = readiness;
        this.stopFramework = stopFramework;
    }

    /**
     * @param listener a listener to drain
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(Listener listener) {
        listeners.add(listener);
    }

    void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /**
     * @param properties the new delay, grace and signal setting; a drain under way keeps the ones it began with, and
     *        a configuration refused leaves the previous one in force
     */
    @Modified
    synchronized void modified(Map<String, Object> properties) {
        ShutdownConfig changed = checked(properties, config, "the previous configuration stays in force");
        config = changed;
        untrapSignal();
        trapSignal(changed);
    }

    /** Gives SIGTERM back to the JVM. */
    @Deactivate
    synchronized void deactivate() {
        untrapSignal();
    }

    private static ShutdownConfig checked(Map<String, Object> properties, ShutdownConfig otherwise, String then) {
        try {
            ShutdownConfig config =
                    ConfigCheck.check(ShutdownConfig.class, properties, "osgi.command.scope", "osgi.command.function");
            String pid = ConfigCheck.pid(properties);
            ConfigCheck.within(pid, "delayMillis", config.delayMillis(), 0, Long.MAX_VALUE);
            ConfigCheck.within(pid, "graceMillis", config.graceMillis(), 0, Long.MAX_VALUE);
            return config;
        } catch (RefusedConfiguration refused) {
            LOG.log(Level.ERROR, refused.getMessage() + "; " + then);
            return otherwise;
        }
    }

    private synchronized void trapSignal(ShutdownConfig settings) {
        if (settings.onSignal()) {
            trap = TermSignal.trap(() -> begin("SIGTERM", true)).orElse(null);
        }
    }

    private synchronized void untrapSignal() {
        if (trap != null) {
            trap.close();
            trap = null;
        }
    }

    /**
     * The shell command {@code plinth:drain}: the graceful stop, ending with the framework's stop and the process's
     * exit with status 0.
     *
     * @return what the shell prints
     */
    public String drain() {
        return begin("plinth:drain", true);
    }

    /**
     * The shell command {@code plinth:drain --keep-running}: the same drain, but the framework keeps running (to
     * look at it before stopping it, say); the server does not accept again.
     *
     * @param option {@value #KEEP_RUNNING}
     * @return what the shell prints
     */
    public String drain(String option) {
        if (!KEEP_RUNNING.equals(option)) {
            return "usage: plinth:drain [" + KEEP_RUNNING + "]\n";
        }
        return begin("plinth:drain " + KEEP_RUNNING, false);
    }

    /**
     * Starts the graceful stop on a thread of its own, unless one is under way.
     *
     * @param trigger what started it, for the log
     * @param thenStop whether the framework stops after the drain
     * @return a line saying what happens
     */
    String begin(String trigger, boolean thenStop) {
        ShutdownConfig settings = config;
        Thread thread = new Thread(() -> run(trigger, thenStop, settings), "plinth-drain");
        thread.setDaemon(true);
        Thread earlier = drain.compareAndExchange(null, thread);
        if (earlier != null) {
            LOG.log(Level.INFO, "{0}: a drain is under way already", trigger);
            if (thenStop) {
                Thread stopper = new Thread(() -> stopAfter(earlier), "plinth-drain-then-stop");
                stopper.setDaemon(true);
                stopper.start();
            }
            return "a drain is under way already" + (thenStop ? "; the framework stops when it is over\n" : "\n");
        }
        readiness.drain(trigger); // before this returns: whoever asks next is told 503
        thread.start();
        return "draining: readiness answers 503; serving " + settings.delayMillis() + " ms more, then draining for at "
                + "most " + settings.graceMillis() + " ms" + (thenStop ? ", then stopping\n" : "\n");
    }

    private void stopAfter(Thread earlier) {
        try {
            earlier.join();
            stopFramework.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The graceful stop itself, on the calling thread.
     *
     * @param trigger what started it, for the log
     * @param thenStop whether the framework stops after the drain
     * @param settings delay and grace
     * @return each listener's drain, by its address
     */
    Map<String, HttpServer.Drained> run(String trigger, boolean thenStop, ShutdownConfig settings) {
        readiness.drain(trigger);
        LOG.log(
                Level.INFO,
                "{0}: readiness answers 503 from now on; serving {1,number,#} ms more so that load balancers notice, "
                        + "then draining for at most {2,number,#} ms",
                trigger,
                settings.delayMillis(),
                settings.graceMillis());
        Map<String, HttpServer.Drained> outcome = new ConcurrentSkipListMap<>();
        try {
            Thread.sleep(settings.delayMillis()); // the point of the delay: serve on while balancers catch up
            List<CompletableFuture<Void>> drains = new ArrayList<>();
            for (Listener listener : List.copyOf(listeners)) {
                drains.add(CompletableFuture.runAsync(() -> drainOne(listener, settings, outcome)));
            }
            CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new)).join();
        } catch (InterruptedException e) {
            LOG.log(Level.WARNING, "{0}: the drain was interrupted", trigger);
            Thread.currentThread().interrupt();
        }
        if (thenStop) {
            LOG.log(Level.INFO, "{0}: drained; stopping", trigger);
            stopFramework.run();
        } else {
            LOG.log(Level.INFO, "{0}: drained; the framework keeps running, accepting no connections", trigger);
        }
        return outcome;
    }

    private static void drainOne(Listener listener, ShutdownConfig settings, Map<String, HttpServer.Drained> outcome) {
        String address =
                listener.address().getHostString() + ":" + listener.address().getPort();
        try {
            HttpServer.Drained drained = listener.drain(settings.graceMillis());
            outcome.put(address, drained);
            LOG.log(
                    Level.INFO,
                    "listener {0} drained in {1,number,#} ms: {2} connections were open, {3} with an exchange in "
                            + "flight; {4} still open after the grace, closed",
                    address,
                    drained.millis(),
                    drained.open(),
                    drained.busy(),
                    drained.cut());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "listener " + address + " failed to drain", e);
        }
    }

    private static void stopFramework(Bundle framework) {
        try {
            framework.stop();
        } catch (BundleException | IllegalStateException e) {
            LOG.log(Level.WARNING, "the framework could not be stopped", e);
        }
    }
}

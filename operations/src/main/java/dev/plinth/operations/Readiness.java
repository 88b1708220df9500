package dev.plinth.operations;

import dev.plinth.http.handler.Handler;
import dev.plinth.http.transport.Listener;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Whether this server should get traffic: the framework has started, no drain has begun, a listener is bound, and
 * everything the configuration asks for is up — a listener for each listener configuration, a handler service for
 * each configuration that mounts one (any configuration with a {@link Handler#PREFIX}), and, at start, every bundle
 * in a deploy folder that FileInstall watches (other files there are not waited for). A configuration that was
 * refused, or whose component failed, leaves the server not ready, and the report says which. Computed afresh at
 * each question, from the service registry and Config Admin: a probe every few seconds costs little.
 */
@Component(service = Readiness.class)
public final class Readiness {

    /** The main listener's configuration PID (http-transport's {@code MainListener}). */
    static final String LISTENER_PID = "dev.plinth.http";

    /** The factory PID of further listeners (http-transport's {@code ExtraListener}). */
    static final String LISTENER_FACTORY_PID = "dev.plinth.http.listener";

    private static final String LISTENER_CONFIGURATIONS = "(|(" + Constants.SERVICE_PID + "=" + LISTENER_PID + ")("
            + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + LISTENER_FACTORY_PID + "))";
    private static final String MOUNT_CONFIGURATIONS = "(" + Handler.PREFIX + "=*)";

    /** FileInstall's watchers configured through Config Admin: the distribution's deploy/ folder. */
    private static final String DEPLOY_WATCHERS =
            "(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=org.apache.felix.fileinstall)";

    private final BundleContext context;
    private volatile ConfigurationAdmin configurations;
    private volatile String drainingSince;
    private volatile boolean deployedOnce;

    /**
     * @param context this bundle's context, to look at the framework and its services
     */
    @Activate
    public Readiness(BundleContext context) {
        this.context = context;
    }

    /**
     * @param admin Config Admin: without it, only the listener and the framework are checked
     */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setConfigurationAdmin(ConfigurationAdmin admin) {
        configurations = admin;
    }

    void unsetConfigurationAdmin(ConfigurationAdmin admin) {
        if (configurations == admin) {
            configurations = null;
        }
    }

    /**
     * Turns the server not ready for good: a drain has begun.
     *
     * @param because what began it, such as {@code SIGTERM}
     */
    void drain(String because) {
        drainingSince = because;
    }

    /** @return whether a drain has begun */
    boolean draining() {
        return drainingSince != null;
    }

    /** @return each check and its outcome, now */
    Report report() {
        List<Check> checks = new ArrayList<>();
        String because = drainingSince;
        checks.add(new Check("draining", because == null, because == null ? "no" : "since " + because));
        Bundle framework = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        checks.add(new Check(
                "framework",
                framework != null && framework.getState() == Bundle.ACTIVE,
                framework == null ? "stopped" : stateName(framework.getState())));
        Set<Object> listenerPids = new HashSet<>();
        List<String> bound = new ArrayList<>();
        for (ServiceReference<Listener> listener : references(Listener.class)) {
            listenerPids.add(listener.getProperty(Constants.SERVICE_PID));
            bound.add(String.valueOf(listener.getProperty(Listener.PORT)));
        }
        checks.add(new Check(
                "listener",
                !bound.isEmpty(),
                bound.isEmpty() ? "none bound" : "bound on port " + String.join(", ", bound)));
        Set<Object> handlerPids = new HashSet<>();
        for (ServiceReference<Handler> handler : references(Handler.class)) {
            handlerPids.add(handler.getProperty(Constants.SERVICE_PID));
        }
        ConfigurationAdmin admin = configurations;
        if (admin != null) {
            for (Configuration configuration : list(admin, LISTENER_CONFIGURATIONS)) {
                boolean up = listenerPids.contains(configuration.getPid());
                checks.add(
                        new Check("listener " + configuration.getPid(), up, up ? "bound" : "configured but not bound"));
            }
            for (Configuration configuration : list(admin, MOUNT_CONFIGURATIONS)) {
                boolean up = handlerPids.contains(configuration.getPid());
                Object prefix = configuration.getProperties().get(Handler.PREFIX);
                checks.add(new Check(
                        "mount " + prefix + " " + configuration.getPid(),
                        up,
                        up ? "up" : "configured but no handler service"));
            }
            checks.add(deployed(admin));
        }
        return new Report(checks.stream().allMatch(Check::ok), List.copyOf(checks));
    }

    /**
     * A start-up gate: every bundle in a watched deploy folder has started (or, a fragment, resolved) — so that a
     * node is not ready before the handlers dropped there serve. Once it has passed, it stays passed: a broken
     * bundle dropped in later is FileInstall's to report, and must not take a serving node out of rotation.
     */
    private Check deployed(ConfigurationAdmin admin) {
        if (deployedOnce) {
            return new Check("deploy", true, "every bundle found there at start has started");
        }
        Map<Path, Integer> states = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            Path file = locationFile(bundle.getLocation());
            if (file != null) {
                states.put(file, bundle.getState());
            }
        }
        List<String> waiting = new ArrayList<>();
        int found = 0;
        for (Configuration watcher : list(admin, DEPLOY_WATCHERS)) {
            for (Path jar : watched(watcher)) {
                found++;
                Integer state = states.get(jar);
                if (state == null || (state != Bundle.ACTIVE && state != Bundle.RESOLVED)) {
                    waiting.add(jar.getFileName().toString());
                }
            }
        }
        if (waiting.isEmpty()) {
            deployedOnce = true;
            return new Check("deploy", true, found + " of " + found + " started");
        }
        return new Check("deploy", false, "waiting for " + String.join(", ", waiting));
    }

    private static List<Path> watched(Configuration watcher) {
        Dictionary<String, Object> settings = watcher.getProperties();
        Object dir = settings == null ? null : settings.get("felix.fileinstall.dir");
        if (dir == null) {
            return List.of();
        }
        Object filter = settings.get("felix.fileinstall.filter");
        Pattern names = filter == null ? null : Pattern.compile(filter.toString());
        try (Stream<Path> files = Files.list(Path.of(dir.toString()))) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> names == null
                            || names.matcher(f.getFileName().toString()).matches())
                    .filter(Readiness::bundle)
                    .map(Readiness::real)
                    .collect(Collectors.toList());
        } catch (IOException | RuntimeException e) {
            return List.of(); // no folder: nothing to wait for
        }
    }

    /**
     * Whether FileInstall would install the file as a bundle: a jar whose manifest names a bundle. Other files in a
     * deploy folder (Karaf's README, its features files and blueprint XML, which its own deployers handle) are not
     * waited for; a jar that cannot be read yet (still being copied) is.
     */
    private static boolean bundle(Path file) {
        try (JarFile jar = new JarFile(file.toFile())) {
            Manifest manifest = jar.getManifest();
            return manifest != null && manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME) != null;
        } catch (IOException e) {
            return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar");
        }
    }

    private static Path locationFile(String location) {
        String uri = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        if (!uri.startsWith("file:")) {
            return null;
        }
        try {
            return real(Path.of(URI.create(uri)));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Path real(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    private <S> List<ServiceReference<S>> references(Class<S> type) {
        try {
            return new ArrayList<>(context.getServiceReferences(type, null));
        } catch (InvalidSyntaxException e) {
            throw new AssertionError("no filter given", e);
        } catch (IllegalStateException e) {
            return List.of(); // this bundle is stopping
        }
    }

    private static List<Configuration> list(ConfigurationAdmin admin, String filter) {
        try {
            Configuration[] found = admin.listConfigurations(filter);
            return found == null ? List.of() : List.of(found);
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            return List.of(); // Config Admin going away: the framework check tells the story
        }
    }

    private static String stateName(int state) {
        switch (state) {
            case Bundle.STARTING:
                return "starting";
            case Bundle.ACTIVE:
                return "started";
            case Bundle.STOPPING:
                return "stopping";
            default:
                return "not started";
        }
    }

    /**
     * One check.
     *
     * @param name what is checked
     * @param ok whether it passes
     * @param detail what was found, in a few words
     */
    record Check(String name, boolean ok, String detail) {}

    /**
     * All checks.
     *
     * @param ready whether every check passes
     * @param checks the checks, in a stable order
     */
    record Report(boolean ready, List<Check> checks) {

        /** @return the report as one JSON object: {@code {"status":"ready","checks":[...]}} */
        String json() {
            StringBuilder json = new StringBuilder(256)
                    .append("{\"status\":\"")
                    .append(ready ? "ready" : "not ready")
                    .append("\",\"checks\":[");
            for (int i = 0; i < checks.size(); i++) {
                Check check = checks.get(i);
                json.append(i == 0 ? "{" : ",{").append("\"name\":");
                Json.string(json, check.name());
                json.append(",\"ok\":").append(check.ok()).append(",\"detail\":");
                Json.string(json, check.detail());
                json.append('}');
            }
            return json.append("]}\n").toString();
        }
    }
}

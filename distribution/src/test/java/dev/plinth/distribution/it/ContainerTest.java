package dev.plinth.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.plinth.http.handler.Handler;
import dev.plinth.http.transport.Listener;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Rule;
import org.junit.rules.Timeout;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.AllServiceListener;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * What the tests inside Felix share: the container (the distribution's own bundle set, {@code target/plinth/bundles},
 * with its own configuration files, {@code target/plinth/etc/*.cfg}, read by FileInstall with the
 * {@code felix.fileinstall.*} settings of its {@code config.properties}, on 127.0.0.1 and a free port), and the waits
 * on its services. Each test gets a fresh framework; what a test installs or registers is removed after it.
 */
public abstract class ContainerTest {

    static final long WAIT_MILLIS = 20_000;
    static final Duration HTTP_WAIT = Duration.ofSeconds(10);
    static final Duration DEPLOY_WAIT = Duration.ofSeconds(20);

    // Names as strings: the probe then needs no import of the services' packages, whose bundles the tests stop.
    static final String LISTENER = "(objectClass=dev.plinth.http.transport.Listener)";
    static final String HELLO = "(&(objectClass=dev.plinth.http.handler.Handler)(" + Handler.PREFIX + "=/hello))";

    /** The random file served from the docroot, and compared byte for byte. */
    static final int BLOB_SIZE = 300_000;

    static final long BLOB_SEED = 20261125;

    @Rule
    public Timeout timeout = Timeout.seconds(90);

    @Inject
    BundleContext context;

    final List<Bundle> installed = new ArrayList<>();
    final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final Map<Path, String> etcBefore = new HashMap<>();

    /**
     * The container: every jar of the distribution's {@code bundles/} (not the shell), plus JUnit; a fresh home
     * folder with the distribution's {@code etc/*.cfg}, a docroot and an empty {@code deploy/}.
     *
     * @return the options
     * @throws IOException if the home folder cannot be made
     */
    @Configuration
    public Option[] config() throws IOException {
        Path dist = Path.of(required("plinth.it.dist"));
        Path work = Files.createDirectories(Path.of(required("plinth.it.work")));
        Path home = Files.createTempDirectory(work, "home");

        Path etc = Files.createDirectories(home.resolve("etc"));
        try (Stream<Path> files = Files.list(dist.resolve("etc"))) {
            for (Path cfg : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".cfg"))::iterator) {
                Files.copy(cfg, etc.resolve(cfg.getFileName()));
            }
        }
        // The container runs in the test's own JVM: SIGTERM must stay the JVM's, as the build tool expects.
        Files.writeString(etc.resolve("dev.plinth.shutdown.cfg"), "\nonSignal=false\n", StandardOpenOption.APPEND);
        Files.createDirectories(home.resolve("deploy"));
        prepare(home);
        Path docroot = Files.createDirectories(home.resolve("www"));
        try (Stream<Path> files = Files.list(dist.resolve("www"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, docroot.resolve(file.getFileName()));
            }
        }
        Files.write(docroot.resolve("blob.bin"), blob());

        List<Option> options = new ArrayList<>();
        options.add(
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        options.add(frameworkProperty("plinth.home").value(home.toString()));
        options.add(frameworkProperty("plinth.base").value(home.toString()));
        options.add(frameworkProperty("plinth.http.host").value("127.0.0.1"));
        options.add(frameworkProperty("plinth.http.port").value("0"));
        options.add(frameworkProperty("plinth.docroot").value(docroot.toString()));
        options.add(frameworkProperty("plinth.it.hello")
                .value(Path.of(required("plinth.it.bundles"))
                        .resolve("example-hello.jar")
                        .toUri()
                        .toString()));
        // FileInstall's settings exactly as the distribution's config.properties gives them.
        Properties framework = new Properties();
        try (Reader in = Files.newBufferedReader(dist.resolve("etc/config.properties"))) {
            framework.load(in);
        }
        for (String name : framework.stringPropertyNames()) {
            if (name.startsWith("felix.fileinstall.")) {
                String value = framework
                        .getProperty(name)
                        .replace("${plinth.home}", home.toString())
                        .replace("${plinth.base}", home.toString());
                options.add(frameworkProperty(name).value(value));
            }
        }
        try (Stream<Path> jars = Files.list(dist.resolve("bundles"))) {
            jars.filter(f -> f.toString().endsWith(".jar"))
                    .sorted()
                    .forEach(jar -> options.add(bundle(jar.toUri().toString()).start()));
        }
        options.add(junitBundles());
        options.add(cleanCaches());
        return options(composite(options.toArray(new Option[0])));
    }

    /**
     * Adds to the home folder before the framework starts; nothing by default.
     *
     * @param home the home folder, with etc/ and an empty deploy/
     * @throws IOException if it cannot be written
     */
    protected void prepare(Path home) throws IOException {}

    @After
    public void restoreTheConfigurationFiles() throws IOException {
        for (Map.Entry<Path, String> file : etcBefore.entrySet()) {
            if (file.getValue() == null) {
                Files.deleteIfExists(file.getKey());
            } else {
                Files.writeString(file.getKey(), file.getValue());
            }
        }
    }

    @After
    public void uninstallWhatTheTestInstalled() {
        for (ServiceRegistration<?> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone
            }
        }
        for (Bundle bundle : installed) {
            try {
                bundle.uninstall();
            } catch (Exception | LinkageError e) {
                // already gone
            }
        }
    }

    /** @return the port of the transport's listener, waiting for it to be registered */
    int awaitListenerPort() throws Exception {
        ServiceTracker<Object, Object> listener = track(LISTENER);
        try {
            assertNotNull("a Listener service within " + WAIT_MILLIS + " ms", listener.waitForService(WAIT_MILLIS));
            Object port = listener.getServiceReference().getProperty(Listener.PORT);
            assertTrue("plinth.http.port is an Integer: " + port, port instanceof Integer);
            assertEquals("127.0.0.1", listener.getServiceReference().getProperty(Listener.HOST));
            return (Integer) port;
        } finally {
            listener.close();
        }
    }

    /** Installs and starts the example handler bundle, and waits for its handler service. */
    Bundle installHello() throws Exception {
        String location = context.getProperty("plinth.it.hello");
        Bundle hello;
        try (InputStream in = new java.net.URL(location).openStream()) {
            hello = context.installBundle(location, in);
        }
        installed.add(hello);
        ServiceTracker<Object, Object> handler = track(HELLO);
        try {
            hello.start();
            assertNotNull("the hello handler service", handler.waitForService(WAIT_MILLIS));
        } finally {
            handler.close();
        }
        return hello;
    }

    Bundle bundleNamed(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        fail("no bundle " + symbolicName);
        return null;
    }

    /** A tracker of every service matching the filter, whatever class space it lives in. */
    ServiceTracker<Object, Object> track(String filter) throws InvalidSyntaxException {
        Filter parsed = context.createFilter(filter);
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, parsed, null);
        tracker.open(true);
        return tracker;
    }

    /**
     * Writes a configuration file into etc/, for FileInstall to apply. The home folder is shared by the tests of a
     * class: the file is put back as it was (or deleted) after the test.
     */
    void writeEtc(String file, String content) throws IOException {
        Path path = Path.of(context.getProperty("plinth.base"), "etc").resolve(file);
        if (!etcBefore.containsKey(path)) {
            etcBefore.put(path, Files.exists(path) ? Files.readString(path) : null);
        }
        Files.writeString(path, content);
    }

    /** @return the content of a configuration file in etc/ */
    String readEtc(String file) throws IOException {
        return Files.readString(
                Path.of(context.getProperty("plinth.base"), "etc").resolve(file));
    }

    /** Writes a configuration file into etc/ and waits until the service it configures shows it. */
    void configure(String file, String content, String appliedFilter) throws Exception {
        writeEtc(file, content);
        ServiceTracker<Object, Object> applied = track(appliedFilter);
        try {
            assertNotNull("FileInstall applied " + file, applied.waitForService(WAIT_MILLIS));
        } finally {
            applied.close();
        }
    }

    /** @return a latch counted down when a service matching the filter is unregistered; register before acting */
    CountDownLatch awaitUnregistering(String filter) throws InvalidSyntaxException {
        CountDownLatch latch = new CountDownLatch(1);
        AllServiceListener listener = new AllServiceListener() {
            @Override
            public void serviceChanged(ServiceEvent event) {
                if (event.getType() == ServiceEvent.UNREGISTERING) {
                    latch.countDown();
                    context.removeServiceListener(this);
                }
            }
        };
        context.addServiceListener(listener, filter);
        return latch;
    }

    static byte[] blob() {
        byte[] bytes = new byte[BLOB_SIZE];
        new Random(BLOB_SEED).nextBytes(bytes);
        return bytes;
    }

    static String required(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run through mvn verify");
        }
        return value;
    }
}

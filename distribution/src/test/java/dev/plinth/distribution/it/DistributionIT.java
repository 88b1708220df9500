package dev.plinth.distribution.it;

import static org.junit.Assert.assertArrayEquals;
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

import dev.plinth.distribution.it.HttpProbe.Reply;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Response;
import dev.plinth.http.transport.Listener;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.AllServiceListener;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Boots the distribution's own bundle set ({@code target/plinth/bundles}) with its own configuration files
 * ({@code target/plinth/etc/*.cfg}, read by FileInstall with the {@code felix.fileinstall.*} settings of its
 * {@code config.properties}), on 127.0.0.1 and a free port, and talks HTTP to it over real sockets.
 *
 * <p>Each test gets a fresh framework. Waits are on service events (trackers, listeners); the only polling is of the
 * socket, with a deadline, where the order of two service listeners (ours and the glue's) is not defined, and for
 * FileInstall, which is itself a poller.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class DistributionIT {

    private static final long WAIT_MILLIS = 20_000;
    private static final Duration HTTP_WAIT = Duration.ofSeconds(10);
    private static final Duration DEPLOY_WAIT = Duration.ofSeconds(20);

    // Names as strings: the probe then needs no import of the services' packages, whose bundles the tests stop.
    private static final String LISTENER = "(objectClass=dev.plinth.http.transport.Listener)";
    private static final String HELLO =
            "(&(objectClass=dev.plinth.http.handler.Handler)(" + Handler.PREFIX + "=/hello))";

    /** The random file served from the docroot, and compared byte for byte. */
    private static final int BLOB_SIZE = 300_000;

    private static final long BLOB_SEED = 20261125;

    @Rule
    public Timeout timeout = Timeout.seconds(90);

    @Inject
    private BundleContext context;

    private final List<Bundle> installed = new ArrayList<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

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
        Files.createDirectories(home.resolve("deploy"));
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
                String value = framework.getProperty(name).replace("${plinth.home}", home.toString());
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

    @Test
    public void servesTheDocrootByteForByte() throws Exception {
        int port = awaitListenerPort();

        Reply blob = HttpProbe.awaitStatus(port, "/blob.bin", 200, HTTP_WAIT);
        assertArrayEquals(blob(), blob.body());

        Path www = Path.of(context.getProperty("plinth.docroot"));
        Reply png = HttpProbe.get(port, "/plinth.png");
        assertEquals(200, png.status());
        assertEquals("image/png", png.header("content-type"));
        assertArrayEquals(Files.readAllBytes(www.resolve("plinth.png")), png.body());

        Reply index = HttpProbe.get(port, "/");
        assertEquals(200, index.status());
        assertArrayEquals(Files.readAllBytes(www.resolve("index.html")), index.body());

        assertEquals(404, HttpProbe.get(port, "/no-such-file.txt").status());
    }

    @Test
    public void handlerBundleInstalledAtRunTimeServesUntilUninstalled() throws Exception {
        int port = awaitListenerPort();
        HttpProbe.awaitStatus(port, "/", 200, HTTP_WAIT);
        assertEquals(404, HttpProbe.get(port, "/hello").status());

        Bundle hello = installHello();
        Reply greeting = HttpProbe.awaitStatus(port, "/hello", 200, HTTP_WAIT);
        assertEquals("Hello from a Plinth handler bundle\n", greeting.text());
        assertEquals("Hello, Ada\n", HttpProbe.get(port, "/hello?name=Ada").text());

        CountDownLatch gone = awaitUnregistering(HELLO);
        hello.uninstall();
        assertTrue("the hello handler service went away", gone.await(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        HttpProbe.awaitStatus(port, "/hello", 404, HTTP_WAIT);
        assertArrayEquals(blob(), HttpProbe.get(port, "/blob.bin").body());
    }

    @Test
    public void aHandlerRegisteredAsNonBlockingRunsOnTheIoThreadOthersOnWorkers() throws Exception {
        int port = awaitListenerPort();
        Listener listener = listener();
        long inlineBefore = listener.stats().inlineCalls();
        register("/probe/inline", true);
        register("/probe/worker", false);
        String inline =
                HttpProbe.awaitStatus(port, "/probe/inline", 200, HTTP_WAIT).text();
        assertTrue(inline, inline.startsWith("plinth-selector-"));
        String worker =
                HttpProbe.awaitStatus(port, "/probe/worker", 200, HTTP_WAIT).text();
        assertTrue(worker, worker.startsWith("plinth-worker-"));
        assertTrue("the listener counted the inline calls", listener.stats().inlineCalls() >= inlineBefore + 1);
        assertEquals(0, listener.stats().blockedLoops());
    }

    /**
     * Registers, from this test's bundle, a handler answering with the name of the thread that called it. Every call
     * registers the same (non-capturing lambda) object: one object may serve several prefixes.
     */
    private void register(String prefix, boolean nonBlocking) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Handler.PREFIX, prefix);
        properties.put(Handler.NONBLOCKING, nonBlocking);
        Handler handler = request -> CompletableFuture.completedStage(
                Response.text(200, Thread.currentThread().getName()));
        registrations.add(context.registerService(Handler.class, handler, properties));
    }

    private Listener listener() throws Exception {
        ServiceTracker<Listener, Listener> tracker = new ServiceTracker<>(context, Listener.class, null);
        tracker.open();
        try {
            Listener found = tracker.waitForService(WAIT_MILLIS);
            assertNotNull("a Listener service", found);
            return found;
        } finally {
            tracker.close();
        }
    }

    @Test
    public void restartingHttpCoreBringsEveryHandlerBack() throws Exception {
        awaitListenerPort();
        installHello();
        Bundle core = bundleNamed("dev.plinth.http.core");

        CountDownLatch listenerGone = awaitUnregistering(LISTENER);
        core.stop();
        assertTrue("the listener went away with http-core", listenerGone.await(WAIT_MILLIS, TimeUnit.MILLISECONDS));

        core.start();
        int port = awaitListenerPort();
        assertArrayEquals(
                blob(), HttpProbe.awaitStatus(port, "/blob.bin", 200, HTTP_WAIT).body());
        assertEquals(
                "Hello from a Plinth handler bundle\n",
                HttpProbe.awaitStatus(port, "/hello", 200, HTTP_WAIT).text());
        assertEquals(200, HttpProbe.awaitHeadStatus(port, "/stream/clock", 200, HTTP_WAIT));
    }

    @Test
    public void bundleDroppedIntoDeployGoesLiveAndLeavesWhenRemoved() throws Exception {
        int port = awaitListenerPort();
        HttpProbe.awaitStatus(port, "/", 200, HTTP_WAIT);
        Path deploy = Path.of(context.getProperty("plinth.home"), "deploy");
        Path dropped = deploy.resolve("example-hello.jar");
        try {
            ServiceTracker<Object, Object> hello = track(HELLO);
            try {
                // Written aside and moved in, so FileInstall never sees half a jar.
                Path partial = deploy.resolve("example-hello.jar.part");
                try (InputStream in = new java.net.URL(context.getProperty("plinth.it.hello")).openStream()) {
                    Files.copy(in, partial);
                }
                Files.move(partial, dropped, StandardCopyOption.ATOMIC_MOVE);
                assertNotNull(
                        "FileInstall started the dropped bundle's handler",
                        hello.waitForService(DEPLOY_WAIT.toMillis()));
            } finally {
                hello.close();
            }
            assertEquals(
                    "Hello from a Plinth handler bundle\n",
                    HttpProbe.awaitStatus(port, "/hello", 200, HTTP_WAIT).text());

            CountDownLatch gone = awaitUnregistering(HELLO);
            Files.delete(dropped);
            assertTrue("FileInstall removed the bundle", gone.await(DEPLOY_WAIT.toMillis(), TimeUnit.MILLISECONDS));
            HttpProbe.awaitStatus(port, "/hello", 404, HTTP_WAIT);
            assertEquals(200, HttpProbe.get(port, "/").status());
        } finally {
            Files.deleteIfExists(dropped);
        }
    }

    @Test
    public void factoryConfigurationAddsAListenerAndAChangeNeedsNoRebind() throws Exception {
        int mainPort = awaitListenerPort();
        Path etc = Path.of(context.getProperty("plinth.home"), "etc");
        ServiceTracker<Object, Object> listeners = track(LISTENER);
        try {
            Files.writeString(etc.resolve("dev.plinth.http.listener-second.cfg"), "host=127.0.0.1\nport=0\n");
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
            while (listeners.size() < 2) {
                assertTrue("a second Listener service", System.nanoTime() < deadline);
                listeners.waitForService(100);
                Thread.sleep(20); // FileInstall polls the folder; the tracker's count is the event
            }
            int secondPort = -1;
            for (org.osgi.framework.ServiceReference<Object> reference : listeners.getServiceReferences()) {
                int port = (Integer) reference.getProperty(Listener.PORT);
                if (port != mainPort) {
                    secondPort = port;
                }
            }
            assertTrue("the second listener has its own port", secondPort > 0);
            Reply viaSecond = HttpProbe.awaitStatus(secondPort, "/blob.bin", 200, HTTP_WAIT);
            assertArrayEquals("the second port serves the same handlers", blob(), viaSecond.body());

            Object mainId = null;
            for (org.osgi.framework.ServiceReference<Object> reference : listeners.getServiceReferences()) {
                if ((Integer) reference.getProperty(Listener.PORT) == mainPort) {
                    mainId = reference.getProperty("service.id");
                }
            }
            Path main = etc.resolve("dev.plinth.http.cfg");
            Files.writeString(main, Files.readString(main) + "\nserverName=Plinth-changed\n");
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
            while (!"Plinth-changed".equals(HttpProbe.get(mainPort, "/blob.bin").header("server"))) {
                assertTrue("the new Server value applies", System.nanoTime() < deadline);
                Thread.sleep(50); // FileInstall is itself a poller
            }
            boolean sameRegistration = false;
            for (org.osgi.framework.ServiceReference<Object> reference : listeners.getServiceReferences()) {
                sameRegistration |= reference.getProperty("service.id").equals(mainId);
            }
            assertTrue("the main listener was reconfigured, not rebound", sameRegistration);
        } finally {
            listeners.close();
        }
    }

    /** @return the port of the transport's listener, waiting for it to be registered */
    private int awaitListenerPort() throws Exception {
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
    private Bundle installHello() throws Exception {
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

    private Bundle bundleNamed(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        fail("no bundle " + symbolicName);
        return null;
    }

    /** A tracker of every service matching the filter, whatever class space it lives in. */
    private ServiceTracker<Object, Object> track(String filter) throws InvalidSyntaxException {
        Filter parsed = context.createFilter(filter);
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, parsed, null);
        tracker.open(true);
        return tracker;
    }

    /** @return a latch counted down when a service matching the filter is unregistered; register before acting */
    private CountDownLatch awaitUnregistering(String filter) throws InvalidSyntaxException {
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

    private static byte[] blob() {
        byte[] bytes = new byte[BLOB_SIZE];
        new Random(BLOB_SEED).nextBytes(bytes);
        return bytes;
    }

    private static String required(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run through mvn verify");
        }
        return value;
    }
}

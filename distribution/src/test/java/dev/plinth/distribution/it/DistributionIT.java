package dev.plinth.distribution.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import dev.plinth.distribution.it.HttpProbe.Reply;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Response;
import dev.plinth.http.transport.Listener;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The distribution's bundles and configuration in Felix ({@link ContainerTest}), talked to over real sockets.
 *
 * <p>Each test gets a fresh framework. Waits are on service events (trackers, listeners); the only polling is of the
 * socket, with a deadline, where the order of two service listeners (ours and the glue's) is not defined, and for
 * FileInstall, which is itself a poller.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class DistributionIT extends ContainerTest {

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
    public void restartingCoreTransportConfigAdminOrScrBringsEveryHandlerBack() throws Exception {
        awaitListenerPort();
        installHello();
        for (String name : List.of(
                "dev.plinth.http.core",
                "dev.plinth.http.transport",
                "org.apache.felix.configadmin",
                "org.apache.felix.scr")) {
            Bundle restarted = bundleNamed(name);
            CountDownLatch listenerGone = awaitUnregistering(LISTENER);
            restarted.stop();
            if (!name.contains("configadmin")) { // without Config Admin, components keep their configuration
                assertTrue(name + " took the listener with it", listenerGone.await(WAIT_MILLIS, TimeUnit.MILLISECONDS));
            }
            restarted.start();
            int port = awaitListenerPort();
            assertArrayEquals(
                    name,
                    blob(),
                    HttpProbe.awaitStatus(port, "/blob.bin", 200, HTTP_WAIT).body());
            assertEquals(
                    name,
                    "Hello from a Plinth handler bundle\n",
                    HttpProbe.awaitStatus(port, "/hello", 200, HTTP_WAIT).text());
            assertEquals(name, 200, HttpProbe.awaitHeadStatus(port, "/stream/clock", 200, HTTP_WAIT));
        }
    }

    @Test
    public void aHandlerThatFailsToActivateHarmsNoOther() throws Exception {
        int port = awaitListenerPort();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Handler.PREFIX, "/broken");
        registrations.add(context.registerService(
                Handler.class.getName(),
                new ServiceFactory<Handler>() {
                    @Override
                    public Handler getService(Bundle bundle, ServiceRegistration<Handler> registration) {
                        throw new IllegalStateException("this handler's activation fails");
                    }

                    @Override
                    public void ungetService(Bundle bundle, ServiceRegistration<Handler> registration, Handler h) {}
                },
                properties));
        register("/probe/after", false);
        HttpProbe.awaitStatus(port, "/probe/after", 200, HTTP_WAIT);
        assertEquals(
                "the broken one is not bound: its path falls to the docroot",
                404,
                HttpProbe.get(port, "/broken").status());
        assertArrayEquals(blob(), HttpProbe.get(port, "/blob.bin").body());
    }

    @Test
    public void bundleDroppedIntoDeployGoesLiveAndLeavesWhenRemoved() throws Exception {
        int port = awaitListenerPort();
        HttpProbe.awaitStatus(port, "/", 200, HTTP_WAIT);
        Path deploy = Path.of(context.getProperty("plinth.base"), "deploy");
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
        ServiceTracker<Object, Object> listeners = track(LISTENER);
        try {
            writeEtc("dev.plinth.http.listener-second.cfg", "host=127.0.0.1\nport=0\n");
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
            writeEtc("dev.plinth.http.cfg", readEtc("dev.plinth.http.cfg") + "\nserverName=Plinth-changed\n");
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
}

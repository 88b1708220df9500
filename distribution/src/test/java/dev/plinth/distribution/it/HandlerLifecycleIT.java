package dev.plinth.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import dev.plinth.distribution.it.HttpProbe.Reply;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Handler bundles that are updated, stopped and removed while requests flow: nothing is lost, nothing hangs.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HandlerLifecycleIT extends ContainerTest {

    private static final String CLOCK = "(&(objectClass=dev.plinth.http.handler.Handler)(interval.ms=100))";
    private static final int LOADERS = 4;
    private static final int UPDATES = 5;

    @Test
    public void updatesUnderLoadAnswerEveryRequest() throws Exception {
        int port = awaitListenerPort();
        Bundle hello = installHello();
        HttpProbe.awaitStatus(port, "/hello", 200, HTTP_WAIT);
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        LongAdder failures = new LongAdder();
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService loaders = Executors.newFixedThreadPool(LOADERS);
        try {
            CountDownLatch started = new CountDownLatch(LOADERS);
            for (int i = 0; i < LOADERS; i++) {
                loaders.execute(() -> load(port, loading, started, statuses, failures));
            }
            assertTrue("the loaders run", started.await(WAIT_MILLIS, TimeUnit.MILLISECONDS));
            FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
            for (int update = 0; update < UPDATES; update++) {
                long before = served(statuses);
                ServiceTracker<Object, Object> next = track(HELLO);
                try {
                    try (InputStream in = new java.net.URL(context.getProperty("plinth.it.hello")).openStream()) {
                        hello.update(in); // stops it (its handler leaves), updates, starts it again
                    }
                    refresh(wiring, hello); // as FileInstall does after an update: stops and starts it once more
                    assertNotNull("the new version's handler", next.waitForService(WAIT_MILLIS));
                } finally {
                    next.close();
                }
                awaitMore(statuses, before);
            }
        } finally {
            loading.set(false);
            loaders.shutdown();
            assertTrue(loaders.awaitTermination(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        }
        Map<Integer, Long> counted = new TreeMap<>();
        statuses.forEach((status, count) -> counted.put(status, count.sum()));
        assertEquals(
                "every request answered 200 by the old or the new version: " + counted,
                Map.of(200, counted.getOrDefault(200, 0L)),
                counted);
        assertTrue("requests flowed: " + counted, counted.getOrDefault(200, 0L) > UPDATES);
        assertEquals("no request failed on the wire", 0, failures.sum());
    }

    /** Keeps one keep-alive connection busy with {@code GET /hello}, opening a new one when the server closes it. */
    private static void load(
            int port,
            AtomicBoolean loading,
            CountDownLatch started,
            Map<Integer, LongAdder> statuses,
            LongAdder failures) {
        started.countDown();
        while (loading.get()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                socket.setSoTimeout(20_000);
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream());
                while (loading.get()) {
                    out.write("GET /hello HTTP/1.1\r\nHost: it\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    Reply reply = HttpProbe.read(in);
                    statuses.computeIfAbsent(reply.status(), s -> new LongAdder())
                            .increment();
                    if ("close".equalsIgnoreCase(reply.header("connection"))) {
                        break;
                    }
                }
            } catch (IOException e) {
                failures.increment();
            }
        }
    }

    private static long served(Map<Integer, LongAdder> statuses) {
        return statuses.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Waits until the loaders got more answers than before: the new version serves. */
    private static void awaitMore(Map<Integer, LongAdder> statuses, long before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (served(statuses) <= before + LOADERS) {
            assertTrue("answers keep coming after the update", System.nanoTime() < deadline);
            Thread.sleep(5); // the loaders' progress is the event; they report to no one
        }
    }

    private void refresh(FrameworkWiring wiring, Bundle bundle) throws InterruptedException {
        CountDownLatch refreshed = new CountDownLatch(1);
        wiring.refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        assertTrue("the refresh ended", refreshed.await(WAIT_MILLIS, TimeUnit.MILLISECONDS));
    }

    @Test
    public void anUninstalledHandlersPathAnswersFromTheTableAtOnce() throws Exception {
        int port = awaitListenerPort();
        configureGlue("handoverMillis", 600000);
        Bundle hello = installHello();
        HttpProbe.awaitStatus(port, "/hello", 200, HTTP_WAIT);
        CountDownLatch gone = awaitUnregistering(HELLO);
        hello.uninstall();
        assertTrue(gone.await(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        // held for a replacement, it would wait ten minutes: the socket's timeout would fail this
        assertEquals(404, HttpProbe.get(port, "/hello").status());
    }

    @Test
    public void aStreamInFlightWhenItsBundleStopsRunsToItsEnd() throws Exception {
        int port = awaitListenerPort();
        configure("dev.plinth.handlers.stream.clock.cfg", "interval.ms=100\n", CLOCK);
        Bundle stream = bundleNamed("dev.plinth.handlers.stream");
        try (Socket socket = open(port, "/stream/clock?ticks=20")) {
            InputStream in = socket.getInputStream();
            String head = headOf(in);
            assertTrue(head, head.startsWith("HTTP/1.1 200"));
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> stop(stream));
            String body = new String(HttpProbe.chunkedBody(in), StandardCharsets.UTF_8);
            assertEquals(body, 20, body.lines().count());
            assertTrue(body, body.endsWith("tick 20\n"));
            stopped.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            assertEquals(Bundle.RESOLVED, stream.getState());
        }
    }

    @Test
    public void theDrainDeadlineEndsAnEndlessBodyCleanlyAndCutsAFiniteOne() throws Exception {
        int port = awaitListenerPort();
        configureGlue("drainMillis", 1000);
        configure("dev.plinth.handlers.stream.clock.cfg", "interval.ms=100\n", CLOCK);
        Bundle stream = bundleNamed("dev.plinth.handlers.stream");
        try (Socket endless = open(port, "/stream/clock");
                Socket finite = open(port, "/stream/clock?ticks=100000")) {
            InputStream endlessIn = endless.getInputStream();
            InputStream finiteIn = finite.getInputStream();
            assertTrue(headOf(endlessIn).contains("Connection: close"));
            assertTrue(headOf(finiteIn).contains("Transfer-Encoding: chunked"));
            long start = System.nanoTime();
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> stop(stream));
            String rest = new String(endlessIn.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(
                    "ended by the deadline, not before: the finite one kept the drain waiting",
                    System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(900));
            assertTrue("whole lines to the end: " + rest, rest.isEmpty() || rest.endsWith("\n"));
            ByteArrayOutputStream cut = new ByteArrayOutputStream();
            finiteIn.transferTo(cut);
            assertFalse(
                    "never falsely ended",
                    cut.toString(StandardCharsets.US_ASCII).endsWith("0\r\n\r\n"));
            stopped.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private static void stop(Bundle bundle) {
        try {
            bundle.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets one of the glue's settings and waits until the glue has it. */
    private void configureGlue(String setting, long value) throws Exception {
        configure(
                "dev.plinth.glue.cfg",
                setting + "=" + value + "\n",
                "(&(objectClass=dev.plinth.http.core.Glue)(" + setting + "=" + value + "))");
    }

    private static Socket open(int port, String path) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(20_000);
        socket.getOutputStream()
                .write(("GET " + path + " HTTP/1.1\r\nHost: it\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** @return the response head, read byte by byte up to its blank line */
    private static String headOf(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the head ended early: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }
}

package dev.plinth.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import dev.plinth.distribution.it.HttpProbe.Reply;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The health endpoints and the drain inside Felix, with the distribution's configuration: ready once everything
 * configured is up, not ready when a configured mount is missing, 503 from the first moment of a drain while the
 * server keeps serving for the delay, then no more accepting, idle connections closed and the exchange in flight
 * finished with {@code Connection: close}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HealthIT extends ContainerTest {

    private static final String DRAIN = "(osgi.command.function=drain)";

    @Test
    public void readyOnceTheConfiguredMountsAreUpAndNotReadyWhileOneIsMissing() throws Exception {
        int port = awaitListenerPort();
        Reply ready = awaitReady(port);
        assertTrue(text(ready), text(ready).startsWith("{\"status\":\"ready\","));
        assertTrue(
                text(ready), text(ready).contains("\"name\":\"mount / dev.plinth.handlers.static~www\",\"ok\":true"));
        assertEquals("application/json", ready.headers().get("content-type"));
        assertEquals(200, HttpProbe.get(port, "/health/live").status());

        writeEtc("dev.plinth.handlers.static-missing.cfg", "plinth.handler.prefix=/missing\ndocroot=/no/such/folder\n");
        Reply missing = HttpProbe.awaitStatus(port, "/health/ready", 503, HTTP_WAIT);
        assertTrue(
                text(missing),
                text(missing)
                        .contains("\"name\":\"mount /missing dev.plinth.handlers.static~missing\","
                                + "\"ok\":false,\"detail\":\"configured but no handler service\""));
        assertEquals(200, HttpProbe.get(port, "/health/live").status());
    }

    @Test
    public void aDrainTurnsReadinessAtOnceServesForTheDelayThenClosesIdleConnectionsAndFinishesTheExchange()
            throws Exception {
        int port = awaitListenerPort();
        awaitReady(port);
        configure(
                "dev.plinth.shutdown.cfg",
                "delayMillis=1500\ngraceMillis=10000\nonSignal=false\n",
                "(&" + DRAIN + "(delayMillis=1500))");
        CountDownLatch called = new CountDownLatch(1);
        CompletableFuture<Response> answer = new CompletableFuture<>();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Handler.PREFIX, "/slow");
        registrations.add(context.registerService(
                Handler.class,
                request -> {
                    called.countDown();
                    return answer;
                },
                properties));
        HttpProbe.awaitStatus(port, "/health/ready", 200, HTTP_WAIT);

        try (Socket idle = open(port);
                Socket busy = open(port)) {
            send(idle, "/");
            assertEquals(200, HttpProbe.read(idle.getInputStream()).status());
            send(busy, "/slow");
            assertTrue("the slow handler was called", called.await(WAIT_MILLIS, TimeUnit.MILLISECONDS));

            String said = drain("--keep-running");
            assertTrue(said, said.startsWith("draining: readiness answers 503; serving 1500 ms more"));
            Reply notReady = HttpProbe.get(port, "/health/ready");
            assertEquals(503, notReady.status());
            assertTrue(text(notReady), text(notReady).contains("\"name\":\"draining\",\"ok\":false,"));
            assertEquals(
                    "still serving during the delay",
                    200,
                    HttpProbe.get(port, "/").status());

            assertEquals(
                    "the idle connection is closed when the delay is over",
                    -1,
                    idle.getInputStream().read());
            assertRefused(port);
            answer.complete(Response.text(200, "finished"));
            Reply last = HttpProbe.read(busy.getInputStream());
            assertEquals("finished", text(last));
            // the drain reaches each selector thread in turn: the answer says close if it reached this one first
            assertEquals(
                    "closed after the exchange in flight",
                    -1,
                    busy.getInputStream().read());
        }
        assertTrue(drain("--keep-running").startsWith("a drain is under way already"));
    }

    @Test
    public void anAdminListenerServesTheEndpointsInsteadOfTheMainListener() throws Exception {
        int port = awaitListenerPort();
        int admin;
        try (ServerSocket free = new ServerSocket(0)) {
            admin = free.getLocalPort();
        }
        writeEtc("dev.plinth.health.cfg", "adminPort=" + admin + "\nadminHost=127.0.0.1\n");
        Reply ready = HttpProbe.awaitStatus(admin, "/health/ready", 200, HTTP_WAIT);
        assertTrue(
                text(ready),
                text(ready).contains("\"name\":\"listener\",\"ok\":true,\"detail\":\"bound on port " + port + "\""));
        assertEquals(200, HttpProbe.get(admin, "/health/live").status());
        assertEquals(404, HttpProbe.get(admin, "/").status());
        HttpProbe.awaitStatus(port, "/health/ready", 404, HTTP_WAIT); // the static handler's 404, no more ours
    }

    /** Waits for the endpoint's service, then for it to answer 200: the first start is slow on a busy machine. */
    private Reply awaitReady(int port) throws Exception {
        ServiceTracker<Object, Object> endpoint = track("(" + Handler.PREFIX + "=/health/ready)");
        try {
            assertNotNull("the readiness endpoint", endpoint.waitForService(WAIT_MILLIS));
        } finally {
            endpoint.close();
        }
        return HttpProbe.awaitStatus(port, "/health/ready", 200, HTTP_WAIT);
    }

    private String drain(String option) throws Exception {
        ServiceReference<?>[] found = context.getServiceReferences((String) null, DRAIN);
        assertNotNull("the drain command", found);
        Object command = context.getService(found[0]);
        try {
            return (String) command.getClass().getMethod("drain", String.class).invoke(command, option);
        } finally {
            context.ungetService(found[0]);
        }
    }

    private static void assertRefused(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(2_000);
            send(socket, "/");
            InputStream in = socket.getInputStream();
            assertEquals("no answer from a listener that stopped accepting", -1, in.read());
        } catch (ConnectException refused) {
            assertFalse(refused.getMessage().isEmpty());
        } catch (IOException reset) {
            assertNotNull(reset.getMessage());
        }
    }

    private static Socket open(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static void send(Socket socket, String path) throws IOException {
        socket.getOutputStream()
                .write(("GET " + path + " HTTP/1.1\r\nHost: it\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static String text(Reply reply) {
        return new String(reply.body(), StandardCharsets.UTF_8);
    }
}

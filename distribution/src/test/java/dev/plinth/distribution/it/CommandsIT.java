package dev.plinth.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The operator's commands inside Felix, run through Gogo's command processor as the shell runs them: the
 * distribution's bundles ({@link ContainerTest}) plus, from its {@code bundles/shell/}, the Gogo runtime and the
 * commands bundle (not the shell itself, which wants a console). One framework serves the four tests: the commands
 * only read, and what a test installs is removed after it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CommandsIT extends ContainerTest {

    private static final String STATIC = "dev.plinth.handlers.statics";
    private static final String STREAM = "dev.plinth.handlers.stream";
    private static final String COMMANDS = "(&(osgi.command.scope=plinth)(osgi.command.function=stats))";

    /**
     * The distribution's container, plus the Gogo runtime and the commands bundle from {@code bundles/shell/}.
     *
     * @return the options
     * @throws IOException if the home folder cannot be made or the shell folder read
     */
    @Override
    @Configuration
    public Option[] config() throws IOException {
        List<Option> options = new ArrayList<>(Arrays.asList(super.config()));
        Path shell = Path.of(required("plinth.it.dist"), "bundles", "shell");
        List<Path> jars;
        try (Stream<Path> files = Files.list(shell)) {
            jars = files.filter(f -> {
                        String name = f.getFileName().toString();
                        return name.endsWith(".jar")
                                && (name.startsWith("org.apache.felix.gogo.runtime-")
                                        || name.startsWith("operator-commands-"));
                    })
                    .sorted()
                    .toList();
        }
        assertEquals("the Gogo runtime and the commands in " + shell + ": " + jars, 2, jars.size());
        jars.forEach(jar -> options.add(bundle(jar.toUri().toString()).start()));
        return options(composite(options.toArray(new Option[0])));
    }

    @Test
    public void handlersListsTheSampleHandlersWithTheirBundles() throws Exception {
        int port = awaitListenerPort();
        // the glue's table follows the handlers' service events: answers prove they are in it
        HttpProbe.awaitStatus(port, "/", 200, HTTP_WAIT);
        HttpProbe.awaitHeadStatus(port, "/stream/clock", 200, HTTP_WAIT);
        HttpProbe.awaitStatus(port, "/stream/echo", 405, HTTP_WAIT);

        String text = execute("plinth:handlers");

        assertTrue(text, text.startsWith("glue dev.plinth.http.core.glue.DefaultGlue (service.id "));
        assertTrue(text, row(text, "/ ").contains(bundleCell(STATIC)));
        assertTrue(text, row(text, "/stream/clock ").contains(bundleCell(STREAM)));
        assertTrue(text, row(text, "/stream/echo ").contains(bundleCell(STREAM)));
        assertTrue(text, row(text, "/stream/clock ").contains("ClockHandler"));
    }

    @Test
    public void explainNamesTheHelloHandlerAndSaysWhyTheStaticHandlerLost() throws Exception {
        int port = awaitListenerPort();
        HttpProbe.awaitStatus(port, "/", 200, HTTP_WAIT);
        installHello();
        HttpProbe.awaitStatus(port, "/hello", 200, HTTP_WAIT);

        String text = execute("plinth:explain /hello");

        assertTrue(text, text.startsWith("/hello on any host\n"));
        assertTrue(text, text.contains("\nchosen  dev.plinth.example.hello.HelloHandler (service.id "));
        List<String> lines = text.lines().toList();
        int staticLine = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("lost    " + STATIC + ".")) {
                staticLine = i;
            }
        }
        assertTrue("the static handler lost: " + text, staticLine > 0 && staticLine + 1 < lines.size());
        assertEquals(
                text,
                "its prefix / is shorter than /hello",
                lines.get(staticLine + 1).strip());
        assertTrue(text, execute("plinth:explain /hello example.com:8080").startsWith("/hello on host example.com\n"));
        assertTrue(execute("plinth:handlers").contains(bundleCell("dev.plinth.example.hello")));
    }

    @Test
    public void connectionsShowsAKeptAliveConnectionIdleAfterOneRequest() throws Exception {
        int port = awaitListenerPort();
        HttpProbe.awaitStatus(port, "/", 200, HTTP_WAIT);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) HTTP_WAIT.toMillis());
            socket.setSoTimeout((int) HTTP_WAIT.toMillis());
            socket.getOutputStream()
                    .write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            HttpProbe.Reply reply = HttpProbe.read(socket.getInputStream());
            assertEquals(200, reply.status());
            assertEquals(null, reply.header("connection"));

            String text = execute("plinth:connections");

            assertTrue(text, text.contains("listener 127.0.0.1:" + port + ": "));
            String[] cells =
                    row(text, "127.0.0.1:" + socket.getLocalPort() + " ").split(" {2,}");
            assertEquals(text, 5, cells.length);
            assertEquals(text, "1", cells[2]);
            assertEquals(text, "idle", cells[3]);
            assertEquals(text, "0", cells[4]);
        }
    }

    @Test
    public void statsShowsTheRequestsCounted() throws Exception {
        int port = awaitListenerPort();
        HttpProbe.awaitStatus(port, "/", 200, HTTP_WAIT);

        String text = execute("plinth:stats");

        assertTrue(text, text.startsWith("listener 127.0.0.1:" + port + "\n"));
        String[] requests = row(text, "requests ").split(" +");
        assertEquals(text, 2, requests.length);
        assertTrue(text, Long.parseLong(requests[1]) >= 1);
        assertTrue(text, text.contains("\nconnectionsTotal "));
        assertTrue(text, text.contains("\nbytesOut "));
    }

    /**
     * Runs a command as the shell would and returns what it printed, its value included. Gogo learns of the commands
     * service by a service listener of its own, whose order with this test's tracker is not defined: a command not
     * found yet is tried again, briefly.
     */
    private String execute(String command) throws Exception {
        ServiceTracker<CommandProcessor, CommandProcessor> processors =
                new ServiceTracker<>(context, CommandProcessor.class, null);
        ServiceTracker<Object, Object> commands = track(COMMANDS);
        processors.open();
        try {
            CommandProcessor processor = processors.waitForService(WAIT_MILLIS);
            assertNotNull("Gogo's command processor", processor);
            assertNotNull("the plinth commands service", commands.waitForService(WAIT_MILLIS));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
            while (true) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                InputStream in = new ByteArrayInputStream(new byte[0]);
                try (CommandSession session = processor.createSession(in, out, out)) {
                    Object value = session.execute(command);
                    assertTrue(command + " returns its text: " + value, value instanceof String);
                    return out.toString(StandardCharsets.UTF_8) + value;
                } catch (Exception e) {
                    if (!e.getClass().getSimpleName().equals("CommandNotFoundException")
                            || System.nanoTime() > deadline) {
                        throw e;
                    }
                }
                Thread.sleep(20);
            }
        } finally {
            commands.close();
            processors.close();
        }
    }

    @Test
    public void drainIsACommandTooAndRefusesAnOptionItDoesNotKnow() throws Exception {
        int port = awaitListenerPort();
        HttpProbe.awaitStatus(port, "/health/ready", 200, HTTP_WAIT);
        assertEquals("usage: plinth:drain [--keep-running]\n", execute("plinth:drain --now"));
        assertEquals(
                "nothing started", 200, HttpProbe.get(port, "/health/ready").status());
        assertTrue(execute("plinth:drain --keep-running").startsWith("draining: readiness answers 503; serving "));
        assertEquals(503, HttpProbe.get(port, "/health/ready").status());
    }

    /** @return the first line of the text that starts with the given start */
    private static String row(String text, String start) {
        return text.lines()
                .filter(line -> line.startsWith(start))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + start + "' in\n" + text));
    }

    /** @return the bundle as {@code plinth:handlers} shows it: {@code [id] symbolic-name version} */
    private String bundleCell(String symbolicName) {
        Bundle bundle = bundleNamed(symbolicName);
        return "[" + bundle.getBundleId() + "] " + symbolicName + " " + bundle.getVersion();
    }
}

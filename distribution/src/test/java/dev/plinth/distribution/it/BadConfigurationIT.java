package dev.plinth.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.ServiceReference;

/**
 * A bad value in a configuration file, as an operator makes one: one log line naming the PID, the key and the value,
 * and the previous configuration serving on, untouched.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class BadConfigurationIT extends ContainerTest {

    /** Plinth's bundles log through System.Logger, which the JDK hands to java.util.logging. */
    private final Logger plinth = Logger.getLogger("dev.plinth");

    private final BlockingQueue<String> errors = new LinkedBlockingQueue<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(record.getLoggerName() + ": " + new java.util.logging.SimpleFormatter().formatMessage(record)
                        + (record.getThrown() == null ? "" : " WITH A STACK TRACE"));
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @Before
    public void listen() {
        plinth.addHandler(capture);
    }

    @After
    public void stopListening() {
        plinth.removeHandler(capture);
    }

    @Test
    public void aPortThatIsNotANumberOrAnUnknownKeyLeavesTheListenerServingAndSaysSoInOneLine() throws Exception {
        int port = awaitListenerPort();
        ServiceReference<?> before = context.getServiceReference("dev.plinth.http.transport.Listener");
        String good = readEtc("dev.plinth.http.cfg");

        writeEtc("dev.plinth.http.cfg", good.replace("port=${plinth.http.port}", "port=notanumber"));
        assertEquals(
                "dev.plinth.http.transport.internal.ListenerComponent: configuration dev.plinth.http refused: "
                        + "port=notanumber: not an int; the previous configuration stays in force",
                nextError());
        writeEtc("dev.plinth.http.cfg", good + "\nprot=8081\n");
        String unknown = nextError();
        assertTrue(
                unknown,
                unknown.startsWith("dev.plinth.http.transport.internal.ListenerComponent: configuration "
                        + "dev.plinth.http refused: prot=8081: unknown key; known: bodyTimeoutMillis, compliance,"));
        assertTrue(unknown, unknown.endsWith("; the previous configuration stays in force"));

        assertEquals(
                "the same listener service", before, context.getServiceReference("dev.plinth.http.transport.Listener"));
        assertEquals(200, HttpProbe.get(port, "/").status());
        assertEquals("one line each, nothing more", List.of(), List.copyOf(errors));
    }

    @Test
    public void aDocrootThatDoesNotExistKeepsTheMountServingAndSaysSoInOneLine() throws Exception {
        int port = awaitListenerPort();
        HttpProbe.awaitStatus(port, "/blob.bin", 200, HTTP_WAIT);
        writeEtc("dev.plinth.handlers.static-www.cfg", "plinth.handler.prefix=/\ndocroot=/no/such/folder\n");
        assertEquals(
                "dev.plinth.handlers.statics.StaticMount: configuration dev.plinth.handlers.static~www refused: "
                        + "docroot=/no/such/folder: does not exist; the previous configuration stays in force",
                nextError());
        assertEquals(200, HttpProbe.get(port, "/blob.bin").status());
        assertEquals(List.of(), List.copyOf(errors));
    }

    private String nextError() throws InterruptedException {
        String line = errors.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertTrue("an error line within " + WAIT_MILLIS + " ms", line != null);
        return line;
    }
}

package dev.plinth.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The access log as the distribution ships it ({@code etc/dev.plinth.accesslog.cfg}: NCSA combined to
 * {@code logs/access.log}), after real requests over sockets: each line read back field by field, the MBean's figures,
 * a changed format applying in place, and the log turned off and on again by removing and restoring its configuration
 * file.
 *
 * <p>The writer flushes whenever its queue runs empty, so the tests poll the file with a deadline for the lines they
 * expect; the transport follows a new access log service for connections opened after it arrives, so a test first
 * sends marked requests until one of them is logged.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class AccessLogIT extends ContainerTest {

    static final String ACCESS_LOG = "(objectClass=dev.plinth.http.core.AccessLog)";
    static final String MBEAN = "dev.plinth:type=AccessLog";

    /** Host, ident, user, time, request line, status, bytes, referer, user agent. */
    static final Pattern COMBINED = Pattern.compile("(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"((?:[^\"\\\\]|\\\\.)*)\""
            + " (\\d{3}) (\\d+|-) \"((?:[^\"\\\\]|\\\\.)*)\" \"((?:[^\"\\\\]|\\\\.)*)\"");

    static final DateTimeFormatter NCSA_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    /** A response read to the end of its connection. */
    record Raw(int status, String head, byte[] body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    @Test
    public void everyKindOfExchangeIsLoggedFieldByField() throws Exception {
        int port = awaitListenerPort();
        Path log = accessLog();
        int earlier = Files.readAllLines(log).size(); // the home, with its logs/, is the test class's
        int from = awaitLogging(port, log, "first");
        Instant before = Instant.now().minusSeconds(1);

        Raw ok = send(
                port,
                "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nReferer: http://example.test/start\r\n"
                        + "User-Agent: AccessLogIT/1 \"quoted\" \\back\r\nConnection: close\r\n\r\n");
        assertEquals(200, ok.status());
        String etag = ok.header("ETag");
        assertNotNull("the static handler sends an ETag", etag);
        Raw notModified = send(
                port,
                "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: " + etag
                        + "\r\nConnection: close\r\n\r\n");
        assertEquals(304, notModified.status());
        Raw partial = send(
                port, "GET /blob.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=100-199\r\nConnection: close\r\n\r\n");
        assertEquals(206, partial.status());
        assertEquals(100, partial.body().length);
        Raw head = send(port, "HEAD /blob.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertEquals(200, head.status());
        assertEquals(0, head.body().length);
        Raw badLine = send(port, "GET /a b c HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertEquals(400, badLine.status());
        Raw badField = send(port, "GET /bad HTTP/1.1\r\nHost: 127.0.0.1\r\nNo colon here\r\n\r\n");
        assertEquals(400, badField.status());
        Instant after = Instant.now().plusSeconds(1);

        List<String> lines = awaitLines(log, from, 6);
        long indexLength = Files.size(Path.of(context.getProperty("plinth.docroot"), "index.html"));
        check(lines.get(0), "GET /index.html HTTP/1.1", 200, Long.toString(indexLength), before, after);
        assertEquals("http://example.test/start", field(lines.get(0), 8));
        assertEquals("AccessLogIT/1 \\\"quoted\\\" \\\\back", field(lines.get(0), 9));
        check(lines.get(1), "GET /index.html HTTP/1.1", 304, "-", before, after);
        check(lines.get(2), "GET /blob.bin HTTP/1.1", 206, "100", before, after);
        check(lines.get(3), "HEAD /blob.bin HTTP/1.1", 200, "-", before, after);
        check(lines.get(4), "-", 400, bytes(badLine), before, after);
        check(lines.get(5), "GET /bad HTTP/1.1", 400, bytes(badField), before, after);
        for (String line : lines.subList(1, 6)) {
            assertEquals(line, "-", field(line, 8));
            assertEquals(line, "-", field(line, 9));
        }

        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(MBEAN);
        assertEquals(log.toString(), server.getAttribute(name, "CurrentFile"));
        assertEquals("combined", server.getAttribute(name, "Format"));
        // counted once flushed, just after the lines reach the file
        long deadline = System.nanoTime() + HTTP_WAIT.toNanos();
        while ((Long) server.getAttribute(name, "LinesWritten") != from + 6 - earlier) {
            assertTrue(
                    "LinesWritten " + server.getAttribute(name, "LinesWritten") + ", lines since the start "
                            + (from + 6 - earlier),
                    System.nanoTime() - deadline < 0);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        assertEquals(0, server.getAttribute(name, "QueueDepth"));
        assertEquals(0L, server.getAttribute(name, "LinesDropped"));
        assertEquals(0L, server.getAttribute(name, "LinesFailed"));
        assertEquals(65536, server.getAttribute(name, "QueueCapacity"));
    }

    @Test
    public void removingTheConfigurationFileTurnsTheLogOffAndRestoringItOn() throws Exception {
        int port = awaitListenerPort();
        Path log = accessLog();
        awaitLogging(port, log, "on");
        Path cfg = Path.of(context.getProperty("plinth.base"), "etc", "dev.plinth.accesslog.cfg");
        Path aside = cfg.resolveSibling("dev.plinth.accesslog.cfg.off");
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(MBEAN);
        assertTrue(server.isRegistered(name));

        CountDownLatch gone = awaitUnregistering(ACCESS_LOG);
        Files.move(cfg, aside);
        try {
            assertTrue("the access log service went away", gone.await(DEPLOY_WAIT.toMillis(), TimeUnit.MILLISECONDS));
            // the service is unregistered before the component is deactivated, which unregisters the MBean
            long deadline = System.nanoTime() + HTTP_WAIT.toNanos();
            while (server.isRegistered(name)) {
                assertTrue("its MBean went away too", System.nanoTime() - deadline < 0);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            long length = Files.size(log);
            assertEquals(200, HttpProbe.get(port, "/index.html?off").status());
            assertEquals("nothing logged while off", length, Files.size(log));
        } finally {
            Files.move(aside, cfg); // the home is the test class's
        }

        ServiceTracker<Object, Object> accessLog = track(ACCESS_LOG);
        try {
            assertNotNull("the access log is back", accessLog.waitForService(DEPLOY_WAIT.toMillis()));
        } finally {
            accessLog.close();
        }
        awaitLogging(port, log, "again");
        assertTrue(server.isRegistered(name));
        assertFalse(Files.readString(log).contains("?off"));
    }

    @Test
    public void aChangedFormatAppliesInPlace() throws Exception {
        int port = awaitListenerPort();
        Path log = accessLog();
        awaitLogging(port, log, "combined");
        Object serviceId = serviceId();
        writeEtc("dev.plinth.accesslog.cfg", readEtc("dev.plinth.accesslog.cfg") + "\nformat=json\n");
        String line = lastLine(log, awaitLogging(port, log, "json", logged -> logged.startsWith("{")));
        assertTrue("JSON now: " + line, line.startsWith("{\"time\":\"") && line.endsWith("}"));
        assertTrue(line, line.contains("\"status\":200,") && line.contains("\"prefix\":\"/\""));
        assertEquals("the same service: open connections go on logging", serviceId, serviceId());
        assertEquals("json", ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName(MBEAN), "Format"));
    }

    private Object serviceId() throws Exception {
        ServiceTracker<Object, Object> accessLog = track(ACCESS_LOG);
        try {
            assertNotNull(accessLog.waitForService(WAIT_MILLIS));
            return accessLog.getServiceReference().getProperty("service.id");
        } finally {
            accessLog.close();
        }
    }

    private static String lastLine(Path log, int lines) throws IOException {
        return Files.readAllLines(log).get(lines - 1);
    }

    /** @return the log file the distribution's configuration names, once its service is registered */
    private Path accessLog() throws Exception {
        ServiceTracker<Object, Object> accessLog = track(ACCESS_LOG);
        try {
            assertNotNull("an AccessLog service", accessLog.waitForService(WAIT_MILLIS));
        } finally {
            accessLog.close();
        }
        Path log = Path.of(context.getProperty("plinth.base"), "logs", "access.log");
        assertTrue("the access log made logs/ and its file", Files.isRegularFile(log));
        return log;
    }

    /**
     * Sends marked requests until one is logged: connections opened before the listener bound the access log service
     * are not logged.
     *
     * @return the number of lines in the file, the marked request's included
     */
    private int awaitLogging(int port, Path log, String mark) throws IOException {
        return awaitLogging(port, log, mark, line -> true);
    }

    /** As {@link #awaitLogging(int, Path, String)}, until the marked request's line also passes {@code accept}. */
    private int awaitLogging(int port, Path log, String mark, Predicate<String> accept) throws IOException {
        long deadline = System.nanoTime() + DEPLOY_WAIT.toNanos();
        for (int n = 0; ; n++) {
            String target = "/index.html?" + mark + "=" + n;
            assertEquals(200, HttpProbe.get(port, target).status());
            long pause = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (System.nanoTime() - pause < 0) {
                List<String> lines = Files.readAllLines(log);
                String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
                if (last.contains(target) && accept.test(last)) {
                    return lines.size();
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            assertTrue(
                    "a request is logged within " + DEPLOY_WAIT.toMillis() + " ms", System.nanoTime() - deadline < 0);
        }
    }

    /** @return the {@code count} lines after the first {@code from}, once they are in the file */
    private static List<String> awaitLines(Path log, int from, int count) throws IOException {
        long deadline = System.nanoTime() + HTTP_WAIT.toNanos();
        while (true) {
            List<String> lines = Files.readAllLines(log);
            if (lines.size() >= from + count) {
                assertEquals("no other line: " + lines.subList(from, lines.size()), from + count, lines.size());
                return lines.subList(from, from + count);
            }
            assertTrue(
                    "lines " + (from + 1) + " to " + (from + count) + " within " + HTTP_WAIT.toMillis() + " ms: "
                            + lines.subList(Math.min(from, lines.size()), lines.size()),
                    System.nanoTime() - deadline < 0);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static void check(String line, String request, int status, String bytes, Instant from, Instant to) {
        Matcher fields = COMBINED.matcher(line);
        assertTrue("NCSA combined: " + line, fields.matches());
        assertEquals(line, "127.0.0.1", fields.group(1));
        assertEquals(line, "-", fields.group(2));
        assertEquals(line, "-", fields.group(3));
        ZonedDateTime time = ZonedDateTime.parse(fields.group(4), NCSA_TIME);
        assertTrue(line, !time.toInstant().isBefore(from) && !time.toInstant().isAfter(to));
        assertEquals(
                "the JVM's zone: " + line,
                ZoneId.systemDefault().getRules().getOffset(time.toInstant()),
                time.getOffset());
        assertEquals(line, request, fields.group(5));
        assertEquals(line, Integer.toString(status), fields.group(6));
        assertEquals(line, bytes, fields.group(7));
    }

    private static String field(String line, int group) {
        Matcher fields = COMBINED.matcher(line);
        assertTrue(line, fields.matches());
        return fields.group(group);
    }

    /** @return the body's length as {@code %b} writes it */
    private static String bytes(Raw response) {
        return response.body().length == 0 ? "-" : Integer.toString(response.body().length);
    }

    /** Sends raw bytes on a new connection and reads the response to the connection's end. */
    private static Raw send(int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            byte[] bytes = all.toByteArray();
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            assertTrue("a whole head: " + text, end > 0);
            String head = text.substring(0, end);
            int status = Integer.parseInt(head.split(" ", 3)[1]);
            byte[] body = new byte[bytes.length - end - 4];
            System.arraycopy(bytes, end + 4, body, 0, body.length);
            return new Raw(status, head, body);
        }
    }
}

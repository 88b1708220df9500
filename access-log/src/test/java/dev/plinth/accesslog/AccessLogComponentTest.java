package dev.plinth.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The component: its configuration, the service it is, its MBean, a configuration change, and deactivation. */
@Timeout(20)
class AccessLogComponentTest {

    @TempDir
    Path folder;

    final TestClock clock = new TestClock(Instant.parse("2026-11-30T12:00:00Z"));

    /** A configuration as Config Admin would give it: the metatype defaults, with some values set. */
    static AccessLogComponent.Config config(Map<String, Object> set) {
        return (AccessLogComponent.Config) Proxy.newProxyInstance(
                AccessLogComponent.Config.class.getClassLoader(),
                new Class<?>[] {AccessLogComponent.Config.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return AccessLogComponent.Config.class;
                    }
                    return set.containsKey(method.getName()) ? set.get(method.getName()) : method.getDefaultValue();
                });
    }

    Settings settings(Path path, LineFormat format) {
        return new Settings(path, format, true, 0, 14, 10_000, ZoneOffset.UTC);
    }

    @Test
    void theDefaultsAndWhatIsRefused() {
        Settings defaults = Settings.of(config(Map.of("path", " logs/access.log ")));
        assertEquals(Path.of("logs/access.log"), defaults.path());
        assertEquals(LineFormat.COMBINED, defaults.format());
        assertTrue(defaults.rotateDaily());
        assertEquals(100L * 1024 * 1024, defaults.maxFileBytes());
        assertEquals(14, defaults.keep());
        assertEquals(65536, defaults.queueLines());
        assertEquals(ZoneId.systemDefault(), defaults.zone());
        assertEquals(
                ZoneOffset.UTC,
                Settings.of(config(Map.of("path", "a.log", "zone", "UTC")))
                        .zone()
                        .normalized());
        assertEquals(
                LineFormat.JSON,
                Settings.of(config(Map.of("path", "a.log", "format", "json"))).format());

        assertThrows(IllegalArgumentException.class, () -> Settings.of(config(Map.of())));
        assertThrows(IllegalArgumentException.class, () -> Settings.of(config(Map.of("path", " "))));
        assertThrows(
                IllegalArgumentException.class, () -> Settings.of(config(Map.of("path", "a.log", "format", "xml"))));
        assertThrows(IllegalArgumentException.class, () -> Settings.of(config(Map.of("path", "a.log", "keep", -1))));
        assertThrows(
                IllegalArgumentException.class, () -> Settings.of(config(Map.of("path", "a.log", "queueLines", 0))));
        assertThrows(
                IllegalArgumentException.class,
                () -> Settings.of(config(Map.of("path", "a.log", "maxFileBytes", -1L))));
        assertThrows(DateTimeException.class, () -> Settings.of(config(Map.of("path", "a.log", "zone", "Mars/Base"))));
    }

    @Test
    void deactivationWritesWhatIsQueuedFlushesAndCloses() throws IOException {
        Path log = folder.resolve("logs/access.log");
        AccessLogComponent component = new AccessLogComponent(settings(log, LineFormat.COMBINED), clock);
        assertTrue(component.nonBlocking(), "called on the thread that ends the exchange: it only queues");
        for (int n = 0; n < 2000; n++) {
            component.exchangeCompleted(LinesTest.facts("GET", "/" + n, "HTTP/1.1", "-", "-", 200, n));
        }
        component.deactivate();
        List<String> lines = Files.readAllLines(log);
        assertEquals(2000, lines.size());
        assertTrue(lines.get(1999).contains("\"GET /1999 HTTP/1.1\" 200 1999 "), lines.get(1999));
        assertEquals(2000, component.stats().getLinesWritten());
        assertEquals(0, component.stats().getLinesDropped());
    }

    @Test
    void theFiguresAreAnMBeanWhileActive() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(AccessLogComponent.OBJECT_NAME);
        Path log = folder.resolve("access.log");
        AccessLogComponent component = new AccessLogComponent(settings(log, LineFormat.JSON), clock);
        try {
            assertTrue(server.isRegistered(name));
            assertEquals(log.toAbsolutePath().toString(), server.getAttribute(name, "CurrentFile"));
            assertEquals("json", server.getAttribute(name, "Format"));
            assertEquals(10_000, server.getAttribute(name, "QueueCapacity"));
            assertEquals(0, server.getAttribute(name, "QueueDepth"));
            assertEquals(0L, server.getAttribute(name, "LinesDropped"));
            assertEquals(0L, server.getAttribute(name, "LinesFailed"));
            component.exchangeCompleted(LinesTest.get());
            LogWriterTest.await("the line is written", () -> component.stats().getLinesWritten() == 1);
            assertEquals(1L, server.getAttribute(name, "LinesWritten"));
        } finally {
            component.deactivate();
        }
        assertFalse(server.isRegistered(name), "unregistered on deactivation");
    }

    @Test
    void aConfigurationChangeSwapsTheFileAndKeepsTheService() throws IOException {
        Path first = folder.resolve("first.log");
        Path second = folder.resolve("second/access.log");
        AccessLogComponent component = new AccessLogComponent(settings(first, LineFormat.COMMON), clock);
        try {
            component.exchangeCompleted(LinesTest.facts("GET", "/before", "HTTP/1.1", "-", "-", 200, 1));
            component.reconfigure(settings(second, LineFormat.JSON));
            component.exchangeCompleted(LinesTest.facts("GET", "/after", "HTTP/1.1", "-", "-", 200, 1));
            assertEquals(second.toAbsolutePath().toString(), component.stats().getCurrentFile());
        } finally {
            component.deactivate();
        }
        List<String> before = Files.readAllLines(first);
        assertEquals(1, before.size());
        assertTrue(before.get(0).contains("\"GET /before HTTP/1.1\""), before::toString);
        List<String> after = Files.readAllLines(second);
        assertEquals(1, after.size());
        assertTrue(after.get(0).startsWith("{") && after.get(0).contains("\"target\":\"/after\""), after::toString);
        assertEquals(2, component.stats().getLinesWritten(), "the counts run across the change");
    }

    @Test
    void aFileThatCannotBeOpenedFailsTheActivation() throws Exception {
        Path folderAsFile = Files.createDirectories(folder.resolve("not-a-file"));
        assertThrows(
                IOException.class, () -> new AccessLogComponent(settings(folderAsFile, LineFormat.COMBINED), clock));
        assertFalse(ManagementFactory.getPlatformMBeanServer()
                .isRegistered(new ObjectName(AccessLogComponent.OBJECT_NAME)));
    }
}

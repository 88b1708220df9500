package dev.plinth.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.config.ConfigCheck;
import dev.plinth.config.RefusedConfiguration;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The component: its configuration (checked strictly, a refused one changing nothing), the service it is, its MBean,
 * a configuration change, and deactivation. Built as Declarative Services would, from properties, without a bundle
 * context (so no service registration).
 */
@Timeout(20)
class AccessLogComponentTest {

    @TempDir
    Path folder;

    final TestClock clock = new TestClock(Instant.parse("2026-11-30T12:00:00Z"));

    static Settings settings(Map<String, Object> properties) {
        return Settings.of(ConfigCheck.check(AccessLogComponent.Config.class, properties));
    }

    /** Properties as Config Admin gives them: the PID, the path, and the given values. */
    static Map<String, Object> properties(Path path, Object... keysAndValues) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.pid", AccessLogComponent.PID);
        properties.put("path", path.toString());
        properties.put("zone", "UTC");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    AccessLogComponent component(Map<String, Object> properties) {
        return new AccessLogComponent(properties, null, clock);
    }

    @Test
    void theDefaults() {
        Settings defaults = settings(Map.of("path", " logs/access.log "));
        assertEquals(Path.of("logs/access.log"), defaults.path());
        assertEquals(LineFormat.COMBINED, defaults.format());
        assertTrue(defaults.rotateDaily());
        assertEquals(100L * 1024 * 1024, defaults.maxFileBytes());
        assertEquals(14, defaults.keep());
        assertEquals(65536, defaults.queueLines());
        assertEquals(ZoneId.systemDefault(), defaults.zone());
        Settings set = settings(Map.of(
                "path",
                "a.log",
                "zone",
                "UTC",
                "format",
                "json",
                "maxFileBytes",
                "0",
                "keep",
                "0",
                "rotateDaily",
                "false"));
        assertEquals(ZoneOffset.UTC, set.zone().normalized());
        assertEquals(LineFormat.JSON, set.format());
        assertEquals(0, set.maxFileBytes());
        assertEquals(0, set.keep());
        assertFalse(set.rotateDaily());
    }

    @Test
    void eachValueNotAllowedIsRefusedNamingItsKey() {
        Map<String, Map<String, Object>> refused = Map.of(
                "path", Map.of(),
                "format", Map.of("path", "a.log", "format", "xml"),
                "keep", Map.of("path", "a.log", "keep", -1),
                "queueLines", Map.of("path", "a.log", "queueLines", 0),
                "maxFileBytes", Map.of("path", "a.log", "maxFileBytes", -1L),
                "zone", Map.of("path", "a.log", "zone", "Mars/Base"),
                "maxFileByte", Map.of("path", "a.log", "maxFileByte", 10));
        refused.forEach((key, properties) -> {
            RefusedConfiguration refusal = assertThrows(RefusedConfiguration.class, () -> settings(properties), key);
            assertEquals(key, refusal.key());
        });
    }

    @Test
    void aRefusedConfigurationStartsNothing() throws Exception {
        AccessLogComponent component =
                component(properties(folder.resolve("access.log"), "maxFileByte", 1000, "service.pid", "x"));
        try {
            assertFalse(component.logging());
            assertFalse(ManagementFactory.getPlatformMBeanServer()
                    .isRegistered(new ObjectName(AccessLogComponent.OBJECT_NAME)));
            assertFalse(Files.exists(folder.resolve("access.log")));
        } finally {
            component.deactivate();
        }
    }

    @Test
    void aFileThatCannotBeOpenedIsRefused() throws IOException {
        Path folderAsFile = Files.createDirectories(folder.resolve("not-a-file"));
        AccessLogComponent component = component(properties(folderAsFile));
        try {
            assertFalse(component.logging());
        } finally {
            component.deactivate();
        }
    }

    @Test
    void deactivationWritesWhatIsQueuedFlushesAndCloses() throws IOException {
        Path log = folder.resolve("logs/access.log");
        AccessLogComponent component = component(properties(log));
        assertTrue(component.logging());
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
        AccessLogComponent component = component(properties(log, "format", "json", "queueLines", 10_000));
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
    void aConfigurationChangeSwapsTheFileInPlaceAndARefusedOneChangesNothing() throws IOException {
        Path first = folder.resolve("first.log");
        Path second = folder.resolve("second/access.log");
        AccessLogComponent component = component(properties(first, "format", "common"));
        try {
            component.exchangeCompleted(LinesTest.facts("GET", "/before", "HTTP/1.1", "-", "-", 200, 1));
            component.modified(properties(second, "format", "json"));
            component.exchangeCompleted(LinesTest.facts("GET", "/after", "HTTP/1.1", "-", "-", 200, 1));
            assertEquals(second.toAbsolutePath().toString(), component.stats().getCurrentFile());

            component.modified(properties(folder.resolve("third.log"), "format", "xml"));
            component.modified(properties(Files.createDirectories(folder.resolve("a-folder"))));
            component.exchangeCompleted(LinesTest.facts("GET", "/still", "HTTP/1.1", "-", "-", 200, 1));
            assertEquals(second.toAbsolutePath().toString(), component.stats().getCurrentFile());
        } finally {
            component.deactivate();
        }
        List<String> before = Files.readAllLines(first);
        assertEquals(1, before.size());
        assertTrue(before.get(0).contains("\"GET /before HTTP/1.1\""), before::toString);
        List<String> after = Files.readAllLines(second);
        assertEquals(2, after.size());
        assertTrue(after.get(0).startsWith("{") && after.get(0).contains("\"target\":\"/after\""), after::toString);
        assertTrue(after.get(1).contains("\"target\":\"/still\""), after::toString);
        assertFalse(Files.exists(folder.resolve("third.log")));
        assertEquals(3, component.stats().getLinesWritten(), "the counts run across the change");
    }
}

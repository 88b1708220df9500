package dev.plinth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {

    @TempDir
    Path home;

    private final Map<String, String> system = new HashMap<>();

    private Map<String, String> settings(boolean interactive, String... args) throws Exception {
        return Launcher.settings(home, home, Options.parse(args), interactive, system::get);
    }

    @Test
    void defaults() throws Exception {
        Map<String, String> settings = settings(false);
        assertEquals(home.toString(), settings.get("plinth.home"));
        assertEquals(home.toString(), settings.get("plinth.base"));
        assertEquals("8080", settings.get("plinth.http.port"));
        assertEquals("0.0.0.0", settings.get("plinth.http.host"));
        assertEquals(home.resolve("www").toString(), settings.get("plinth.docroot"));
        assertEquals(home.resolve("etc/config.properties").toUri().toString(), settings.get("felix.config.properties"));
    }

    @Test
    void aBaseHoldsTheConfigurationAndTheSiteWhileTheShellStaysInTheHome(@TempDir Path base) throws Exception {
        shellJars();
        Files.createDirectories(base.resolve("etc"));
        Files.writeString(base.resolve("etc/logging.properties"), ".level=INFO\n");
        Map<String, String> settings = Launcher.settings(home, base, Options.parse(), true, system::get);
        assertEquals(home.toString(), settings.get("plinth.home"));
        assertEquals(base.toString(), settings.get("plinth.base"));
        assertEquals(base.resolve("www").toString(), settings.get("plinth.docroot"));
        assertEquals(base.resolve("etc/config.properties").toUri().toString(), settings.get("felix.config.properties"));
        assertEquals(base.resolve("etc/logging.properties").toString(), settings.get("java.util.logging.config.file"));
        assertTrue(settings.get("felix.auto.start.1")
                .startsWith(home.resolve("bundles/shell").toUri() + "a.jar"));
    }

    @Test
    void optionsWinOverSystemProperties() throws Exception {
        system.put("plinth.http.port", "9090");
        system.put("plinth.docroot", "/srv/elsewhere");
        Map<String, String> settings = settings(false, "--port", "7070", "--docroot", "site");
        assertEquals("7070", settings.get("plinth.http.port"));
        assertEquals(Path.of("site").toAbsolutePath().toString(), settings.get("plinth.docroot"));
    }

    @Test
    void systemPropertiesWinOverDefaults() throws Exception {
        system.put("plinth.http.port", "9090");
        system.put("plinth.http.host", "127.0.0.1");
        system.put("plinth.docroot", "relative/site");
        Map<String, String> settings = settings(false);
        assertEquals("9090", settings.get("plinth.http.port"));
        assertEquals("127.0.0.1", settings.get("plinth.http.host"));
        assertEquals(Path.of("relative/site").toAbsolutePath().toString(), settings.get("plinth.docroot"));
    }

    @Test
    void noConsoleMeansNoShellAndANonInteractiveGogo() throws Exception {
        shellJars();
        Map<String, String> settings = settings(false);
        assertFalse(settings.containsKey("felix.auto.start.1"));
        assertEquals("--nointeractive", settings.get("gosh.args"));
    }

    @Test
    void consoleStartsEveryShellJar() throws Exception {
        shellJars();
        Map<String, String> settings = settings(true);
        Path shell = home.resolve("bundles/shell");
        assertEquals(
                shell.resolve("a.jar").toUri() + " " + shell.resolve("b.jar").toUri(),
                settings.get("felix.auto.start.1"));
        assertNull(settings.get("gosh.args"));
    }

    @Test
    void consoleWithoutShellJarsStartsNothing() throws Exception {
        assertNull(settings(true).get("felix.auto.start.1"));
    }

    @Test
    void loggingConfigurationIsUsedWhenPresent() throws Exception {
        assertNull(settings(false).get("java.util.logging.config.file"));
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/logging.properties"), ".level=INFO\n");
        assertEquals(
                home.resolve("etc/logging.properties").toString(),
                settings(false).get("java.util.logging.config.file"));
        system.put("java.util.logging.config.file", "/elsewhere.properties");
        assertNull(settings(false).get("java.util.logging.config.file"));
    }

    private void shellJars() throws IOException {
        Path shell = Files.createDirectories(home.resolve("bundles/shell"));
        Files.write(shell.resolve("b.jar"), new byte[0]);
        Files.write(shell.resolve("a.jar"), new byte[0]);
        Files.writeString(shell.resolve("README.txt"), "not a bundle");
    }
}

package dev.plinth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseTest {

    @TempDir
    Path temp;

    private Path home;
    private final Map<String, String> system = new HashMap<>();
    private final Map<String, String> environment = new HashMap<>();

    @BeforeEach
    void release() throws Exception {
        home = Files.createDirectories(temp.resolve("plinth-1.0"));
        Files.createDirectories(home.resolve("etc/tls"));
        Files.writeString(home.resolve("etc/config.properties"), "felix.log.level=1\n");
        Files.writeString(home.resolve("etc/tls/README.txt"), "keys go here\n");
        Files.createDirectories(home.resolve("deploy"));
        Files.createDirectories(home.resolve("www"));
        Files.writeString(home.resolve("www/index.html"), "<h1>hello</h1>\n");
        Files.createDirectories(home.resolve("bundles"));
        Files.writeString(home.resolve("bundles/a.jar"), "");
    }

    private Path choose(String... args) throws Exception {
        return Base.choose(home, Options.parse(args), system::get, environment::get);
    }

    @Test
    void theOptionWinsOverTheSystemPropertyWhichWinsOverTheEnvironmentWhichWinsOverTheHome() throws Exception {
        assertEquals(home, choose());
        environment.put("PLINTH_BASE", "from-environment");
        assertEquals(Path.of("from-environment").toAbsolutePath(), choose());
        system.put("plinth.base", "/srv/from-property/.");
        assertEquals(Path.of("/srv/from-property"), choose());
        assertEquals(Path.of("/srv/from-option"), choose("--base", "/srv/from-option"));
        system.put("plinth.base", " ");
        assertEquals(Path.of("from-environment").toAbsolutePath(), choose(), "blank means not given");
    }

    @Test
    void theHomeAsBaseNeedsNothing() throws Exception {
        assertEquals(List.of(), Base.prepare(home, home));
        assertFalse(Files.exists(home.resolve("etc/etc")));
    }

    @Test
    void aNewBaseGetsWritableCopiesOfEtcDeployAndWwwButNotTheRelease() throws Exception {
        Path base = temp.resolve("instances/one");
        Files.setPosixFilePermissions(home.resolve("www/index.html"), PosixFilePermissions.fromString("r--r--r--"));

        assertEquals(List.of("www", "deploy", "etc"), Base.prepare(home, base));

        assertEquals("felix.log.level=1\n", Files.readString(base.resolve("etc/config.properties")));
        assertEquals("keys go here\n", Files.readString(base.resolve("etc/tls/README.txt")));
        assertEquals("<h1>hello</h1>\n", Files.readString(base.resolve("www/index.html")));
        assertTrue(
                Files.getPosixFilePermissions(base.resolve("www/index.html")).contains(PosixFilePermission.OWNER_WRITE),
                "the copy is the user's to change");
        assertTrue(Files.isDirectory(base.resolve("deploy")));
        assertFalse(Files.exists(base.resolve("bundles")), "the release's bundles stay in the home");
    }

    @Test
    void anEmptyFolderBecomesABase() throws Exception {
        Path base = Files.createDirectories(temp.resolve("empty"));
        assertEquals(List.of("www", "deploy", "etc"), Base.prepare(home, base));
        assertTrue(Files.isRegularFile(base.resolve("etc/config.properties")));
    }

    @Test
    void anExistingBaseIsLeftAsItIs() throws Exception {
        Path base = temp.resolve("base");
        Base.prepare(home, base);
        Files.delete(base.resolve("www/index.html"));
        Files.writeString(base.resolve("etc/config.properties"), "felix.log.level=3\n");

        assertEquals(List.of(), Base.prepare(home, base));

        assertEquals("felix.log.level=3\n", Files.readString(base.resolve("etc/config.properties")));
        assertFalse(Files.exists(base.resolve("www/index.html")), "what the user removed stays removed");
    }

    @Test
    void aFolderThatHoldsSomethingElseIsRefusedAndLeftAlone() throws Exception {
        Path notABase = Files.createDirectories(temp.resolve("user"));
        Files.writeString(notABase.resolve("notes.txt"), "mine\n");
        Base.UnusableException e = assertThrows(Base.UnusableException.class, () -> Base.prepare(home, notABase));
        assertTrue(
                e.getMessage().contains(notABase + " holds no etc/config.properties and is not empty"), e.getMessage());
        try (var entries = Files.list(notABase)) {
            assertEquals(List.of(notABase.resolve("notes.txt")), entries.toList());
        }
        Path file = notABase.resolve("notes.txt");
        assertThrows(Base.UnusableException.class, () -> Base.prepare(home, file), "a file is no base");
    }

    @Test
    void aHomeWithoutConfigurationIsRefused() throws Exception {
        Files.delete(home.resolve("etc/config.properties"));
        Base.UnusableException asBase = assertThrows(Base.UnusableException.class, () -> Base.prepare(home, home));
        assertTrue(asBase.getMessage().contains(home + " holds no etc/config.properties"), asBase.getMessage());
        Path base = temp.resolve("new");
        assertThrows(Base.UnusableException.class, () -> Base.prepare(home, base));
        assertFalse(Files.exists(base), "nothing made from a broken home");
    }
}

package dev.plinth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OptionsTest {

    @Test
    void noArgumentsMeansDefaults() throws Exception {
        Options options = Options.parse();
        assertEquals(
                new Options(OptionalInt.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false), options);
    }

    @Test
    void portAsNextArgumentOrAfterEquals() throws Exception {
        assertEquals(OptionalInt.of(9000), Options.parse("--port", "9000").port());
        assertEquals(OptionalInt.of(9001), Options.parse("--port=9001").port());
        assertEquals(OptionalInt.of(0), Options.parse("--port", "0").port());
        assertEquals(OptionalInt.of(65535), Options.parse("--port", "65535").port());
    }

    @Test
    void laterOccurrenceWins() throws Exception {
        assertEquals(OptionalInt.of(2), Options.parse("--port", "1", "--port=2").port());
    }

    @Test
    void docrootIsMadeAbsolute() throws Exception {
        Path docroot = Options.parse("--docroot", "site/../www").docroot().orElseThrow();
        assertTrue(docroot.isAbsolute());
        assertEquals(Path.of("www").toAbsolutePath(), docroot);
    }

    @Test
    void baseIsMadeAbsoluteAndNeedNotExist() throws Exception {
        assertEquals(
                Optional.of(Path.of("instance").toAbsolutePath()),
                Options.parse("--base", "instance/./").validate().base());
        assertEquals(
                Optional.of(Path.of("/srv/plinth")),
                Options.parse("--base=/srv/plinth").base());
        Options.UsageException e = assertThrows(Options.UsageException.class, () -> Options.parse("--base", " "));
        assertTrue(e.getMessage().contains("--base needs a folder"), e.getMessage());
    }

    @Test
    void docrootMustBeAFolder(@TempDir Path dir) throws Exception {
        assertEquals(
                Optional.of(dir),
                Options.parse("--docroot", dir.toString()).validate().docroot());
        assertEquals(Optional.empty(), Options.parse().validate().docroot());
        Options.UsageException e = assertThrows(
                Options.UsageException.class,
                () -> Options.parse("--docroot", dir.resolve("missing").toString())
                        .validate());
        assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
    }

    @Test
    void host() throws Exception {
        assertEquals(
                Optional.of("127.0.0.1"), Options.parse("--host", "127.0.0.1").host());
    }

    @Test
    void help() throws Exception {
        assertTrue(Options.parse("--help").help());
        assertTrue(Options.parse("-h").help());
        assertFalse(Options.parse("--port", "1").help());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "65536", "eighty", "", "80.0", "99999999999"})
    void portOutOfRangeIsRefused(String port) {
        Options.UsageException e = assertThrows(Options.UsageException.class, () -> Options.parse("--port", port));
        assertTrue(e.getMessage().contains("--port"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--port", "--docroot", "--host", "--base"})
    void missingValueIsRefused(String option) {
        Options.UsageException e = assertThrows(Options.UsageException.class, () -> Options.parse(option));
        assertTrue(e.getMessage().contains("needs a value"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "-p", "8080", "--help=yes", "--docroot="})
    void unknownOrMalformedIsRefused(String arg) {
        assertThrows(Options.UsageException.class, () -> Options.parse(arg));
    }

    @Test
    void usageNamesEveryOption() {
        for (String option : new String[] {"--port", "--host", "--docroot", "--base", "--help"}) {
            assertTrue(Options.USAGE.contains(option), option);
        }
    }
}

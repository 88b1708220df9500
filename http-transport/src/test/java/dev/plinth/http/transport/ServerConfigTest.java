package dev.plinth.http.transport;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.CoreConfig;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The server's settings: each is checked at its bounds, and only socket and thread settings need a rebind. */
class ServerConfigTest {

    private static final ServerConfig BASE =
            new ServerConfig("127.0.0.1", 8080, 2, 4, false, 100, 1_000, CoreConfig.DEFAULT, 4096);

    /** Settings that differ from {@link #BASE} in one whole number only. */
    private static ServerConfig with(String setting, int value) {
        return new ServerConfig(
                "127.0.0.1",
                setting.equals("port") ? value : 8080,
                setting.equals("selectorThreads") ? value : 2,
                setting.equals("workerThreads") ? value : 4,
                false,
                setting.equals("maxConnections") ? value : 100,
                setting.equals("writeTimeoutMillis") ? value : 1_000,
                CoreConfig.DEFAULT,
                setting.equals("readBufferSize") ? value : 4096);
    }

    private static void assertBounds(String setting, int lowest, int highest) {
        IntFunction<ServerConfig> make = value -> with(setting, value);
        assertDoesNotThrow(() -> make.apply(lowest), setting + " " + lowest);
        assertDoesNotThrow(() -> make.apply(highest), setting + " " + highest);
        assertThrows(IllegalArgumentException.class, () -> make.apply(lowest - 1), setting + " " + (lowest - 1));
        if (highest < Integer.MAX_VALUE) {
            assertThrows(IllegalArgumentException.class, () -> make.apply(highest + 1), setting + " " + (highest + 1));
        }
    }

    @Test
    void eachSettingIsRefusedJustBeyondItsBounds() {
        assertBounds("port", 0, 65535);
        assertBounds("selectorThreads", 1, Integer.MAX_VALUE);
        assertBounds("workerThreads", 1, Integer.MAX_VALUE);
        assertBounds("maxConnections", 1, Integer.MAX_VALUE);
        assertBounds("writeTimeoutMillis", 1, Integer.MAX_VALUE);
        assertBounds("readBufferSize", 1024, 16 << 20);
        assertThrows(
                IllegalArgumentException.class, () -> new ServerConfig(null, 0, 1, 1, false, 1, 1, CoreConfig.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> new ServerConfig("127.0.0.1", 0, 1, 1, false, 1, 1, null));
    }

    @Test
    void onlyTheSocketAndTheThreadsNeedARestart() {
        assertFalse(BASE.needsRestartFor(BASE));
        assertTrue(
                BASE.needsRestartFor(
                        new ServerConfig("0.0.0.0", 8080, 2, 4, false, 100, 1_000, CoreConfig.DEFAULT, 4096)),
                "host");
        assertTrue(BASE.needsRestartFor(with("port", 8081)), "port");
        assertTrue(BASE.needsRestartFor(with("selectorThreads", 3)), "selector threads");
        assertTrue(BASE.needsRestartFor(with("workerThreads", 5)), "worker threads");
        assertTrue(
                BASE.needsRestartFor(
                        new ServerConfig("127.0.0.1", 8080, 2, 4, true, 100, 1_000, CoreConfig.DEFAULT, 4096)),
                "virtual workers");
        assertTrue(BASE.needsRestartFor(BASE.withReadBufferSize(8192)), "read buffer size");
        assertFalse(BASE.needsRestartFor(BASE.withMaxConnections(5)), "the limit is checked per accept");
        assertFalse(BASE.needsRestartFor(BASE.withWriteTimeoutMillis(5)));
        assertFalse(BASE.needsRestartFor(BASE.withCore(CoreConfig.DEFAULT.withOutboundCeiling(1024))));
    }

    @Test
    void eachCopyChangesItsOwnSettingOnly() {
        assertEquals(with("maxConnections", 5), BASE.withMaxConnections(5));
        assertEquals(with("writeTimeoutMillis", 5), BASE.withWriteTimeoutMillis(5));
        assertEquals(with("readBufferSize", 8192), BASE.withReadBufferSize(8192));
        CoreConfig core = CoreConfig.DEFAULT.withOutboundCeiling(1024);
        assertEquals(new ServerConfig("127.0.0.1", 8080, 2, 4, false, 100, 1_000, core, 4096), BASE.withCore(core));
    }

    @Test
    void theDefaultsFollowTheCores() {
        int cores = Runtime.getRuntime().availableProcessors();
        ServerConfig defaults = ServerConfig.of("127.0.0.1", 0);
        assertEquals(
                new ServerConfig(
                        "127.0.0.1",
                        0,
                        cores,
                        Math.max(8, 4 * cores),
                        false,
                        10_000,
                        30_000,
                        CoreConfig.DEFAULT,
                        ServerConfig.DEFAULT_READ_BUFFER_SIZE),
                defaults);
    }
}

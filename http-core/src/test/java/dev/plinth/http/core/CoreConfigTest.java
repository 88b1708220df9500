package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.parser.ParserConfig;
import org.junit.jupiter.api.Test;

/** Settings that cannot work are refused when made, not discovered on the first connection. */
class CoreConfigTest {

    private static final CoreConfig.Timeouts T = CoreConfig.Timeouts.DEFAULT;

    @Test
    void impossibleSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CoreConfig(null, "P", 1, 0, T));
        assertThrows(IllegalArgumentException.class, () -> new CoreConfig(ParserConfig.DEFAULT, null, 1, 0, T));
        assertThrows(IllegalArgumentException.class, () -> new CoreConfig(ParserConfig.DEFAULT, "P", 1, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new CoreConfig(ParserConfig.DEFAULT, "P", 0, 0, T));
        assertThrows(IllegalArgumentException.class, () -> new CoreConfig(ParserConfig.DEFAULT, "P", 1, -1, T));
        assertThrows(IllegalArgumentException.class, () -> CoreConfig.DEFAULT.withInlineThresholdMillis(-1));
        for (int zero = 0; zero < 4; zero++) {
            long[] millis = {1, 1, 1, 1};
            millis[zero] = 0;
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new CoreConfig.Timeouts(millis[0], millis[1], millis[2], millis[3]),
                    "timeout " + zero);
        }
    }

    @Test
    void theSmallestWorkableSettingsAreAccepted() {
        CoreConfig smallest = new CoreConfig(ParserConfig.DEFAULT, "", 1, 0, new CoreConfig.Timeouts(1, 1, 1, 1), 0);
        assertEquals(0, smallest.drainLimit());
        assertFalse(smallest.runsInline(), "a threshold of 0 runs every handler on workers");
        assertTrue(smallest.withInlineThresholdMillis(1).runsInline());
    }
}

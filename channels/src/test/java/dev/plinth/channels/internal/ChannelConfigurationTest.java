package dev.plinth.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.channels.ChannelSettings;
import dev.plinth.channels.OverflowPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelConfigurationTest {

    @Test
    void aValidConfigurationGivesItsSettings() {
        ChannelConfiguration configuration = new ChannelConfiguration(Map.of(
                "service.pid", "dev.plinth.channels.channel~news",
                "name", "news",
                "replay", "20",
                "ceilingMessages", 200,
                "ceilingBytes", "4096",
                "policy", "DISCONNECT"));
        assertEquals("news", configuration.name().orElseThrow());
        assertEquals(new ChannelSettings(20, 200, 4096, OverflowPolicy.DISCONNECT), configuration.settings());
    }

    @Test
    void defaultsApplyToKeysNotGiven() {
        ChannelConfiguration configuration = new ChannelConfiguration(Map.of("name", "news"));
        assertEquals(ChannelSettings.DEFAULTS, configuration.settings());
    }

    @Test
    void aRefusedConfigurationIsIgnored() {
        for (Map<String, Object> refused : new Map[] {
            Map.of("name", "not a name"),
            Map.of(),
            Map.of("name", "news", "replay", "2000"),
            Map.of("name", "news", "ceilingMessages", "0"),
            Map.of("name", "news", "ceilingBytes", "-1"),
            Map.of("name", "news", "policy", "BLOCK"),
            Map.of("name", "news", "unknown", "1")
        }) {
            ChannelConfiguration configuration = new ChannelConfiguration(refused);
            assertTrue(configuration.name().isEmpty(), refused.toString());
            assertNull(configuration.settings());
        }
    }

    @Test
    void settingsRefuseNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new ChannelSettings(11, 10, 1, OverflowPolicy.DROP_OLDEST));
        assertThrows(IllegalArgumentException.class, () -> new ChannelSettings(-1, 10, 1, OverflowPolicy.DROP_OLDEST));
        assertThrows(IllegalArgumentException.class, () -> new ChannelSettings(0, 0, 1, OverflowPolicy.DROP_OLDEST));
        assertThrows(IllegalArgumentException.class, () -> new ChannelSettings(0, 1, 0, OverflowPolicy.DROP_OLDEST));
        assertThrows(NullPointerException.class, () -> new ChannelSettings(0, 1, 1, null));
    }
}

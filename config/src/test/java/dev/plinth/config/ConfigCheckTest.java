package dev.plinth.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigCheckTest {

    enum Mode {
        STRICT,
        LENIENT
    }

    @interface Settings {
        int port() default 8080;

        long timeoutMillis() default 1000;

        boolean listing() default false;

        String host();

        String[] index() default {"index.html"};

        Mode mode() default Mode.STRICT;

        String plinth_handler_prefix() default "/";

        double ratio() default 0.5;
    }

    @Test
    void convertsTextAsAConfigurationFileGivesItAndKeepsDefaultsForWhatIsMissing() {
        Settings settings = ConfigCheck.check(
                Settings.class,
                Map.of(
                        "port", " 8081 ",
                        "listing", "TRUE",
                        "index", List.of("a.html", "b.html"),
                        "mode", "LENIENT",
                        "plinth.handler.prefix", "/docs",
                        "service.pid", "dev.plinth.test",
                        "felix.fileinstall.filename", "file:/etc/x.cfg",
                        "org.apache.karaf.features.configKey", "dev.plinth.test",
                        ".private", "anything"));
        assertEquals(8081, settings.port());
        assertEquals(1000, settings.timeoutMillis());
        assertEquals(true, settings.listing());
        assertNull(settings.host());
        assertArrayEquals(new String[] {"a.html", "b.html"}, settings.index());
        assertEquals(Mode.LENIENT, settings.mode());
        assertEquals("/docs", settings.plinth_handler_prefix());
        assertEquals(0.5, settings.ratio());
        assertEquals(Settings.class, settings.annotationType());
    }

    @Test
    void typedValuesPassWhenTheyFit() {
        Settings settings = ConfigCheck.check(
                Settings.class, Map.of("port", 9000L, "timeoutMillis", 5, "listing", Boolean.TRUE, "index", "x"));
        assertEquals(9000, settings.port());
        assertEquals(5, settings.timeoutMillis());
        assertArrayEquals(new String[] {"x"}, settings.index());
        assertEquals(true, settings.listing());
    }

    @Test
    void aValueThatDoesNotConvertIsRefusedWithItsPidKeyAndValue() {
        assertRefused(Map.of("port", "notanumber"), "port", "notanumber", "not an int");
        assertRefused(Map.of("port", 70_000_000_000L), "port", 70_000_000_000L, "not an int");
        assertRefused(Map.of("port", 80.5), "port", 80.5, "not an int");
        assertRefused(Map.of("timeoutMillis", "10s"), "timeoutMillis", "10s", "not a long");
        assertRefused(Map.of("listing", "yes"), "listing", "yes", "not a boolean (true or false)");
        assertRefused(Map.of("mode", "loose"), "mode", "loose", "not one of [STRICT, LENIENT]");
        assertRefused(Map.of("port", List.of("1", "2")), "port", List.of("1", "2"), "one value expected, 2 given");
    }

    @Test
    void anUnknownKeyIsRefusedUnlessTheComponentAllowsIt() {
        RefusedConfiguration refused = assertRefused(
                Map.of("prot", "8081"),
                "prot",
                "8081",
                "unknown key; known: host, index, listing, mode, plinth.handler.prefix, port, ratio, timeoutMillis");
        assertEquals(
                "configuration dev.plinth.test refused: prot=8081: unknown key; known: host, index, listing, mode, "
                        + "plinth.handler.prefix, port, ratio, timeoutMillis",
                refused.getMessage());
        Settings allowed = ConfigCheck.check(Settings.class, Map.of("plinth.handler.host", "h"), "plinth.handler.host");
        assertEquals(8080, allowed.port());
    }

    @Test
    void rangesNameTheirBounds() {
        ConfigCheck.within("p", "port", 65535, 0, 65535);
        RefusedConfiguration high =
                assertThrows(RefusedConfiguration.class, () -> ConfigCheck.within("p", "port", 65536, 0, 65535));
        assertEquals("configuration p refused: port=65536: outside 0..65535", high.getMessage());
        RefusedConfiguration low = assertThrows(
                RefusedConfiguration.class, () -> ConfigCheck.within("p", "maxConnections", 0, 1, Long.MAX_VALUE));
        assertEquals("less than 1", low.reason());
    }

    @Test
    void propertyNamesFollowTheDeclarativeServicesRules() {
        assertEquals("plinth.handler.prefix", ConfigCheck.propertyName("plinth_handler_prefix"));
        assertEquals("a_b", ConfigCheck.propertyName("a__b"));
        assertEquals("a$b", ConfigCheck.propertyName("a$$b"));
        assertEquals("ab", ConfigCheck.propertyName("a$b"));
        assertEquals("max-age", ConfigCheck.propertyName("max$_$age"));
    }

    private static RefusedConfiguration assertRefused(Map<String, Object> given, String key, Object value, String why) {
        Map<String, Object> properties = new java.util.HashMap<>(given);
        properties.put("service.pid", "dev.plinth.test");
        RefusedConfiguration refused =
                assertThrows(RefusedConfiguration.class, () -> ConfigCheck.check(Settings.class, properties));
        assertEquals("dev.plinth.test", refused.pid());
        assertEquals(key, refused.key());
        assertEquals(value, refused.value());
        assertEquals(why, refused.reason());
        return refused;
    }
}

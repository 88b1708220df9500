package dev.plinth.http.handler.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TestConfigTest {

    enum Mode {
        FAST,
        SAFE
    }

    @interface Config {
        String plinth_handler_prefix() default "/hello";

        int max__parts() default 10;

        long timeout$_$millis() default 5;

        boolean enabled() default true;

        Mode mode() default Mode.SAFE;

        String[] tags() default {};

        String required();

        int count();
    }

    @Test
    void defaultsWhenNothingIsSet() {
        Config config = TestConfig.of(Config.class);
        assertEquals("/hello", config.plinth_handler_prefix());
        assertEquals(10, config.max__parts());
        assertEquals(5, config.timeout$_$millis());
        assertTrue(config.enabled());
        assertEquals(Mode.SAFE, config.mode());
        assertArrayEquals(new String[0], config.tags());
        assertNull(config.required(), "no default: absent, as Declarative Services gives it");
        assertEquals(0, config.count());
        assertSame(Config.class, config.annotationType());
    }

    @Test
    void propertiesByTheirDeclarativeServicesNamesConvertedFromText() {
        Config config = TestConfig.of(
                Config.class,
                Map.of(
                        "plinth.handler.prefix", "/hi",
                        "max_parts", "3",
                        "timeout-millis", 7L,
                        "enabled", "false",
                        "mode", "FAST",
                        "tags", "one",
                        "count", 4));
        assertEquals("/hi", config.plinth_handler_prefix());
        assertEquals(3, config.max__parts());
        assertEquals(7, config.timeout$_$millis());
        assertEquals(false, config.enabled());
        assertEquals(Mode.FAST, config.mode());
        assertArrayEquals(new String[] {"one"}, config.tags());
        assertEquals(4, config.count());
        assertTrue(config.toString().contains("plinth_handler_prefix=/hi"), config.toString());
    }

    @Test
    void anUnknownPropertyOrAWrongValueIsRefused() {
        IllegalArgumentException unknown = assertThrows(
                IllegalArgumentException.class,
                () -> TestConfig.of(Config.class, Map.of("plinth_handler_prefix", "/")));
        assertTrue(unknown.getMessage().contains("[plinth_handler_prefix]"), unknown.getMessage());
        IllegalArgumentException wrong = assertThrows(
                IllegalArgumentException.class, () -> TestConfig.of(Config.class, Map.of("max_parts", "many")));
        assertEquals("property max_parts: many is not a int value", wrong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TestConfig.of(Config.class, Map.of("mode", "SLOW")));
    }

    @Test
    void propertyNamesFollowTheDeclarativeServicesRules() {
        assertEquals("plinth.handler.prefix", TestConfig.propertyName("plinth_handler_prefix"));
        assertEquals("max_size", TestConfig.propertyName("max__size"));
        assertEquals("my-name", TestConfig.propertyName("my$_$name"));
        assertEquals("a$b", TestConfig.propertyName("a$$b"));
        assertEquals("ab", TestConfig.propertyName("a$b"));
    }
}

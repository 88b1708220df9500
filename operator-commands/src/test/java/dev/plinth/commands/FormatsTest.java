package dev.plinth.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Addresses, durations and columns as the commands print them. */
class FormatsTest {

    @Test
    void anAgeIsShownInTheUnitReadAtAGlance() {
        assertEquals("0 ms", Formats.age(Duration.ZERO));
        assertEquals("0 ms", Formats.age(Duration.ofMillis(-5)));
        assertEquals("999 ms", Formats.age(Duration.ofMillis(999)));
        assertEquals("1.0 s", Formats.age(Duration.ofMillis(1_000)));
        assertEquals("59.9 s", Formats.age(Duration.ofMillis(59_999)));
        assertEquals("1 min 0 s", Formats.age(Duration.ofSeconds(60)));
        assertEquals("59 min 59 s", Formats.age(Duration.ofSeconds(3_599)));
        assertEquals("1 h 0 min", Formats.age(Duration.ofSeconds(3_600)));
        assertEquals("26 h 3 min", Formats.age(Duration.ofMinutes(26 * 60 + 3)));
    }

    @Test
    void anAddressIsItsIpAndPortWithIpv6InBrackets() {
        assertEquals("127.0.0.1:8080", Formats.hostAndPort(new InetSocketAddress("127.0.0.1", 8080)));
        assertEquals("[0:0:0:0:0:0:0:1]:80", Formats.hostAndPort(new InetSocketAddress("::1", 80)));
        assertEquals(
                "example.invalid:1", Formats.hostAndPort(InetSocketAddress.createUnresolved("example.invalid", 1)));
    }

    @Test
    void aTablePadsEveryColumnButTheLastToItsWidestCell() {
        String text = new Table("A", "LONG HEADING", "LAST")
                .row("wide cell", 1, "x")
                .row("b", 22, "trailing text")
                .toString();
        assertEquals(
                "A          LONG HEADING  LAST\n" + "wide cell  1             x\n"
                        + "b          22            trailing text\n",
                text);
        assertThrows(IllegalArgumentException.class, () -> new Table("A", "B").row("only one"));
    }
}

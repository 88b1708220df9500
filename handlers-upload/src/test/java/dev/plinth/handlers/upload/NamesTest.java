package dev.plinth.handlers.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The name rules, without a server. */
class NamesTest {

    @Test
    void aRequestedNameIsSplitIntoSegments() throws Refusal {
        assertEquals(List.of("a.txt"), Names.requested("/a.txt"));
        assertEquals(List.of("a", "b c", "ünï.txt"), Names.requested("/a/b c/ünï.txt"));
        assertEquals(List.of("a..b"), Names.requested("/a..b"), "two dots inside a name are harmless");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "/",
                "/..",
                "/.",
                "/a/..",
                "/../a",
                "/.env",
                "/a/.git/config",
                "/a//b",
                "/a/",
                "/a\\b",
                "/a\u0000b",
                "/a\u001fb",
                "/a\u007fb",
                "/a\u0085b",
                "/a\rb"
            })
    void aBadNameIsRefused(String name) {
        Refusal refusal = assertThrows(Refusal.class, () -> Names.requested(name));
        assertEquals(400, refusal.status());
    }

    @Test
    void overlongNamesAreRefused() throws Refusal {
        Names.requested("/" + "é".repeat(127)); // 254 bytes
        assertThrows(Refusal.class, () -> Names.requested("/" + "é".repeat(128))); // 256 bytes
        assertThrows(Refusal.class, () -> Names.requested("/a".repeat(17)));
        assertThrows(Refusal.class, () -> Names.requested(("/" + "a".repeat(200)).repeat(6)));
    }

    @Test
    void aClientsFileNameBecomesASafeBaseName() {
        assertEquals("report.pdf", Names.fromClientFilename("report.pdf"));
        assertEquals("holiday.jpg", Names.fromClientFilename("C:\\Users\\me\\holiday.jpg"));
        assertEquals("passwd", Names.fromClientFilename("../../etc/passwd"));
        assertEquals("bashrc", Names.fromClientFilename(".bashrc"));
        assertEquals("a_b_.txt", Names.fromClientFilename("a\"b\u0001.txt"));
        assertEquals("résumé (1).pdf", Names.fromClientFilename("résumé (1).pdf"));
        assertEquals("x", Names.fromClientFilename(" x. "));
        assertNull(Names.fromClientFilename(""));
        assertNull(Names.fromClientFilename(".."));
        assertNull(Names.fromClientFilename("dir/"));
        assertNull(Names.fromClientFilename("\u0000\u0001"));
        assertNull(Names.fromClientFilename("a".repeat(256)));
    }

    @Test
    void generatedNamesAreRandomHexWithAnExtensionForKnownTypes() {
        assertTrue(Names.generated(null).matches("[0-9a-f]{32}"));
        assertTrue(Names.generated("image/PNG; q=1").matches("[0-9a-f]{32}\\.png"));
        assertTrue(Names.generated("application/x-unknown").matches("[0-9a-f]{32}"));
        assertFalse(Names.generated(null).equals(Names.generated(null)));
    }

    @Test
    void variantsKeepTheExtensionAndTheLengthLimit() {
        assertTrue(Names.variant("report.pdf").matches("report-[0-9a-f]{6}\\.pdf"));
        assertTrue(Names.variant("noext").matches("noext-[0-9a-f]{6}"));
        String longest = Names.variant("a".repeat(251) + ".txt");
        assertTrue(longest.getBytes(StandardCharsets.UTF_8).length <= Names.MAX_SEGMENT_BYTES, longest);
        assertTrue(longest.endsWith(".txt"));
    }

    @Test
    void temporaryNamesAreHiddenAndRecognised() {
        String name = Names.temporary();
        assertTrue(name.startsWith("."));
        assertTrue(Names.isTemporary(name));
        assertFalse(Names.isTemporary(".upload-0123456789abcdeg.part"));
        assertFalse(Names.isTemporary(".upload-0123.part"));
        assertFalse(Names.isTemporary("upload-0123456789abcdef.part"));
    }

    @Test
    void locationsArePercentEncodedAndTheReceiptIsJson() {
        assertEquals("/files/a%20b/%C3%A9%23%3F.txt", Locations.of("/files", "a b/é#?.txt"));
        assertEquals("/x.txt", Locations.of("/", "x.txt"));
        assertEquals(
                "{\"files\":[{\"name\":\"a\\\"b\",\"field\":\"f\",\"size\":3,\"location\":\"/a%22b\"}],"
                        + "\"fields\":{\"k\\\\\":\"v\\u000a\\u2028\"}}\n",
                Locations.receipt(
                        List.of(new Stored("f", "a\"b", 3, "/a%22b")), List.of(Map.entry("k\\", "v\n\u2028"))));
    }
}

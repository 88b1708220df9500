package dev.plinth.handlers.stream.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SseEncoderTest {

    @Test
    void anEventIsItsFieldsThenABlankLine() {
        assertEquals("event: tick\nid: e-1\ndata: hello\n\n", SseEncoder.event("tick", "e-1", "hello"));
        assertEquals("data: hello\n\n", SseEncoder.event("", null, "hello"));
        assertEquals("data: hello\n\n", SseEncoder.event(null, null, "hello"));
    }

    @Test
    void everyKindOfLineBreakInDataStartsADataLine() {
        assertEquals("data: a\ndata: b\ndata: c\ndata: d\n\n", SseEncoder.event(null, null, "a\nb\r\nc\rd"));
        assertEquals("data: a\ndata: \ndata: b\n\n", SseEncoder.event(null, null, "a\n\nb"));
        assertEquals("data: a\ndata: \ndata: b\n\n", SseEncoder.event(null, null, "a\r\rb"));
        assertEquals("data: \ndata: \n\n", SseEncoder.event(null, null, "\r\n"));
        assertEquals("data: \n\n", SseEncoder.event(null, null, ""), "an empty data line still dispatches");
        assertEquals("data: a\u2028b\n\n", SseEncoder.event(null, null, "a\u2028b"), "not a line break in SSE");
    }

    @Test
    void leadingSpacesOfDataSurviveTheOneTheClientStrips() {
        assertEquals("data:   two spaces\n\n", SseEncoder.event(null, null, "  two spaces"));
    }

    @Test
    void lineBreaksInEventTypesAndIdsAreRefused() {
        for (String bad : List.of("a\nb", "a\rb", "a\r\nb", "\n", "x\ndata: forged")) {
            assertThrows(IllegalArgumentException.class, () -> SseEncoder.event(bad, null, "d"), bad);
            assertThrows(IllegalArgumentException.class, () -> SseEncoder.event(null, bad, "d"), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> SseEncoder.event(null, "a\0b", "d"));
        assertEquals("event: a\0b\ndata: d\n\n", SseEncoder.event("a\0b", null, "d"), "NUL is harmless in a type");
    }

    @Test
    void neutralisingLeavesNoLineBreakToInjectWith() {
        String forged = SseEncoder.neutralise("x\ndata: forged\r\nid: 1\r\0");
        assertEquals("x\uFFFDdata: forged\uFFFD\uFFFDid: 1\uFFFD\uFFFD", forged);
        String event = SseEncoder.event(forged, forged, "d");
        assertEquals("event: " + forged + "\nid: " + forged + "\ndata: d\n\n", event);
        assertEquals(4, event.split("\n", -1).length - 1, "three field lines and the blank line");
        assertEquals("plain", SseEncoder.neutralise("plain"));
        assertNull(SseEncoder.neutralise(null));
    }

    @Test
    void commentsAreOneLineEachAndRetryIsDigits() {
        assertEquals(": heartbeat\n", SseEncoder.comment("heartbeat"));
        assertEquals(": one\n: data: not a field\n", SseEncoder.comment("one\ndata: not a field"));
        assertEquals(": a\n: b\n", SseEncoder.comment("a\r\nb"));
        assertEquals("retry: 3000\n", SseEncoder.retry(3000));
        assertThrows(IllegalArgumentException.class, () -> SseEncoder.retry(-1));
    }

    @Test
    void theGapEventHasNoIdAndSaysWhatWasMissed() {
        SseFormat format = new SseFormat(0);
        assertEquals(
                "event: plinth-gap\ndata: {\"from\":\"ep-3\",\"to\":\"ep-5\",\"missed\":3}\n\n",
                format.gap("ep", 3, 5));
        assertEquals(": channel news, epoch ep\n", format.open("news", "ep", null));
        assertEquals("retry: 10\n: channel news, epoch ep\n: note\n", new SseFormat(10).open("news", "ep", "note"));
    }
}

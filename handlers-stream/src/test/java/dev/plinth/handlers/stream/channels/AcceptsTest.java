package dev.plinth.handlers.stream.channels;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AcceptsTest {

    private static boolean sse(String... accept) {
        return Accepts.allows(List.of(accept), "text", "event-stream");
    }

    @Test
    void lenientWhereTheClientSaysNothingUseful() {
        assertTrue(sse());
        assertTrue(sse("*/*"));
        assertTrue(sse("nonsense"));
        assertTrue(sse(""));
        assertTrue(sse("text/*"));
        assertTrue(sse("TEXT/Event-Stream"));
        assertTrue(sse("text/event-stream; charset=utf-8"));
        assertTrue(sse("application/json", "*/*;q=0.1"));
    }

    @Test
    void theMostSpecificRangeDecides() {
        assertFalse(sse("application/json"));
        assertFalse(sse("text/html, application/xml;q=0.9"));
        assertFalse(sse("text/event-stream;q=0"));
        assertFalse(sse("*/*, text/event-stream;q=0"));
        assertFalse(sse("text/*;q=0, */*"));
        assertTrue(sse("text/*;q=0, text/event-stream"));
        assertTrue(sse("text/event-stream;q=0.001"));
        assertTrue(sse("text/event-stream;q=oops"));
    }
}

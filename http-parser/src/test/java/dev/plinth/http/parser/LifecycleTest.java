package dev.plinth.http.parser;

import static dev.plinth.http.parser.Harness.assertParses;
import static dev.plinth.http.parser.Harness.assertRejects;
import static dev.plinth.http.parser.Harness.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Pipelining, pausing, end of input, idleness, and what happens after an error. */
class LifecycleTest {
    private static final String FIRST = "POST /1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\none";
    private static final String SECOND = "GET /2 HTTP/1.1\r\nHost: a\r\n\r\n";

    @Test
    void pipelinedRequestsInOneBuffer() {
        assertParses(FIRST + SECOND + "\r\n" + SECOND, "request POST /1 HTTP_1_1", "header Host=[a]",
                "header Content-Length=[3]", "headers 3", "content one", "complete", "request GET /2 HTTP_1_1",
                "header Host=[a]", "headers 0", "complete", "request GET /2 HTTP_1_1", "header Host=[a]", "headers 0",
                "complete");
    }

    @Test
    void messageCompleteStopsAndResetContinues() throws HttpParseException {
        Recorder recorder = new Recorder(false);
        RequestParser parser = new RequestParser(ParserConfig.DEFAULT, recorder);
        ByteBuffer input = ByteBuffer.wrap(bytes(FIRST + SECOND));
        assertTrue(parser.parse(input));
        assertTrue(parser.isComplete());
        assertEquals(FIRST.length(), input.position());
        assertTrue(parser.parse(input));
        assertEquals(FIRST.length(), input.position());
        parser.reset();
        assertTrue(parser.isIdle());
        assertFalse(parser.isComplete());
        assertTrue(parser.parse(input));
        assertFalse(input.hasRemaining());
        assertEquals("request POST /1 HTTP_1_1\nheader Host=[a]\nheader Content-Length=[3]\nheaders 3\ncontent one\n"
                + "complete\nrequest GET /2 HTTP_1_1\nheader Host=[a]\nheaders 0\ncomplete", recorder.transcript());
    }

    @Test
    void pauseAfterHeadersLeavesTheBodyUnread() throws HttpParseException {
        RequestParser parser = new RequestParser(ParserConfig.DEFAULT, new Recorder(true));
        ByteBuffer input = ByteBuffer.wrap(bytes(FIRST));
        assertTrue(parser.parse(input));
        assertFalse(parser.isComplete());
        assertEquals(FIRST.length() - 3, input.position());
        assertTrue(parser.parse(input));
        assertEquals(FIRST.length(), input.position());
        assertFalse(parser.isComplete());
        assertTrue(parser.parse(input));
        assertTrue(parser.isComplete());
    }

    @Test
    void contentIsASliceOfTheInputNotACopy() throws HttpParseException {
        Recorder recorder = new Recorder(false);
        RequestParser parser = new RequestParser(ParserConfig.DEFAULT, recorder);
        ByteBuffer input = ByteBuffer.wrap(bytes(FIRST));
        parser.parse(input);
        assertSame(input.array(), recorder.lastPart.array());
        assertEquals(FIRST.length() - 3, recorder.lastPart.arrayOffset());
    }

    @Test
    void contentLengthBodyCutShortIs400AtEndOfInput() {
        assertRejects(FIRST.substring(0, FIRST.length() - 1), 400);
    }

    @Test
    void endOfInputWhenIdleIsNoError() throws HttpParseException {
        RequestParser parser = new RequestParser(ParserConfig.DEFAULT, new Recorder(false));
        parser.endOfInput();
        parser.parse(ByteBuffer.wrap(bytes("\r\n")));
        assertTrue(parser.isIdle());
        parser.endOfInput();
    }

    @Test
    void endOfInputMidRequestIs400() {
        assertRejects("G", 400);
        assertRejects("GET / HTTP/1.1\r\nHost: a\r\n", 400);
        assertRejects("GET / HTTP/1.1\r\nHost: a\r\n\r", 400);
    }

    @Test
    void idleUntilTheFirstByteOfARequest() throws HttpParseException {
        RequestParser parser = new RequestParser(ParserConfig.DEFAULT, new Recorder(false));
        assertTrue(parser.isIdle());
        parser.parse(ByteBuffer.wrap(bytes("\r")));
        assertTrue(parser.isIdle());
        parser.parse(ByteBuffer.wrap(bytes("\nG")));
        assertFalse(parser.isIdle());
        parser.parse(ByteBuffer.wrap(bytes("ET / HTTP/1.0\r\n\r\n")));
        assertTrue(parser.isComplete());
        assertFalse(parser.isIdle());
        parser.reset();
        assertTrue(parser.isIdle());
    }

    @Test
    void afterAnErrorTheParserThrowsUntilReset() throws HttpParseException {
        RequestParser parser = new RequestParser(ParserConfig.DEFAULT, new Recorder(false));
        HttpParseException first =
                assertThrows(HttpParseException.class, () -> parser.parse(ByteBuffer.wrap(bytes("GET  /"))));
        assertEquals(400, first.status());
        assertTrue(first.closeConnection());
        assertSame(first, assertThrows(HttpParseException.class, () -> parser.parse(ByteBuffer.wrap(bytes("x")))));
        parser.reset();
        assertTrue(parser.parse(ByteBuffer.wrap(bytes(SECOND))));
        assertTrue(parser.isComplete());
    }

    @Test
    void emptyLineToleranceIsPerRequest() {
        assertParses("\r\n" + SECOND + "\r\n" + SECOND, "request GET /2 HTTP_1_1", "header Host=[a]", "headers 0",
                "complete", "request GET /2 HTTP_1_1", "header Host=[a]", "headers 0", "complete");
    }

    @Test
    void everyViolationNamesItsRfcSection() {
        for (Violation violation : Violation.values()) {
            assertTrue(violation.reference().startsWith("RFC "), violation.name());
        }
    }
}

package dev.plinth.http.parser;

import static dev.plinth.http.parser.Harness.assertParses;
import static dev.plinth.http.parser.Harness.assertRejects;
import static dev.plinth.http.parser.Harness.assertTranscript;
import static dev.plinth.http.parser.Harness.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Pipelining, pausing, end of input, idleness, and what happens after an error. */
class LifecycleTest {
    private static final String FIRST = "POST /1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\none";
    private static final String SECOND = "GET /2 HTTP/1.1\r\nHost: a\r\n\r\n";
    private static final String CHUNKED =
            "POST /3 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + "2\r\nok\r\n0\r\n\r\n";
    private static final String[] FIRST_EVENTS = {
        "request POST /1 HTTP/1.1",
        "header Host=[a]",
        "header Content-Length=[3]",
        "headers 3",
        "content one",
        "complete"
    };
    private static final String[] SECOND_EVENTS = {"request GET /2 HTTP/1.1", "header Host=[a]", "headers 0", "complete"
    };
    private static final String[] CHUNKED_EVENTS = {
        "request POST /3 HTTP/1.1",
        "header Host=[a]",
        "header Transfer-Encoding=[chunked]",
        "headers -1",
        "content ok",
        "complete"
    };

    private static String[] concat(String[] first, String[] second) {
        String[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Test
    void pipelinedRequestsInOneBuffer() {
        assertParses(
                FIRST + SECOND + "\r\n" + SECOND,
                "request POST /1 HTTP/1.1",
                "header Host=[a]",
                "header Content-Length=[3]",
                "headers 3",
                "content one",
                "complete",
                "request GET /2 HTTP/1.1",
                "header Host=[a]",
                "headers 0",
                "complete",
                "request GET /2 HTTP/1.1",
                "header Host=[a]",
                "headers 0",
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
        assertEquals(
                "request POST /1 HTTP/1.1\nheader Host=[a]\nheader Content-Length=[3]\nheaders 3\ncontent one\n"
                        + "complete\nrequest GET /2 HTTP/1.1\nheader Host=[a]\nheaders 0\ncomplete",
                recorder.transcript());
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

    /** The empty line ending the head is found by other paths when it is a bare LF, or when a field may fold. */
    @Test
    void pauseAfterAHeadEndedByBareLfOrAfterAFoldableField() throws HttpParseException {
        String lf = FIRST.replace("\r\n", "\n");
        ParserConfig fold = Harness.tolerating(Harness.STRICT, Violation.OBS_FOLD);
        ParserConfig[] configs = {Harness.LENIENT, Harness.tolerating(fold, Violation.LF_LINE_ENDINGS), fold};
        String[] inputs = {lf, lf, FIRST};
        for (int i = 0; i < configs.length; i++) {
            String input = inputs[i];
            RequestParser pausing = new RequestParser(configs[i], new Recorder(true));
            ByteBuffer buffer = ByteBuffer.wrap(bytes(input));
            assertTrue(pausing.parse(buffer), "paused");
            assertEquals(input.length() - 3, buffer.position(), "the body left unread");
            RequestParser flowing = new RequestParser(configs[i], new Recorder(false));
            assertTrue(flowing.parse(ByteBuffer.wrap(bytes(input))));
            assertTrue(flowing.isComplete(), "no pause unless the listener asks");
        }
    }

    /** Parsers of one thread share its scratch buffer: a line cut between reads is kept by its own parser. */
    @Test
    void interleavedParsersOfOneThreadKeepTheirOwnLines() throws HttpParseException {
        Recorder first = new Recorder(false);
        Recorder second = new Recorder(false);
        RequestParser one = new RequestParser(ParserConfig.DEFAULT, first);
        RequestParser two = new RequestParser(ParserConfig.DEFAULT, second);
        assertFalse(one.parse(ByteBuffer.wrap(bytes("GET /one-two-three"))));
        assertFalse(two.parse(ByteBuffer.wrap(bytes("POST /four HTTP/1.1\r\nHost: b\r\nX-Long: "))));
        assertFalse(one.parse(ByteBuffer.wrap(bytes(" HTTP/1.1\r\nHost: a\r\nX-Long: 12"))));
        assertTrue(two.parse(ByteBuffer.wrap(bytes("5678\r\n\r\n"))));
        assertTrue(one.parse(ByteBuffer.wrap(bytes("34\r\n\r\n"))));
        assertEquals(
                "request GET /one-two-three HTTP/1.1\nheader Host=[a]\nheader X-Long=[1234]\nheaders 0\n" + "complete",
                first.transcript());
        assertEquals(
                "request POST /four HTTP/1.1\nheader Host=[b]\nheader X-Long=[5678]\nheaders 0\ncomplete",
                second.transcript());
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
        assertRejects(FIRST.substring(0, FIRST.length() - 1), Rule.INCOMPLETE_REQUEST);
    }

    @Test
    void endOfInputWhenIdleIsNoError() throws HttpParseException {
        RequestParser parser = new RequestParser(ParserConfig.DEFAULT, new Recorder(false));
        parser.endOfInput();
        assertTrue(parser.isIdle());
    }

    @Test
    void endOfInputAfterOnlyEmptyLinesIsACleanEnd() throws HttpParseException {
        assertParses("\r\n");
        assertParses("\r\n".repeat(8));
        // the last empty line cut after its CR: still nothing of a request
        assertTranscript(Harness.STRICT, "\r\n\r", "");
        RequestParser parser = new RequestParser(ParserConfig.DEFAULT, new Recorder(false));
        parser.parse(ByteBuffer.wrap(bytes("\r\n\r\n")));
        parser.endOfInput();
        assertTrue(parser.parse(ByteBuffer.wrap(bytes(SECOND))), "usable after a clean end of input");
    }

    @Test
    void endOfInputAfterEmptyLinesBetweenRequestsIsACleanEnd() {
        assertParses(FIRST + "\r\n", FIRST_EVENTS);
        assertParses(FIRST + "\r\n".repeat(8), FIRST_EVENTS);
        assertTranscript(Harness.STRICT, FIRST + "\r\n\r", String.join("\n", FIRST_EVENTS));
        assertParses(CHUNKED + "\r\n\r\n", CHUNKED_EVENTS);
    }

    @Test
    void emptyLinesBetweenPipelinedRequestsAreIgnored() {
        assertParses(FIRST + "\r\n" + SECOND, concat(FIRST_EVENTS, SECOND_EVENTS));
        assertParses(FIRST + "\r\n".repeat(8) + SECOND, concat(FIRST_EVENTS, SECOND_EVENTS));
        assertParses(CHUNKED + "\r\n" + SECOND, concat(CHUNKED_EVENTS, SECOND_EVENTS));
        assertParses(CHUNKED + "\r\n".repeat(8) + SECOND, concat(CHUNKED_EVENTS, SECOND_EVENTS));
    }

    @Test
    void ninthEmptyLineBetweenPipelinedRequestsIs400() {
        assertTranscript(
                Harness.STRICT,
                FIRST + "\r\n".repeat(9) + SECOND,
                String.join("\n", FIRST_EVENTS) + "\nerror TOO_MANY_EMPTY_LINES");
        assertTranscript(
                Harness.STRICT,
                CHUNKED + "\r\n".repeat(9) + SECOND,
                String.join("\n", CHUNKED_EVENTS) + "\nerror TOO_MANY_EMPTY_LINES");
    }

    @Test
    void loneCrBetweenPipelinedRequestsIs400() {
        assertTranscript(Harness.STRICT, FIRST + "\r" + SECOND, String.join("\n", FIRST_EVENTS) + "\nerror BARE_CR");
        assertTranscript(
                Harness.STRICT,
                CHUNKED + "\r\n \r\n" + SECOND,
                String.join("\n", CHUNKED_EVENTS) + "\nerror METHOD_NOT_TOKEN");
    }

    @Test
    void endOfInputMidRequestIs400() {
        assertRejects("G", Rule.INCOMPLETE_REQUEST);
        assertRejects("GET / HTTP/1.1\r\nHost: a\r\n", Rule.INCOMPLETE_REQUEST);
        assertRejects("GET / HTTP/1.1\r\nHost: a\r\n\r", Rule.INCOMPLETE_REQUEST);
    }

    @Test
    void idleUntilTheFirstByteOfARequest() throws HttpParseException {
        RequestParser parser = new RequestParser(ParserConfig.DEFAULT, new Recorder(false));
        assertTrue(parser.isIdle());
        parser.parse(ByteBuffer.wrap(bytes("G")));
        assertFalse(parser.isIdle());
        parser.parse(ByteBuffer.wrap(bytes("ET / HTTP/1.0\r\n\r\n")));
        assertTrue(parser.isComplete());
        assertFalse(parser.isIdle());
        parser.reset();
        assertTrue(parser.isIdle());
    }

    /**
     * A whole ignored empty line is not part of a request: the parser is still idle after it, so the connection's
     * idle timeout (counted from the last response, not renewed by empty lines) still applies, and a client that
     * sends a CRLF after its request and goes quiet is closed quietly rather than sent an unasked-for 408. A CR
     * waiting for its LF is a line in progress.
     */
    @Test
    void wholeEmptyLinesLeaveTheParserIdle() throws HttpParseException {
        RequestParser parser = new RequestParser(ParserConfig.DEFAULT, new Recorder(false));
        assertFalse(parser.parse(ByteBuffer.wrap(bytes("\r"))));
        assertFalse(parser.isIdle());
        assertFalse(parser.parse(ByteBuffer.wrap(bytes("\n"))));
        assertTrue(parser.isIdle());
        assertFalse(parser.parse(ByteBuffer.wrap(bytes("\r\nG"))));
        assertFalse(parser.isIdle());

        RequestParser lenient = new RequestParser(Harness.LENIENT, new Recorder(false));
        assertFalse(lenient.parse(ByteBuffer.wrap(bytes("\n"))));
        assertTrue(lenient.isIdle());
    }

    @Test
    void emptyLinesAfterARequestCountTowardsTheLimitUntilTheNextReset() throws HttpParseException {
        RequestParser parser = new RequestParser(ParserConfig.DEFAULT, new Recorder(false));
        ByteBuffer input = ByteBuffer.wrap(bytes(FIRST + "\r\n"));
        assertTrue(parser.parse(input));
        parser.reset();
        assertTrue(parser.isIdle());
        assertFalse(parser.parse(input));
        assertFalse(input.hasRemaining());
        assertTrue(parser.isIdle());
        assertThrows(
                HttpParseException.class,
                () -> parser.parse(ByteBuffer.wrap(bytes("\r\n".repeat(RequestParser.MAX_EMPTY_LINES)))),
                "one empty line before, seven more allowed, the ninth rejected");
        RequestParser fresh = new RequestParser(ParserConfig.DEFAULT, new Recorder(false));
        assertFalse(fresh.parse(ByteBuffer.wrap(bytes("\r\n".repeat(RequestParser.MAX_EMPTY_LINES)))));
        fresh.reset();
        assertFalse(
                fresh.parse(ByteBuffer.wrap(bytes("\r\n".repeat(RequestParser.MAX_EMPTY_LINES)))),
                "reset forgets the empty lines");
    }

    @Test
    void afterAnErrorTheParserThrowsUntilReset() throws HttpParseException {
        RequestParser parser = new RequestParser(ParserConfig.DEFAULT, new Recorder(false));
        HttpParseException first =
                assertThrows(HttpParseException.class, () -> parser.parse(ByteBuffer.wrap(bytes("GET  /"))));
        assertEquals(Rule.REQUEST_LINE_SP, first.rule());
        assertEquals(400, first.status());
        assertSame(first, assertThrows(HttpParseException.class, () -> parser.parse(ByteBuffer.wrap(bytes("x")))));
        parser.reset();
        assertTrue(parser.parse(ByteBuffer.wrap(bytes(SECOND))));
        assertTrue(parser.isComplete());
    }

    @Test
    void emptyLineToleranceIsPerRequest() {
        String eight = "\r\n".repeat(8);
        assertParses(eight + SECOND + eight + SECOND, concat(SECOND_EVENTS, SECOND_EVENTS));
    }
}

package dev.plinth.http.parser;

import static dev.plinth.http.parser.Harness.assertParses;
import static dev.plinth.http.parser.Harness.assertRejects;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9112 §5, RFC 9110 §5: header fields, and the limits on them (RFC 6585 §5). */
class HeaderFieldTest {
    /** Field lines of at most 20 bytes, a block of at most 64 bytes, at most 3 fields. */
    private static final ParserConfig SMALL = new ParserConfig(64, 64, 20, 3, 1000, Compliance.STRICT);

    @Test
    void repeatedNamesAreAllReportedInOrder() {
        assertParses(
                "GET / HTTP/1.1\r\nHost: a\r\nAccept: x\r\nCookie: 1\r\naccept: y\r\nCookie: 2\r\n\r\n",
                "request GET / HTTP/1.1",
                "header Host=[a]",
                "header Accept=[x]",
                "header Cookie=[1]",
                "header accept=[y]",
                "header Cookie=[2]",
                "headers 0",
                "complete");
    }

    @Test
    void whitespaceAroundValueIsTrimmedAndInsideKept() {
        assertParses(
                "GET / HTTP/1.1\r\nHost:a\r\nX: \t one \t two\t \r\nY:\r\nZ:  \r\n\r\n",
                "request GET / HTTP/1.1",
                "header Host=[a]",
                "header X=[one \t two]",
                "header Y=[]",
                "header Z=[]",
                "headers 0",
                "complete");
    }

    @Test
    void obsTextInValueIsAccepted() {
        assertParses(
                "GET / HTTP/1.1\r\nHost: a\r\nX: caf\u00e9 \u0080\u00ff\r\n\r\n",
                "request GET / HTTP/1.1",
                "header Host=[a]",
                "header X=[caf\u00e9 \u0080\u00ff]",
                "headers 0",
                "complete");
    }

    @Test
    void spaceBeforeColonIs400() {
        assertRejects("GET / HTTP/1.1\r\nHost : a\r\n\r\n", Rule.WHITESPACE_BEFORE_COLON);
    }

    @Test
    void tabBeforeColonIs400() {
        assertRejects("GET / HTTP/1.1\r\nHost: a\r\nX\t: b\r\n\r\n", Rule.WHITESPACE_BEFORE_COLON);
    }

    @Test
    void emptyFieldNameIs400() {
        assertRejects("GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", Rule.EMPTY_FIELD_NAME);
    }

    @Test
    void fieldLineWithoutColonIs400() {
        assertRejects("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", Rule.FIELD_WITHOUT_COLON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"X@Y", "X(Y)", "X\"Y", "X/Y", "X\u00e9", "X\u0000"})
    void fieldNameThatIsNotATokenIs400(String name) {
        assertRejects("GET / HTTP/1.1\r\nHost: a\r\n" + name + ": b\r\n\r\n", Rule.FIELD_NAME_NOT_TOKEN);
    }

    @Test
    void obsFoldIs400() {
        assertRejects("GET / HTTP/1.1\r\nHost: a\r\nX: one\r\n two\r\n\r\n", Rule.OBS_FOLD);
        assertRejects("GET / HTTP/1.1\r\nHost: a\r\nX: one\r\n\ttwo\r\n\r\n", Rule.OBS_FOLD);
    }

    @Test
    void whitespaceBeforeFirstFieldLineIs400() {
        assertRejects("GET / HTTP/1.1\r\n Host: a\r\n\r\n", Rule.WHITESPACE_BEFORE_FIRST_FIELD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\u0001", "\u000b", "\u000c", "\u001f", "\u007f"})
    void controlCharacterInValueIs400(String control) {
        assertRejects("GET / HTTP/1.1\r\nHost: a\r\nX: a" + control + "b\r\n\r\n", Rule.FIELD_VALUE_CONTROL);
    }

    @Test
    void bareCrInValueIs400() {
        assertRejects("GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", Rule.BARE_CR);
        assertRejects(Harness.LENIENT, "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", Rule.BARE_CR);
    }

    @Test
    void fieldLineAtTheLimitIsAccepted() {
        String field = "X: " + "v".repeat(17);
        assertParses(
                SMALL,
                "GET / HTTP/1.1\r\nHost: a\r\n" + field + "\r\n\r\n",
                "request GET / HTTP/1.1",
                "header Host=[a]",
                "header X=[" + "v".repeat(17) + "]",
                "headers 0",
                "complete");
    }

    @Test
    void fieldLineOverTheLimitIs431() {
        assertRejects(
                SMALL, "GET / HTTP/1.1\r\nHost: a\r\nX: " + "v".repeat(18) + "\r\n\r\n", Rule.FIELD_LINE_TOO_LONG);
        assertRejects(SMALL, "GET / HTTP/1.1\r\nHost: a\r\nX: " + "v".repeat(18), Rule.FIELD_LINE_TOO_LONG);
    }

    @Test
    void fieldNameOverTheLimitsIs431() {
        assertRejects(
                SMALL, "GET / HTTP/1.1\r\nHost: a\r\n" + "X".repeat(21) + ": b\r\n\r\n", Rule.FIELD_LINE_TOO_LONG);
        // refused on the byte past the limit, not later: no colon follows here
        assertRejects(SMALL, "GET / HTTP/1.1\r\nHost: a\r\n" + "X".repeat(25) + "\r\n\r\n", Rule.FIELD_LINE_TOO_LONG);
        assertRejects(
                new ParserConfig(64, 24, 20, 10, 1000, Compliance.STRICT),
                "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\n" + "X".repeat(12) + ": b\r\n\r\n",
                Rule.FIELD_SECTION_TOO_LARGE);
    }

    @Test
    void headerBlockOverTheLimitIs431() {
        // field lines with their CRLF: 9 + 22 + 22 = 53 bytes; a fourth of 12 passes 64
        String block = "Host: a\r\nA: 12345678901234567\r\nB: 12345678901234567\r\n";
        assertParses(
                SMALL,
                "GET / HTTP/1.1\r\n" + block + "\r\n",
                "request GET / HTTP/1.1",
                "header Host=[a]",
                "header A=[12345678901234567]",
                "header B=[12345678901234567]",
                "headers 0",
                "complete");
        assertRejects(
                new ParserConfig(64, 64, 20, 10, 1000, Compliance.STRICT),
                "GET / HTTP/1.1\r\n" + block + "C: 1234567\r\n\r\n",
                Rule.FIELD_SECTION_TOO_LARGE);
    }

    @Test
    void moreFieldsThanTheLimitIs431() {
        assertParses(
                SMALL,
                "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n",
                "request GET / HTTP/1.1",
                "header Host=[a]",
                "header A=[1]",
                "header B=[2]",
                "headers 0",
                "complete");
        assertRejects(SMALL, "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", Rule.TOO_MANY_FIELDS);
    }

    @Test
    void bareLfIs400WhenStrict() {
        assertRejects("GET / HTTP/1.1\nHost: a\r\n\r\n", Rule.BARE_LF);
        assertRejects("GET / HTTP/1.1\r\nHost: a\n\r\n", Rule.BARE_LF);
        assertRejects("GET / HTTP/1.1\r\nHost: a\r\n\n", Rule.BARE_LF);
        assertRejects("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", Rule.BARE_LF);
    }

    @Test
    void bareLfIsAcceptedWhenTolerated() {
        assertParses(
                Harness.LENIENT,
                "\nGET / HTTP/1.1\nHost: a\r\nX: b\n\n",
                "request GET / HTTP/1.1",
                "header Host=[a]",
                "header X=[b]",
                "headers 0",
                "complete");
    }

    @Test
    void bareCrIs400EvenWhenLfIsTolerated() {
        for (ParserConfig config : new ParserConfig[] {Harness.STRICT, Harness.LENIENT}) {
            assertRejects(config, "GET / HTTP/1.1\rHost: a\r\n\r\n", Rule.BARE_CR);
            assertRejects(config, "GET / HTTP/1.1\r\nHost: a\r\r\n\r\n", Rule.BARE_CR);
            assertRejects(config, "GET / HTTP/1.1\r\nHost: a\r\n\rX", Rule.BARE_CR);
            assertRejects(config, "\rGET / HTTP/1.1\r\nHost: a\r\n\r\n", Rule.BARE_CR);
        }
    }
}

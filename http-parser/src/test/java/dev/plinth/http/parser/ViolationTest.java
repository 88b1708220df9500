package dev.plinth.http.parser;

import static dev.plinth.http.parser.Harness.assertParses;
import static dev.plinth.http.parser.Harness.assertRejects;
import static dev.plinth.http.parser.Harness.tolerating;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link Violation} both ways: one input per violation that {@link Compliance#STRICT} rejects with the rule it
 * bends, and that a mode tolerating only that violation accepts as the repaired request, in every split. Then the
 * edges of each: what stays rejected when it is tolerated, and the limits over what it drops.
 */
class ViolationTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n";
    private static final String POST = "POST / HTTP/1.1\r\nHost: a\r\n";
    private static final String CHUNKED = POST + "Transfer-Encoding: chunked\r\n\r\n";
    private static final String[] CHUNKED_EVENTS = {
        "request POST / HTTP/1.1", "header Host=[a]", "header Transfer-Encoding=[chunked]", "headers -1"
    };
    /** Request line 64, field section 64, field line 20, 10 fields, body 1000. */
    private static final ParserConfig SMALL = new ParserConfig(64, 64, 20, 10, 1000, Compliance.STRICT);

    private record Row(Violation violation, Rule strictRule, String input, String[] repaired) {}

    private static String[] chunked(String... more) {
        return Stream.concat(Stream.of(CHUNKED_EVENTS), Stream.of(more)).toArray(String[]::new);
    }

    private static final Row[] ROWS = {
        new Row(Violation.LF_LINE_ENDINGS, Rule.BARE_LF, "GET / HTTP/1.1\nHost: a\n\n", new String[] {
            "request GET / HTTP/1.1", "header Host=[a]", "headers 0", "complete"
        }),
        new Row(
                Violation.LF_CHUNK_LINE_ENDINGS,
                Rule.CHUNK_LINE_NOT_CRLF,
                CHUNKED + "5\nhello\n1;x\n!\n0\n\r\n",
                chunked("content hello!", "complete")),
        new Row(
                Violation.LF_CHUNK_LINE_ENDINGS,
                Rule.CHUNK_DATA_NOT_CRLF,
                CHUNKED + "5\r\nhello\n0\r\n\r\n",
                chunked("content hello", "complete")),
        new Row(Violation.OBS_FOLD, Rule.OBS_FOLD, GET + "X: one \r\n \t two\r\nY: b\r\n\r\n", new String[] {
            "request GET / HTTP/1.1", "header Host=[a]", "header X=[one two]", "header Y=[b]", "headers 0", "complete"
        }),
        new Row(
                Violation.WHITESPACE_BEFORE_COLON,
                Rule.WHITESPACE_BEFORE_COLON,
                "GET / HTTP/1.1\r\nHost \t : a\r\n\r\n",
                new String[] {"request GET / HTTP/1.1", "header Host=[a]", "headers 0", "complete"}),
        new Row(
                Violation.MULTIPLE_CONTENT_LENGTHS,
                Rule.MULTIPLE_CONTENT_LENGTHS,
                POST + "Content-Length: 5, 5\r\n\r\nhello",
                new String[] {
                    "request POST / HTTP/1.1",
                    "header Host=[a]",
                    "header Content-Length=[5, 5]",
                    "headers 5",
                    "content hello",
                    "complete"
                }),
        new Row(
                Violation.MULTIPLE_CONTENT_LENGTHS,
                Rule.MULTIPLE_CONTENT_LENGTHS,
                POST + "Content-Length: 5\r\ncontent-length: 5\r\n\r\nhello",
                new String[] {
                    "request POST / HTTP/1.1",
                    "header Host=[a]",
                    "header Content-Length=[5]",
                    "header content-length=[5]",
                    "headers 5",
                    "content hello",
                    "complete"
                }),
    };

    static Stream<Arguments> rows() {
        return Stream.of(ROWS).map(row -> arguments(row.violation(), row.strictRule(), row.input(), row.repaired()));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("rows")
    void strictRejectsWithTheRuleAndTheViolationRepairs(
            Violation violation, Rule strictRule, String input, String[] repaired) {
        assertRejects(input, strictRule);
        assertParses(only(violation), input, repaired);
    }

    @Test
    void everyViolationHasARow() {
        Set<Violation> missing = EnumSet.allOf(Violation.class);
        for (Row row : ROWS) {
            missing.remove(row.violation());
        }
        assertEquals(Set.of(), missing, "violations no row of this table tolerates");
    }

    @ParameterizedTest
    @EnumSource(Violation.class)
    void everyViolationNamesAnRfcSectionAndWhatItTolerates(Violation violation) {
        assertTrue(violation.reference().matches("RFC \\d+ §[\\d.]+"), violation.reference());
        assertFalse(violation.description().isBlank());
    }

    private static ParserConfig only(Violation violation) {
        return tolerating(Harness.STRICT, violation);
    }

    // ---- bare LF ----

    @Test
    void headerBlockLimitHoldsWithBareLfEndings() {
        // field lines with their LF: 8 + 21 + 21 = 50 bytes; a fourth of 14 makes 64, a fifth byte passes it
        ParserConfig lf = tolerating(SMALL, Violation.LF_LINE_ENDINGS);
        String block = "Host: a\nA: 12345678901234567\nB: 12345678901234567\n";
        assertParses(
                lf,
                "GET / HTTP/1.1\n" + block + "C: 1234567890\n\n",
                "request GET / HTTP/1.1",
                "header Host=[a]",
                "header A=[12345678901234567]",
                "header B=[12345678901234567]",
                "header C=[1234567890]",
                "headers 0",
                "complete");
        assertRejects(lf, "GET / HTTP/1.1\n" + block + "C: 12345678901\n\n", Rule.FIELD_SECTION_TOO_LARGE);
        assertRejects(lf, "GET / HTTP/1.1\n" + block + "C: 1234567890\nD", Rule.FIELD_SECTION_TOO_LARGE);
    }

    // ---- bare LF in chunk lines ----

    @Test
    void bareLfInChunkLinesNeedsItsOwnViolation() {
        ParserConfig lf = only(Violation.LF_LINE_ENDINGS);
        assertRejects(lf, CHUNKED + "5\nhello\r\n0\r\n\r\n", Rule.CHUNK_LINE_NOT_CRLF);
        assertRejects(lf, CHUNKED + "5;a\nhello\r\n0\r\n\r\n", Rule.CHUNK_LINE_NOT_CRLF);
        assertRejects(lf, CHUNKED + "5\r\nhello\n0\r\n\r\n", Rule.CHUNK_DATA_NOT_CRLF);
    }

    @Test
    void bareLfInChunkLinesLeavesTheTrailerSectionToLfLineEndings() {
        ParserConfig chunkLf = only(Violation.LF_CHUNK_LINE_ENDINGS);
        assertRejects(chunkLf, CHUNKED + "0\n\n", Rule.BARE_LF);
        assertParses(
                tolerating(chunkLf, Violation.LF_LINE_ENDINGS),
                CHUNKED + "1;x\n!\n0\nX: 1\n\n",
                chunked("content !", "trailer X=[1]", "complete"));
    }

    @Test
    void bareCrInChunkLinesStaysRejected() {
        ParserConfig chunkLf = only(Violation.LF_CHUNK_LINE_ENDINGS);
        assertRejects(chunkLf, CHUNKED + "5\rhello\r\n0\r\n\r\n", Rule.CHUNK_LINE_NOT_CRLF);
        assertRejects(chunkLf, CHUNKED + "5\r\nhello\rX0\r\n\r\n", Rule.CHUNK_DATA_NOT_CRLF);
        assertRejects(chunkLf, CHUNKED + "5\r\nhelloX\r\n0\r\n\r\n", Rule.CHUNK_DATA_NOT_CRLF);
    }

    // ---- obs-fold ----

    @Test
    void foldsAreJoinedWithOneSpaceWhateverTheWhitespaceAround() {
        assertParses(
                only(Violation.OBS_FOLD),
                GET + "X:\r\n\tone\r\n  two \r\n \r\nY:a\r\n\tb\r\n\r\n",
                "request GET / HTTP/1.1",
                "header Host=[a]",
                "header X=[one two]",
                "header Y=[a b]",
                "headers 0",
                "complete");
    }

    @Test
    void foldedFramingFieldsAreInterpretedJoined() {
        ParserConfig fold = only(Violation.OBS_FOLD);
        assertRejects(
                fold,
                POST + "Transfer-Encoding: gzip,\r\n chunked\r\n\r\n0\r\n\r\n",
                Rule.TRANSFER_CODING_NOT_IMPLEMENTED);
        assertParses(fold, POST + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n", chunked("complete"));
        assertRejects(fold, POST + "Content-Length: 5\r\n 6\r\n\r\nhello!", Rule.CONTENT_LENGTH_NOT_DIGITS);
        assertRejects(
                fold,
                POST + "Transfer-Encoding:\r\n chunked\r\nContent-Length: 1\r\n\r\n0\r\n\r\n",
                Rule.CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
    }

    @Test
    void foldingStillNeedsAFieldToContinue() {
        ParserConfig fold = only(Violation.OBS_FOLD);
        assertRejects(fold, "GET / HTTP/1.1\r\n Host: a\r\n\r\n", Rule.WHITESPACE_BEFORE_FIRST_FIELD);
        assertRejects(fold, CHUNKED + "0\r\n X: 1\r\n\r\n", Rule.OBS_FOLD);
    }

    @Test
    void foldedTrailersAreJoined() {
        assertParses(
                only(Violation.OBS_FOLD), CHUNKED + "0\r\nX: 1\r\n 2\r\n\r\n", chunked("trailer X=[1 2]", "complete"));
    }

    @Test
    void joinedLineCountsAgainstTheFieldLineLimitAndDroppedWhitespaceAgainstTheBlock() {
        ParserConfig fold = tolerating(SMALL, Violation.OBS_FOLD);
        // "X: " + 8 + " " + 8 = 20 bytes: at the limit; one more byte passes it
        assertParses(
                fold,
                GET + "X: vvvvvvvv\r\n vvvvvvvv\r\n\r\n",
                "request GET / HTTP/1.1",
                "header Host=[a]",
                "header X=[vvvvvvvv vvvvvvvv]",
                "headers 0",
                "complete");
        assertRejects(fold, GET + "X: vvvvvvvv\r\n vvvvvvvvv\r\n\r\n", Rule.FIELD_LINE_TOO_LONG);
        // Host 9 bytes, "X: v" + CRLF 6, the fold's SP and the spaces after it, "v" + CRLF 3: 64 bytes with 46 spaces
        assertParses(
                fold,
                GET + "X: v\r\n" + " ".repeat(46) + "v\r\n\r\n",
                "request GET / HTTP/1.1",
                "header Host=[a]",
                "header X=[v v]",
                "headers 0",
                "complete");
        assertRejects(fold, GET + "X: v\r\n" + " ".repeat(47) + "v\r\n\r\n", Rule.FIELD_SECTION_TOO_LARGE);
    }

    @Test
    void aFoldCutShortIsIncomplete() {
        assertRejects(only(Violation.OBS_FOLD), GET + "X: 1\r\n", Rule.INCOMPLETE_REQUEST);
        assertRejects(only(Violation.OBS_FOLD), GET + "X: 1\r\n ", Rule.INCOMPLETE_REQUEST);
    }

    // ---- whitespace before a colon ----

    @Test
    void whitespaceBeforeColonCannotHideAFramingField() {
        ParserConfig ws = only(Violation.WHITESPACE_BEFORE_COLON);
        assertRejects(
                ws,
                POST + "Transfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\nhello",
                Rule.CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
        assertRejects(
                ws, POST + "Content-Length : 5\r\nContent-Length: 6\r\n\r\nhello!", Rule.DIFFERING_CONTENT_LENGTHS);
        assertRejects(ws, "GET / HTTP/1.1\r\nHost : a\r\nHost: b\r\n\r\n", Rule.DUPLICATE_HOST);
    }

    @Test
    void onlyAColonMayFollowTheDroppedWhitespace() {
        ParserConfig ws = only(Violation.WHITESPACE_BEFORE_COLON);
        assertRejects(ws, GET + "X Y: b\r\n\r\n", Rule.FIELD_NAME_NOT_TOKEN);
        assertRejects(ws, GET + "X \r\n\r\n", Rule.FIELD_WITHOUT_COLON);
        assertRejects(ws, GET + "X \n\r\n", Rule.FIELD_WITHOUT_COLON);
        assertRejects(ws, GET + "X: a\r\n : b\r\n\r\n", Rule.OBS_FOLD);
    }

    @Test
    void droppedWhitespaceBeforeColonCountsAgainstTheBlock() {
        // Host 9 bytes, then "X" + spaces + ": b" + CRLF: 64 bytes with 49 spaces
        ParserConfig ws = tolerating(SMALL, Violation.WHITESPACE_BEFORE_COLON);
        assertParses(
                ws,
                GET + "X" + " ".repeat(49) + ": b\r\n\r\n",
                "request GET / HTTP/1.1",
                "header Host=[a]",
                "header X=[b]",
                "headers 0",
                "complete");
        assertRejects(ws, GET + "X" + " ".repeat(50) + ": b\r\n\r\n", Rule.FIELD_SECTION_TOO_LARGE);
    }

    // ---- repeated Content-Length ----

    @Test
    void differingContentLengthsStayRejectedWhenRepetitionIsTolerated() {
        for (ParserConfig config : new ParserConfig[] {Harness.STRICT, only(Violation.MULTIPLE_CONTENT_LENGTHS)}) {
            assertRejects(config, POST + "Content-Length: 0, 5\r\n\r\nhello", Rule.DIFFERING_CONTENT_LENGTHS);
            assertRejects(
                    config,
                    POST + "Content-Length: 0\r\nContent-Length: 5\r\n\r\nhello",
                    Rule.DIFFERING_CONTENT_LENGTHS);
            assertRejects(config, POST + "Content-Length: 5, 5, 6\r\n\r\nhello", Rule.DIFFERING_CONTENT_LENGTHS);
            assertRejects(config, POST + "Content-Length: 5, 5x\r\n\r\nhello", Rule.CONTENT_LENGTH_NOT_DIGITS);
        }
    }

    @Test
    void repeatedContentLengthWithTransferEncodingStaysRejected() {
        assertRejects(
                only(Violation.MULTIPLE_CONTENT_LENGTHS),
                POST + "Content-Length: 0, 0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                Rule.CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
    }

    // ---- every mode ----

    @Test
    void noModeToleratesAmbiguousFraming() {
        ParserConfig all = Harness.STRICT.withCompliance(Harness.ALL);
        assertRejects(
                all,
                POST + "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                Rule.CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
        assertRejects(all, POST + "Content-Length: 1, 2\r\n\r\nx", Rule.DIFFERING_CONTENT_LENGTHS);
        assertRejects(all, GET + "X: a\rb\r\n\r\n", Rule.BARE_CR);
        assertRejects(all, CHUNKED + "5\r\nhello\r0\r\n\r\n", Rule.CHUNK_DATA_NOT_CRLF);
        assertRejects(all, GET + "X: a\u000bb\r\n\r\n", Rule.FIELD_VALUE_CONTROL);
        assertRejects(
                all,
                "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                Rule.TRANSFER_ENCODING_IN_HTTP_1_0);
    }
}

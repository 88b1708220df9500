package dev.plinth.http.parser;

import static dev.plinth.http.parser.Harness.assertRejects;
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
 * Every {@link Rule} is reachable: one small input per rule (two where two places in the parser enforce it), each
 * rejected for exactly that rule in every split. A rule declared but never broken by any input fails
 * {@link #everyRuleHasAnInput()}.
 */
class RuleTest {
    private static final String HOST = "Host: a\r\n";
    private static final String GET = "GET / HTTP/1.1\r\n" + HOST;
    private static final String POST = "POST / HTTP/1.1\r\n" + HOST;
    private static final String CHUNKED = POST + "Transfer-Encoding: chunked\r\n\r\n";
    /** Request line 32, field section 64, field line 32, 3 fields, body 4. */
    private static final ParserConfig SMALL = new ParserConfig(32, 64, 32, 3, 4, Compliance.STRICT);

    private record Row(Rule rule, ParserConfig config, String input) {}

    private static Row row(Rule rule, String input) {
        return new Row(rule, Harness.STRICT, input);
    }

    private static Row row(Rule rule, ParserConfig config, String input) {
        return new Row(rule, config, input);
    }

    private static final Row[] ROWS = {
        row(Rule.BARE_CR, "GET / HTTP/1.1\rHost: a\r\n\r\n"),
        row(Rule.BARE_LF, "GET / HTTP/1.1\nHost: a\r\n\r\n"),
        row(Rule.TOO_MANY_EMPTY_LINES, "\r\n".repeat(9) + GET + "\r\n"),
        row(Rule.INCOMPLETE_REQUEST, "G"),
        row(Rule.REQUEST_LINE_TOO_LONG, SMALL, "GET /" + "a".repeat(32) + " HTTP/1.1\r\n" + HOST + "\r\n"),
        row(Rule.METHOD_NOT_TOKEN, "GE(T / HTTP/1.1\r\n" + HOST + "\r\n"),
        row(Rule.REQUEST_LINE_SP, "GET  / HTTP/1.1\r\n" + HOST + "\r\n"),
        row(Rule.MISSING_VERSION, "GET /\r\n" + HOST + "\r\n"),
        row(Rule.TARGET_NOT_VISIBLE, "GET /a\u0001b HTTP/1.1\r\n" + HOST + "\r\n"),
        row(Rule.TARGET_FORM, "GET index.html HTTP/1.1\r\n" + HOST + "\r\n"),
        row(Rule.CONNECT_TARGET, "CONNECT / HTTP/1.1\r\n" + HOST + "\r\n"),
        row(Rule.ASTERISK_TARGET, "GET * HTTP/1.1\r\n" + HOST + "\r\n"),
        row(Rule.ABSOLUTE_AUTHORITY, "GET http:///x HTTP/1.1\r\n" + HOST + "\r\n"),
        row(Rule.MALFORMED_VERSION, "GET / HTTP/1.x\r\n" + HOST + "\r\n"),
        row(Rule.VERSION_NOT_SUPPORTED, "GET / HTTP/2.0\r\n" + HOST + "\r\n"),
        row(Rule.WHITESPACE_BEFORE_FIRST_FIELD, "GET / HTTP/1.1\r\n " + HOST + "\r\n"),
        row(Rule.OBS_FOLD, GET + " b\r\n\r\n"),
        row(Rule.EMPTY_FIELD_NAME, GET + ": b\r\n\r\n"),
        row(Rule.FIELD_NAME_NOT_TOKEN, GET + "X@Y: b\r\n\r\n"),
        row(Rule.WHITESPACE_BEFORE_COLON, GET + "X : b\r\n\r\n"),
        row(Rule.FIELD_WITHOUT_COLON, GET + "X\r\n\r\n"),
        row(Rule.FIELD_VALUE_CONTROL, GET + "X: a\u0001b\r\n\r\n"),
        row(Rule.TOO_MANY_FIELDS, SMALL, GET + "A: 1\r\nB: 2\r\nC: 3\r\n\r\n"),
        row(Rule.FIELD_LINE_TOO_LONG, SMALL, GET + "X: " + "v".repeat(30) + "\r\n\r\n"),
        row(
                Rule.FIELD_SECTION_TOO_LARGE,
                SMALL,
                GET + "A: " + "x".repeat(25) + "\r\nB: " + "x".repeat(25) + "\r\n\r\n"),
        row(Rule.MISSING_HOST, "GET / HTTP/1.1\r\n\r\n"),
        row(Rule.DUPLICATE_HOST, GET + HOST + "\r\n"),
        row(Rule.INVALID_HOST, "GET / HTTP/1.1\r\nHost: a b\r\n\r\n"),
        row(Rule.CONTENT_LENGTH_NOT_DIGITS, POST + "Content-Length: x\r\n\r\n"),
        row(Rule.CONTENT_LENGTH_OVERFLOW, POST + "Content-Length: 99999999999999999999\r\n\r\n"),
        row(Rule.DIFFERING_CONTENT_LENGTHS, POST + "Content-Length: 1, 2\r\n\r\nx"),
        row(Rule.DIFFERING_CONTENT_LENGTHS, POST + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nx"),
        row(Rule.MULTIPLE_CONTENT_LENGTHS, POST + "Content-Length: 1, 1\r\n\r\nx"),
        row(Rule.MULTIPLE_CONTENT_LENGTHS, POST + "Content-Length: 1\r\nContent-Length: 1\r\n\r\nx"),
        row(Rule.CONTENT_LENGTH_TOO_LARGE, SMALL, POST + "Content-Length: 5\r\n\r\nhello"),
        row(
                Rule.CONTENT_LENGTH_WITH_TRANSFER_ENCODING,
                POST + "Content-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        row(Rule.TRANSFER_ENCODING_IN_HTTP_1_0, "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        row(Rule.TRANSFER_ENCODING_NOT_LIST, POST + "Transfer-Encoding: chunked x\r\n\r\n0\r\n\r\n"),
        row(Rule.CHUNKED_TWICE, POST + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"),
        row(Rule.CHUNKED_NOT_FINAL, POST + "Transfer-Encoding: gzip\r\n\r\n0\r\n\r\n"),
        row(Rule.CHUNKED_NOT_FINAL, POST + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"),
        row(Rule.CHUNKED_PARAMETERS, POST + "Transfer-Encoding: chunked;a=b\r\n\r\n0\r\n\r\n"),
        row(Rule.TRANSFER_CODING_NOT_IMPLEMENTED, POST + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
        row(Rule.CHUNK_SIZE_NOT_HEX, CHUNKED + "g\r\n"),
        row(Rule.CHUNK_SIZE_OVERFLOW, CHUNKED + "10000000000000000\r\n"),
        row(Rule.CHUNK_SIZE_WHITESPACE, CHUNKED + "5 \r\n"),
        row(Rule.CHUNK_EXTENSION_CONTROL, CHUNKED + "5;a\u0000\r\n"),
        row(Rule.CHUNK_LINE_TOO_LONG, CHUNKED + "5;" + "a".repeat(RequestParser.MAX_CHUNK_LINE_LENGTH) + "\r\n"),
        row(Rule.CHUNK_LINE_NOT_CRLF, CHUNKED + "5\rx"),
        row(Rule.CHUNK_LINE_NOT_CRLF, CHUNKED + "5;a\n"),
        row(Rule.CHUNK_DATA_NOT_CRLF, CHUNKED + "5\r\nhelloX"),
        row(Rule.CHUNKED_BODY_TOO_LARGE, SMALL, CHUNKED + "5\r\nhello\r\n0\r\n\r\n"),
    };

    static Stream<Arguments> rows() {
        return Stream.of(ROWS).map(row -> arguments(row.rule(), row.config(), row.input()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachInputBreaksItsRuleInEverySplit(Rule rule, ParserConfig config, String input) {
        assertRejects(config, input, rule);
    }

    @Test
    void everyRuleHasAnInput() {
        Set<Rule> missing = EnumSet.allOf(Rule.class);
        for (Row row : ROWS) {
            missing.remove(row.rule());
        }
        assertEquals(Set.of(), missing, "rules no input in this table breaks");
    }

    @ParameterizedTest
    @EnumSource(Rule.class)
    void everyRuleNamesAnRfcSectionAStatusAndAMessage(Rule rule) {
        assertTrue(rule.reference().matches("RFC \\d+ §[\\d.]+"), rule.reference());
        assertTrue(Set.of(400, 413, 414, 431, 501, 505).contains(rule.status()), () -> rule + " " + rule.status());
        assertFalse(rule.message().isBlank());
        HttpParseException e = new HttpParseException(rule);
        assertEquals(rule, e.rule());
        assertEquals(rule.status(), e.status());
        assertEquals(rule.reference() + ": " + rule.message(), e.reason());
        assertEquals(rule.status() + " " + e.reason(), e.getMessage());
        assertEquals(e.reason() + " (8 bytes)", new HttpParseException(rule, "8 bytes").reason());
    }
}

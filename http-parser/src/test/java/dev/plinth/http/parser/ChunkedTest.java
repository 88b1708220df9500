package dev.plinth.http.parser;

import static dev.plinth.http.parser.Harness.assertParses;
import static dev.plinth.http.parser.Harness.assertRejects;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 9112 §7.1: the chunked transfer coding. */
class ChunkedTest {
    private static final String HEAD = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final String[] HEAD_EVENTS = {
        "request POST / HTTP/1.1", "header Host=[a]", "header Transfer-Encoding=[chunked]", "headers -1"
    };

    private static String[] events(String... more) {
        String[] all = java.util.Arrays.copyOf(HEAD_EVENTS, HEAD_EVENTS.length + more.length);
        System.arraycopy(more, 0, all, HEAD_EVENTS.length, more.length);
        return all;
    }

    @Test
    void chunksAreJoined() {
        assertParses(HEAD + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", events("content hello world", "complete"));
    }

    @Test
    void emptyChunkedBody() {
        assertParses(HEAD + "0\r\n\r\n", events("complete"));
    }

    @Test
    void chunkSizeIsHexInAnyCaseWithLeadingZeros() {
        assertParses(
                HEAD + "000a\r\n0123456789\r\n0B\r\n0123456789a\r\n000\r\n\r\n",
                events("content 01234567890123456789a", "complete"));
    }

    @Test
    void chunkDataMayContainCrlf() {
        assertParses(HEAD + "4\r\n\r\n\r\n\r\n0\r\n\r\n", events("content \r\n\r\n", "complete"));
    }

    @Test
    void chunkExtensionsAreIgnored() {
        assertParses(
                HEAD + "5;name=value\r\nhello\r\n1;a;b=\"q; d\"\r\n!\r\n0;last\r\n\r\n",
                events("content hello!", "complete"));
    }

    @Test
    void whitespaceBeforeChunkExtensionIsAccepted() {
        assertParses(HEAD + "5 \t;ext\r\nhello\r\n0\r\n\r\n", events("content hello", "complete"));
    }

    @Test
    void chunkLineOverTheLimitIs400() {
        String extension = ";x=" + "v".repeat(RequestParser.MAX_CHUNK_LINE_LENGTH - 4);
        assertParses(HEAD + "5" + extension + "\r\nhello\r\n0\r\n\r\n", events("content hello", "complete"));
        assertRejects(HEAD + "5" + extension + "v\r\nhello\r\n0\r\n\r\n", Rule.CHUNK_LINE_TOO_LONG);
    }

    @Test
    void whitespaceBeforeAnExtensionCountsTowardTheChunkLineLimit() {
        String line = "5 \t ;" + "x".repeat(RequestParser.MAX_CHUNK_LINE_LENGTH - 5);
        assertParses(HEAD + line + "\r\nhello\r\n0\r\n\r\n", events("content hello", "complete"));
        assertRejects(HEAD + line + "x\r\nhello\r\n0\r\n\r\n", Rule.CHUNK_LINE_TOO_LONG);
        assertRejects(HEAD + "5" + " ".repeat(RequestParser.MAX_CHUNK_LINE_LENGTH), Rule.CHUNK_LINE_TOO_LONG);
    }

    @Test
    void controlCharacterInChunkExtensionIs400() {
        assertRejects(HEAD + "5;a\u0000\r\nhello\r\n0\r\n\r\n", Rule.CHUNK_EXTENSION_CONTROL);
    }

    @Test
    void chunkSizeOverflowIs400() {
        assertRejects(HEAD + "10000000000000000\r\n", Rule.CHUNK_SIZE_OVERFLOW);
        assertRejects(HEAD + "FFFFFFFFFFFFFFFF\r\n", Rule.CHUNK_SIZE_OVERFLOW);
        assertRejects(HEAD + "00000000000000001\r\nx\r\n0\r\n\r\n", Rule.CHUNK_SIZE_OVERFLOW);
    }

    @Test
    void largestChunkSizeIsCheckedAgainstTheBodyLimit() {
        assertRejects(HEAD + "7FFFFFFFFFFFFFFF\r\n", Rule.CHUNKED_BODY_TOO_LARGE);
    }

    @Test
    void negativeChunkSizeIs400() {
        assertRejects(HEAD + "-5\r\nhello\r\n0\r\n\r\n", Rule.CHUNK_SIZE_NOT_HEX);
    }

    @Test
    void chunkSizeWithHexPrefixIs400() {
        assertRejects(HEAD + "0x5\r\nhello\r\n0\r\n\r\n", Rule.CHUNK_SIZE_NOT_HEX);
    }

    static Stream<Arguments> malformedChunkSizeLines() {
        return Stream.of(
                arguments(" 5", Rule.CHUNK_SIZE_NOT_HEX),
                arguments("5 ", Rule.CHUNK_SIZE_WHITESPACE),
                arguments("+5", Rule.CHUNK_SIZE_NOT_HEX),
                arguments("", Rule.CHUNK_SIZE_NOT_HEX),
                arguments("5\t", Rule.CHUNK_SIZE_WHITESPACE),
                arguments("g", Rule.CHUNK_SIZE_NOT_HEX),
                arguments("5;a\n", Rule.CHUNK_LINE_NOT_CRLF));
    }

    @ParameterizedTest
    @MethodSource("malformedChunkSizeLines")
    void malformedChunkSizeLineIs400(String size, Rule rule) {
        assertRejects(HEAD + size + "\r\nhello\r\n0\r\n\r\n", rule);
    }

    @Test
    void missingCrlfAfterChunkDataIs400() {
        assertRejects(HEAD + "5\r\nhelloX\r\n0\r\n\r\n", Rule.CHUNK_DATA_NOT_CRLF);
        assertRejects(HEAD + "5\r\nhello\rX0\r\n\r\n", Rule.CHUNK_DATA_NOT_CRLF);
        assertRejects(HEAD + "5\r\nhello0\r\n\r\n", Rule.CHUNK_DATA_NOT_CRLF);
    }

    @Test
    void chunkLinesNeedCrlfEvenWhenBareLfIsTolerated() {
        assertRejects(Harness.LENIENT, HEAD + "5\nhello\r\n0\r\n\r\n", Rule.CHUNK_LINE_NOT_CRLF);
        assertRejects(Harness.LENIENT, HEAD + "5\r\nhello\n0\r\n\r\n", Rule.CHUNK_DATA_NOT_CRLF);
    }

    @Test
    void trailersAreReported() {
        assertParses(
                HEAD + "5\r\nhello\r\n0\r\nExpires: never \r\nX-Sum: 12\r\n\r\n",
                events("content hello", "trailer Expires=[never]", "trailer X-Sum=[12]", "complete"));
    }

    @Test
    void trailersMayEndWithBareLfWhenTolerated() {
        assertParses(
                Harness.LENIENT, HEAD + "1\r\n!\r\n0\r\nX: 1\n\n", events("content !", "trailer X=[1]", "complete"));
        assertRejects(HEAD + "1\r\n!\r\n0\r\nX: 1\n\n", Rule.BARE_LF);
    }

    @Test
    void malformedTrailerIs400() {
        assertRejects(HEAD + "0\r\nX : 1\r\n\r\n", Rule.WHITESPACE_BEFORE_COLON);
        assertRejects(HEAD + "0\r\nX: 1\r\n folded\r\n\r\n", Rule.OBS_FOLD);
        assertRejects(HEAD + "0\r\n x: 1\r\n\r\n", Rule.OBS_FOLD);
        assertRejects(HEAD + "0\r\nX: a\u0000\r\n\r\n", Rule.FIELD_VALUE_CONTROL);
    }

    @Test
    void trailersOverTheHeaderLimitsAre431() {
        // room for the two header fields: lines of at most 26 bytes, 40 bytes, 2 fields
        ParserConfig small = new ParserConfig(64, 40, 26, 2, 1000, Compliance.STRICT);
        assertParses(small, HEAD + "0\r\nA: 1\r\nB: 2\r\n\r\n", events("trailer A=[1]", "trailer B=[2]", "complete"));
        assertRejects(small, HEAD + "0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", Rule.TOO_MANY_FIELDS);
        assertRejects(small, HEAD + "0\r\nA: " + "x".repeat(24) + "\r\n\r\n", Rule.FIELD_LINE_TOO_LONG);
        assertRejects(
                small,
                HEAD + "0\r\nA: " + "x".repeat(17) + "\r\nB: " + "x".repeat(17) + "\r\n\r\n",
                Rule.FIELD_SECTION_TOO_LARGE);
    }

    @Test
    void chunkedBodyOverTheBodyLimitIs413() {
        ParserConfig small = ParserConfig.DEFAULT.withMaxBodyLength(10);
        assertParses(small, HEAD + "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", events("content helloworld", "complete"));
        assertRejects(small, HEAD + "5\r\nhello\r\n6\r\nworld!\r\n0\r\n\r\n", Rule.CHUNKED_BODY_TOO_LARGE);
    }

    @Test
    void chunkedBodyCutShortIs400AtEndOfInput() {
        assertRejects(HEAD + "5\r\nhel", Rule.INCOMPLETE_REQUEST);
        assertRejects(HEAD + "5\r\nhello\r\n0\r\n", Rule.INCOMPLETE_REQUEST);
    }
}

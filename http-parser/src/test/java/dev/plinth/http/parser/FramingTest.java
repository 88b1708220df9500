package dev.plinth.http.parser;

import static dev.plinth.http.parser.Harness.assertParses;
import static dev.plinth.http.parser.Harness.assertRejects;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9112 §3.2 (Host) and §6 (Content-Length, Transfer-Encoding). */
class FramingTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n";
    private static final String POST = "POST / HTTP/1.1\r\nHost: a\r\n";

    @Test
    void http11WithoutHostIs400() {
        assertRejects("GET / HTTP/1.1\r\nX: a\r\n\r\n", Rule.MISSING_HOST);
    }

    @Test
    void http10WithoutHostIsAccepted() {
        assertParses(
                "GET / HTTP/1.0\r\nX: a\r\n\r\n", "request GET / HTTP/1.0", "header X=[a]", "headers 0", "complete");
    }

    @Test
    void twoHostFieldsAre400() {
        assertRejects("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", Rule.DUPLICATE_HOST);
        assertRejects("GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n", Rule.DUPLICATE_HOST);
    }

    @Test
    void emptyHostIsAccepted() {
        assertParses(
                "GET / HTTP/1.1\r\nHost: \r\n\r\n",
                "request GET / HTTP/1.1",
                "header Host=[]",
                "headers 0",
                "complete");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "example.com",
                "example.com:8080",
                "EXAMPLE.com:",
                "127.0.0.1:80",
                "[::1]",
                "[::1]:8080",
                "[2001:db8:0:0:0:0:2:1]",
                "[::ffff:192.0.2.1]:1",
                "[v1.fe80::a+en1]",
                "ex%41mple.com",
                "a-b_c~d!$&'()*+,;=",
                "[::]",
                "[1::]",
                "[1:2:3:4:5:6:7::]",
                "[1:2:3::4:5:6:7]",
                "[1:2:3:4:5:6:1.2.3.4]",
                "[1:2:3:4:5::1.2.3.4]",
                "[::255.255.255.255]",
                "[::0.10.100.200]",
                "[v10.x]",
                "[V1f.a:b]",
                "a%00b",
                "%41%42",
                "[::1]:"
            })
    void validHostIsAccepted(String host) {
        assertParses(
                "GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n",
                "request GET / HTTP/1.1",
                "header Host=[" + host + "]",
                "headers 0",
                "complete");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a b",
                "a@b",
                "a/b",
                ":80",
                "a:8x",
                "a:80:80",
                "[::1",
                "[::1]x",
                "[1::2::3]",
                "[12345::]",
                "[1:2:3:4:5:6:7:8:9]",
                "[::256.1.1.1]",
                "[]",
                "ex%4mple",
                "ex%zz",
                "a\u00e9",
                "[:1]",
                "[1:]",
                "[:]",
                "[1:2:3:4:5:6:7]",
                "[1:2:3:4:5:6::1.2.3.4]",
                "[1:2:3:4:5:1.2.3.4]",
                "[::1.2.3]",
                "[::1.2.3.4.5]",
                "[::01.2.3.4]",
                "[::1.2.3.1234]",
                "[v.a]",
                "[v1.]",
                "[v1]",
                "[vg.a]",
                "[v1.a/b]",
                "a%4"
            })
    void invalidHostIs400(String host) {
        assertRejects("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n", Rule.INVALID_HOST);
    }

    @Test
    void noContentLengthNorTransferEncodingMeansNoBody() {
        assertParses(POST + "\r\n", "request POST / HTTP/1.1", "header Host=[a]", "headers 0", "complete");
    }

    @Test
    void contentLengthBodyIsReported() {
        assertParses(
                POST + "Content-Length: 11\r\n\r\nhello world",
                "request POST / HTTP/1.1",
                "header Host=[a]",
                "header Content-Length=[11]",
                "headers 11",
                "content hello world",
                "complete");
    }

    @Test
    void contentLengthZero() {
        assertParses(
                POST + "content-length: 0\r\n\r\n",
                "request POST / HTTP/1.1",
                "header Host=[a]",
                "header content-length=[0]",
                "headers 0",
                "complete");
    }

    @Test
    void contentLengthThenTransferEncodingIs400() {
        assertRejects(
                POST + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                Rule.CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
    }

    @Test
    void transferEncodingThenContentLengthIs400() {
        assertRejects(
                POST + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
                Rule.CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
    }

    @Test
    void zeroContentLengthWithTransferEncodingIs400() {
        assertRejects(
                POST + "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                Rule.CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
        assertRejects(
                POST + "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n0\r\n\r\n",
                Rule.CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
    }

    @Test
    void repeatedIdenticalContentLengthIs400WhenStrict() {
        assertRejects(POST + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", Rule.MULTIPLE_CONTENT_LENGTHS);
        assertRejects(POST + "Content-Length: 5, 5,5\r\n\r\nhello", Rule.MULTIPLE_CONTENT_LENGTHS);
        assertRejects(POST + "Content-Length: 0, 0\r\n\r\n", Rule.MULTIPLE_CONTENT_LENGTHS);
        assertRejects(POST + "Content-Length: 0\r\nContent-Length: 0\r\n\r\n", Rule.MULTIPLE_CONTENT_LENGTHS);
    }

    @Test
    void duplicateDifferingContentLengthIs400() {
        assertRejects(POST + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", Rule.DIFFERING_CONTENT_LENGTHS);
        assertRejects(POST + "Content-Length: 5, 6\r\n\r\nhello!", Rule.DIFFERING_CONTENT_LENGTHS);
        assertRejects(POST + "Content-Length: 0, 5\r\n\r\nhello", Rule.DIFFERING_CONTENT_LENGTHS);
        assertRejects(POST + "Content-Length: 0\r\nContent-Length: 5\r\n\r\nhello", Rule.DIFFERING_CONTENT_LENGTHS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+5", "-5", "0x5", "5 5", "", "5,", ",5", "5,,5", "5a", "\u00b9"})
    void malformedContentLengthIs400(String value) {
        assertRejects(POST + "Content-Length: " + value + "\r\n\r\nhello", Rule.CONTENT_LENGTH_NOT_DIGITS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999", "9223372036854775808"})
    void contentLengthOverflowIs400(String value) {
        assertRejects(POST + "Content-Length: " + value + "\r\n\r\nhello", Rule.CONTENT_LENGTH_OVERFLOW);
    }

    @Test
    void contentLengthOverTheBodyLimitIs413() {
        ParserConfig small = ParserConfig.DEFAULT.withMaxBodyLength(5);
        assertParses(
                small,
                POST + "Content-Length: 5\r\n\r\nhello",
                "request POST / HTTP/1.1",
                "header Host=[a]",
                "header Content-Length=[5]",
                "headers 5",
                "content hello",
                "complete");
        assertRejects(small, POST + "Content-Length: 6\r\n\r\nhello!", Rule.CONTENT_LENGTH_TOO_LARGE);
        assertRejects(POST + "Content-Length: 9223372036854775807\r\n\r\n", Rule.CONTENT_LENGTH_TOO_LARGE);
    }

    @Test
    void transferEncodingInHttp10Is400() {
        assertRejects(
                "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", Rule.TRANSFER_ENCODING_IN_HTTP_1_0);
    }

    @Test
    void chunkedInAnyCaseIsAccepted() {
        assertParses(
                POST + "Transfer-Encoding: ChUnKeD\r\n\r\n0\r\n\r\n",
                "request POST / HTTP/1.1",
                "header Host=[a]",
                "header Transfer-Encoding=[ChUnKeD]",
                "headers -1",
                "complete");
    }

    @Test
    void chunkedWithTrailingWhitespaceIsAccepted() {
        assertParses(
                POST + "Transfer-Encoding: chunked \t\r\n\r\n0\r\n\r\n",
                "request POST / HTTP/1.1",
                "header Host=[a]",
                "header Transfer-Encoding=[chunked]",
                "headers -1",
                "complete");
    }

    @Test
    void emptyListElementsAreIgnored() {
        assertParses(
                POST + "Transfer-Encoding: , chunked,\r\n\r\n0\r\n\r\n",
                "request POST / HTTP/1.1",
                "header Host=[a]",
                "header Transfer-Encoding=[, chunked,]",
                "headers -1",
                "complete");
    }

    @Test
    void chunkedThenIdentityIs400() {
        assertRejects(POST + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", Rule.CHUNKED_NOT_FINAL);
    }

    @Test
    void chunkedTwiceIs400() {
        assertRejects(POST + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", Rule.CHUNKED_TWICE);
        assertRejects(
                POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", Rule.CHUNKED_TWICE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"xchunked", "chunkedx", "identity", "gzip", ""})
    void finalCodingNotChunkedIs400(String value) {
        assertRejects(POST + "Transfer-Encoding: " + value + "\r\n\r\n0\r\n\r\n", Rule.CHUNKED_NOT_FINAL);
    }

    @Test
    void chunkedWithParametersIs400() {
        assertRejects(POST + "Transfer-Encoding: chunked;a=b\r\n\r\n0\r\n\r\n", Rule.CHUNKED_PARAMETERS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunked x", "\"chunked\""})
    void transferEncodingNotAListIs400(String value) {
        assertRejects(POST + "Transfer-Encoding: " + value + "\r\n\r\n0\r\n\r\n", Rule.TRANSFER_ENCODING_NOT_LIST);
    }

    @Test
    void unknownCodingBeforeChunkedIs501() {
        assertRejects(POST + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", Rule.TRANSFER_CODING_NOT_IMPLEMENTED);
        assertRejects(
                POST + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                Rule.TRANSFER_CODING_NOT_IMPLEMENTED);
        assertRejects(
                POST + "Transfer-Encoding: foo;q=1, chunked\r\n\r\n0\r\n\r\n", Rule.TRANSFER_CODING_NOT_IMPLEMENTED);
    }

    @Test
    void transferEncodingWithVerticalTabIs400() {
        assertRejects(POST + "Transfer-Encoding: chunked\u000b\r\n\r\n0\r\n\r\n", Rule.FIELD_VALUE_CONTROL);
        assertRejects(POST + "Transfer-Encoding:\u000bchunked\r\n\r\n0\r\n\r\n", Rule.FIELD_VALUE_CONTROL);
    }

    @Test
    void foldedTransferEncodingIs400() {
        assertRejects(POST + "Transfer-Encoding: gzip,\r\n chunked\r\n\r\n0\r\n\r\n", Rule.OBS_FOLD);
    }

    @Test
    void transferEncodingNameWithSpaceBeforeColonIs400() {
        assertRejects(
                POST + "Transfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\nhello", Rule.WHITESPACE_BEFORE_COLON);
    }

    @Test
    void getWithBodyIsFramedTheSameWay() {
        assertParses(
                GET + "Content-Length: 2\r\n\r\nhi",
                "request GET / HTTP/1.1",
                "header Host=[a]",
                "header Content-Length=[2]",
                "headers 2",
                "content hi",
                "complete");
    }
}

package dev.plinth.http.parser;

import static dev.plinth.http.parser.Harness.assertParses;
import static dev.plinth.http.parser.Harness.assertRejects;
import static dev.plinth.http.parser.Harness.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9112 §2.2, §2.3, §3: the request line. */
class RequestLineTest {
    private static final ParserConfig SHORT_LINES = new ParserConfig(32, 1024, 64, 10, 1000, Compliance.STRICT);

    @Test
    void simpleGet() {
        assertParses(
                "GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n",
                "request GET /index.html?q=1 HTTP/1.1",
                "header Host=[example.com]",
                "headers 0",
                "complete");
    }

    @Test
    void methodIsCaseSensitiveAndAnyTokenIsPassedOn() {
        assertParses(
                "get / HTTP/1.1\r\nHost: a\r\n\r\n",
                "request get / HTTP/1.1",
                "header Host=[a]",
                "headers 0",
                "complete");
        assertParses(
                "X-PURGE! / HTTP/1.1\r\nHost: a\r\n\r\n",
                "request X-PURGE! / HTTP/1.1",
                "header Host=[a]",
                "headers 0",
                "complete");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"})
    void commonMethodsAreSharedStrings(String method) throws HttpParseException {
        Recorder recorder = new Recorder(false);
        new RequestParser(ParserConfig.DEFAULT, recorder).parse(ByteBuffer.wrap(bytes(method + " / HTTP/1.1\r\n")));
        // the literal is the interned String the parser's table holds
        assertSame(method.intern(), recorder.method);
        new RequestParser(ParserConfig.DEFAULT, recorder).parse(ByteBuffer.wrap(bytes("PURGE / HTTP/1.1\r\n")));
        assertEquals("PURGE", recorder.method);
    }

    @Test
    void methodThatIsNotATokenIs400() {
        assertRejects("GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", Rule.METHOD_NOT_TOKEN);
        assertRejects("G\u00c9T / HTTP/1.1\r\nHost: a\r\n\r\n", Rule.METHOD_NOT_TOKEN);
    }

    @Test
    void emptyMethodIs400() {
        assertRejects(" / HTTP/1.1\r\nHost: a\r\n\r\n", Rule.METHOD_NOT_TOKEN);
    }

    @Test
    void absoluteFormWithHttpOrHttpsInAnyCase() {
        assertParses(
                "GET HTTP://Example.com:8080/x?y HTTP/1.1\r\nHost: a\r\n\r\n",
                "request GET HTTP://Example.com:8080/x?y HTTP/1.1",
                "header Host=[a]",
                "headers 0",
                "complete");
        assertParses(
                "GET hTTps://[::1] HTTP/1.1\r\nHost: a\r\n\r\n",
                "request GET hTTps://[::1] HTTP/1.1",
                "header Host=[a]",
                "headers 0",
                "complete");
    }

    static Stream<Arguments> otherTargetForms() {
        return Stream.of(
                arguments("ftp://a/", Rule.TARGET_FORM),
                arguments("http:///x", Rule.ABSOLUTE_AUTHORITY),
                arguments("http://", Rule.ABSOLUTE_AUTHORITY),
                arguments("HTTPS://", Rule.ABSOLUTE_AUTHORITY),
                arguments("http://u@a/", Rule.ABSOLUTE_AUTHORITY),
                arguments("http://a b/", Rule.REQUEST_LINE_SP),
                arguments("https:/a/", Rule.TARGET_FORM),
                arguments("index.html", Rule.TARGET_FORM),
                arguments("example.com:80", Rule.TARGET_FORM));
    }

    @ParameterizedTest
    @MethodSource("otherTargetForms")
    void otherTargetFormsAre400(String target, Rule rule) {
        assertRejects("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n", rule);
    }

    @Test
    void authorityFormForConnect() {
        assertParses(
                "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
                "request CONNECT example.com:443 HTTP/1.1",
                "header Host=[example.com:443]",
                "headers 0",
                "complete");
        assertParses(
                "CONNECT [2001:db8::1]:443 HTTP/1.1\r\nHost: a\r\n\r\n",
                "request CONNECT [2001:db8::1]:443 HTTP/1.1",
                "header Host=[a]",
                "headers 0",
                "complete");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "example.com", "example.com:", "http://example.com:443", "*"})
    void connectWithoutAuthorityFormIs400(String target) {
        assertRejects("CONNECT " + target + " HTTP/1.1\r\nHost: a\r\n\r\n", Rule.CONNECT_TARGET);
    }

    @Test
    void asteriskFormForOptionsOnly() {
        assertParses(
                "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
                "request OPTIONS * HTTP/1.1",
                "header Host=[a]",
                "headers 0",
                "complete");
        assertRejects("GET * HTTP/1.1\r\nHost: a\r\n\r\n", Rule.ASTERISK_TARGET);
        assertRejects("OPTIONS *x HTTP/1.1\r\nHost: a\r\n\r\n", Rule.TARGET_FORM);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\u0001", "\t", "\u000b", "\u007f", "\u0080", "\u00ff"})
    void targetByteThatIsNotVisibleAsciiIs400(String bad) {
        assertRejects("GET /a" + bad + "b HTTP/1.1\r\nHost: a\r\n\r\n", Rule.TARGET_NOT_VISIBLE);
    }

    @Test
    void spaceInsideTargetIs400() {
        assertRejects("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", Rule.REQUEST_LINE_SP);
    }

    @Test
    void moreThanOneSpaceBetweenPartsIs400() {
        assertRejects("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", Rule.REQUEST_LINE_SP);
        assertRejects("GET /  HTTP/1.1\r\nHost: a\r\n\r\n", Rule.REQUEST_LINE_SP);
    }

    @Test
    void http10() {
        assertParses("GET / HTTP/1.0\r\n\r\n", "request GET / HTTP/1.0", "headers 0", "complete");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1", "HTTP/1.2", "HTTP/1.9"})
    void http1MinorVersionsAboveZeroAreHttp11(String version) {
        assertParses(
                "GET / " + version + "\r\nHost: a\r\n\r\n",
                "request GET / HTTP/1.1",
                "header Host=[a]",
                "headers 0",
                "complete");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/3.0", "HTTP/0.9"})
    void otherMajorVersionsAre505(String version) {
        assertRejects("GET / " + version + "\r\nHost: a\r\n\r\n", Rule.VERSION_NOT_SUPPORTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "HTTP/1.x", "HTTP/01.1", "HTTP/1", "HTTP/1.10", "HTTP/11", "HTTPS/1.1", ""})
    void malformedVersionIs400(String version) {
        assertRejects("GET / " + version + "\r\nHost: a\r\n\r\n", Rule.MALFORMED_VERSION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1 ", "HTTP 1.1"})
    void spaceInVersionIs400(String version) {
        assertRejects("GET / " + version + "\r\nHost: a\r\n\r\n", Rule.REQUEST_LINE_SP);
    }

    @Test
    void missingVersionIs400() {
        assertRejects("GET /\r\nHost: a\r\n\r\n", Rule.MISSING_VERSION);
        assertRejects("GET\r\nHost: a\r\n\r\n", Rule.METHOD_NOT_TOKEN);
    }

    // ---- RFC 9112 §2.2: empty lines before the request line ----

    private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    private static final String[] GET_EVENTS = {"request GET / HTTP/1.1", "header Host=[a]", "headers 0", "complete"};

    @Test
    void oneEmptyLineBeforeRequestLineIsIgnored() {
        assertParses("\r\n" + GET, GET_EVENTS);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 7, 8})
    void upToEightEmptyLinesBeforeRequestLineAreIgnored(int lines) {
        assertParses("\r\n".repeat(lines) + GET, GET_EVENTS);
    }

    @Test
    void ninthEmptyLineIs400OnItsFirstByte() {
        String input = "\r\n".repeat(9) + GET;
        assertRejects(input, Rule.TOO_MANY_EMPTY_LINES);
        Feeder.Result byByte = Feeder.feed(Harness.STRICT, bytes(input), new int[] {1}, false, Feeder.Buffers.HEAP);
        assertEquals(16, byByte.errorReadStart(), "the CR beginning the ninth empty line");
        assertEquals(Rule.TOO_MANY_EMPTY_LINES, byByte.error().rule());
        assertEquals(
                "RFC 9112 §2.2: too many empty lines before the request line (more than 8)",
                byByte.error().reason());
    }

    @Test
    void emptyLinesEndedByBareLfOnlyWhereTolerated() {
        assertRejects("\n" + GET, Rule.BARE_LF);
        assertRejects("\r\n\n" + GET, Rule.BARE_LF);
        assertParses(Harness.LENIENT, "\n\r\n".repeat(4) + GET, GET_EVENTS);
        String nine = "\n".repeat(8) + "\r\n" + GET;
        assertRejects(Harness.LENIENT, nine, Rule.TOO_MANY_EMPTY_LINES);
        Feeder.Result byByte = Feeder.feed(Harness.LENIENT, bytes(nine), new int[] {1}, false, Feeder.Buffers.HEAP);
        assertEquals(8, byByte.errorReadStart(), "the CR beginning the ninth empty line");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r", "\r\r\n", "\r\n\r", "\r\n\r\r\n"})
    void loneCrBeforeRequestLineIs400(String before) {
        assertRejects(before + GET, Rule.BARE_CR);
        assertRejects(Harness.LENIENT, before + GET, Rule.BARE_CR);
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "\t", "\u000b", "\f", "\u0000", "\r\n ", "\r\n\t"})
    void otherWhitespaceBeforeRequestLineIs400(String before) {
        assertRejects(before + GET, Rule.METHOD_NOT_TOKEN);
        assertRejects(Harness.LENIENT, before + GET, Rule.METHOD_NOT_TOKEN);
    }

    @Test
    void requestLineAtTheLimitIsAccepted() {
        String line = "GET /" + "a".repeat(32 - 14) + " HTTP/1.1";
        assertParses(
                SHORT_LINES,
                line + "\r\nHost: a\r\n\r\n",
                "request GET /aaaaaaaaaaaaaaaaaa HTTP/1.1",
                "header Host=[a]",
                "headers 0",
                "complete");
    }

    @Test
    void requestLineOverTheLimitIs414() {
        assertRejects(
                SHORT_LINES,
                "GET /" + "a".repeat(32 - 13) + " HTTP/1.1\r\nHost: a\r\n\r\n",
                Rule.REQUEST_LINE_TOO_LONG);
    }

    @Test
    void requestLineOverTheLimitIs414BeforeItsEnd() {
        assertRejects(SHORT_LINES, "GET /" + "a".repeat(28), Rule.REQUEST_LINE_TOO_LONG);
    }
}

package dev.plinth.multipart;

import static dev.plinth.multipart.Parse.data;
import static dev.plinth.multipart.Parse.error;
import static dev.plinth.multipart.Parse.head;
import static dev.plinth.multipart.Parse.lines;
import static dev.plinth.multipart.Parse.named;
import static dev.plinth.multipart.Parse.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The framing of RFC 2046 §5.1.1, the part header syntax, the limits and the parser's life, by example. */
class MultipartParserTest {
    private static final String D = "--" + Parse.BOUNDARY;
    private static final String CLOSE = "\r\n" + D + "--\r\n";

    // ---- framing ----

    @Test
    void rfc7578ExampleWithTwoParts() {
        String body = D + "\r\n" + head("field1") + "Joe Blow\r\n" + D + "\r\n"
                + "Content-Disposition: form-data; name=\"pics\"; filename=\"file1.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n...contents of file1.txt...\r\n" + D + "--\r\n";
        assertEquals(
                lines(
                        named("field1"),
                        data("Joe Blow"),
                        "end",
                        "part Content-Disposition: \"form-data; name=\\\"pics\\\"; filename=\\\"file1.txt\\\"\""
                                + " | Content-Type: \"text/plain\" -> name=\"pics\" filename=\"file1.txt\""
                                + " type=\"text/plain\"",
                        data("...contents of file1.txt..."),
                        "end",
                        "complete"),
                parse(body));
    }

    @Test
    void preambleAndEpilogueAreIgnored() {
        String body = "This is the preamble.\r\n" + D + "\r\n" + head("a") + "x" + CLOSE + "This is the epilogue.\r\n";
        assertEquals(lines(named("a"), data("x"), "end", "complete"), parse(body));
    }

    @Test
    void aBoundaryInThePreambleWithoutCrlfIsNotADelimiter() {
        String body = "see " + D + " below\r\n" + D + "\r\n" + head("a") + "x" + CLOSE;
        assertEquals(lines(named("a"), data("x"), "end", "complete"), parse(body));
    }

    @Test
    void theFirstDelimiterMayFollowACrlfAtTheStart() {
        assertEquals(
                lines(named("a"), data("x"), "end", "complete"), parse("\r\n" + D + "\r\n" + head("a") + "x" + CLOSE));
    }

    @Test
    void transportPaddingMayFollowDelimiters() {
        String body = D + " \t \r\n" + head("a") + "x\r\n" + D + "\t\r\n" + head("b") + "y\r\n" + D + "-- \t\r\nz";
        assertEquals(lines(named("a"), data("x"), "end", named("b"), data("y"), "end", "complete"), parse(body));
    }

    @Test
    void theCloseDelimiterMayEndTheBodyWithoutCrlf() {
        assertEquals(
                lines(named("a"), data("x"), "end", "complete"), parse(D + "\r\n" + head("a") + "x\r\n" + D + "--"));
        assertEquals(
                lines(named("a"), data("x"), "end", "complete"), parse(D + "\r\n" + head("a") + "x\r\n" + D + "--  "));
    }

    @Test
    void emptyPartBodiesAreLegal() {
        String body = D + "\r\n" + head("a") + "\r\n" + D + "\r\n" + head("b") + CLOSE;
        assertEquals(lines(named("a"), "end", named("b"), "end", "complete"), parse(body));
    }

    @Test
    void aBodyOfOnlyTheCloseDelimiterHasNoPart() {
        assertEquals("complete", parse(D + "--\r\n"));
        assertEquals("complete", parse("preamble\r\n" + D + "--"));
    }

    @Test
    void crlfAndDelimiterLookAlikesInDataAreData() {
        String[] lookAlikes = {
            "line 1\r\nline 2\r\n",
            "\r\n--AaB03",
            "\r\n--AaB03y",
            "\r\n--aab03x",
            "\r\n-\r\n--\r\r\n--A",
            "--AaB03x without a CRLF before it",
            "x--AaB03x--",
            "\r",
            "\n--AaB03x",
            "\r--AaB03x",
            "\r\n\r\n",
            "ends with CR\r",
            "ends with CRLF-\r\n-",
        };
        for (String s : lookAlikes) {
            assertEquals(lines(named("a"), data(s), "end", "complete"), parse(D + "\r\n" + head("a") + s + CLOSE), s);
        }
    }

    @Test
    void bytesHeldBackAcrossInputsAreHandedOnFromTheParsersCopy() throws MultipartException {
        List<ByteBuffer> slices = new ArrayList<>();
        Recorder recorder = new Recorder() {
            @Override
            public void data(ByteBuffer slice) {
                slices.add(slice.duplicate());
                super.data(slice);
            }
        };
        MultipartParser parser = new MultipartParser(Parse.B, MultipartLimits.DEFAULT, recorder);
        parser.feed(ByteBuffer.wrap(Text.bytes(D + "\r\n" + head("a") + "ab\r\n--AaB0")));
        assertEquals(8, parser.held(), "CRLF -- and four bytes of the boundary held back");
        parser.feed(ByteBuffer.wrap(Text.bytes("3y\r\n--AaB03x--")));
        parser.end();
        assertEquals(lines(named("a"), data("ab\r\n--AaB03y"), "end", "complete"), recorder.transcript());
        assertEquals(3, slices.size());
        assertEquals("\r\n--AaB0", Text.latin1(bytes(slices.get(1))));
        assertTrue(slices.stream().allMatch(ByteBuffer::isReadOnly));
    }

    @Test
    void dataIsAViewOfTheInputNotACopy() throws MultipartException {
        byte[] input = Text.bytes(D + "\r\n" + head("a") + "abc" + CLOSE);
        List<ByteBuffer> slices = new ArrayList<>();
        MultipartParser parser = new MultipartParser(Parse.B, MultipartLimits.DEFAULT, new Recorder() {
            @Override
            public void data(ByteBuffer slice) {
                slices.add(slice);
            }
        });
        ByteBuffer buffer = ByteBuffer.wrap(input);
        parser.feed(buffer);
        assertEquals(input.length, buffer.position(), "all consumed");
        int at = Text.latin1(input).indexOf("abc");
        input[at] = 'X';
        assertEquals("Xbc", Text.latin1(bytes(slices.get(0))));
    }

    // ---- delimiter lines ----

    @Test
    void aDelimiterMustBeFollowedByCrlfOrDashes() {
        String first = D + "\r\n" + head("a") + "x";
        int after = first.length() + D.length() + 2;
        assertEquals(
                lines(named("a"), data("x"), "end", error(400, after, "delimiter followed by 'y' instead of CRLF")),
                parse(first + "\r\n" + D + "y\r\n"));
        assertEquals(
                lines(named("a"), data("x"), "end", error(400, after + 1, "delimiter followed by 'z' instead of CRLF")),
                parse(first + "\r\n" + D + " z\r\n"));
        assertEquals(
                lines(
                        named("a"),
                        data("x"),
                        "end",
                        error(400, after + 1, "delimiter followed by '-' and 'x' instead of CRLF")),
                parse(first + "\r\n" + D + "-x"));
        assertEquals(
                lines(named("a"), data("x"), "end", error(400, after, "bare LF after a delimiter")),
                parse(first + "\r\n" + D + "\n"));
        assertEquals(
                lines(named("a"), data("x"), "end", error(400, after + 1, "bare CR after a delimiter")),
                parse(first + "\r\n" + D + "\rx"));
        assertEquals(error(400, D.length() + 1, "bare LF after a delimiter"), parse(D + " \n"));
    }

    @Test
    void theCloseDelimiterMustBeFollowedByCrlfOrTheEnd() {
        assertEquals(
                error(400, D.length() + 3, "close delimiter followed by 'x' instead of CRLF"), parse(D + "-- x\r\n"));
        assertEquals(error(400, D.length() + 2, "bare LF after a close delimiter"), parse(D + "--\n"));
        assertEquals(error(400, D.length() + 3, "bare CR after the close delimiter"), parse(D + "--\rx"));
        assertEquals(error(400, D.length() + 3, "body ended before the close delimiter"), parse(D + "--\r"));
        assertEquals(error(400, D.length() + 1, "body ended before the close delimiter"), parse(D + "-"));
    }

    @Test
    void theBodyMustEndWithTheCloseDelimiter() {
        String message = "body ended before the close delimiter";
        assertEquals(error(400, 0, message), parse(""));
        assertEquals(error(400, 8, message), parse("preamble"));
        assertEquals(error(400, D.length() + 2, message), parse(D + "\r\n"));
        assertEquals(error(400, D.length() + 9, message), parse(D + "\r\nContent"));
        String part = D + "\r\n" + head("a") + "data";
        assertEquals(lines(named("a"), data("data"), error(400, part.length(), message)), parse(part));
        assertEquals(
                lines(named("a"), data("data"), "end", error(400, part.length() + 12, message)),
                parse(part + "\r\n" + D + "\r\n"));
        assertEquals(
                lines(named("a"), data("data"), error(400, part.length() + 7, message)),
                parse(part + "\r\n--AaB"),
                "a delimiter's beginning held back at the end is not data");
    }

    // ---- part headers ----

    private static String headers(String block) {
        return D + "\r\n" + block;
    }

    /** Where a header block starts in {@link #headers}. */
    private static final int H = D.length() + 2;

    @Test
    void headerFieldsAreReportedInOrderTrimmed() {
        String body = headers("content-type:  image/png \t\r\nX-Empty:\r\n"
                + "CONTENT-DISPOSITION:form-data;name=\"f\";filename=\"a.png\"\r\n\r\nPNG" + CLOSE);
        assertEquals(
                lines(
                        "part content-type: \"image/png\" | X-Empty: \"\" | CONTENT-DISPOSITION:"
                                + " \"form-data;name=\\\"f\\\";filename=\\\"a.png\\\"\" -> name=\"f\""
                                + " filename=\"a.png\" type=\"image/png\"",
                        data("PNG"),
                        "end",
                        "complete"),
                parse(body));
    }

    @Test
    void headerValuesMayHoldObsText() {
        String body =
                headers("Content-Disposition: form-data; name=\"\u00c3\u00a9\"\r\nX-Note: caf\u00e9\r\n\r\n" + CLOSE);
        assertEquals(
                lines(
                        "part Content-Disposition: \"form-data; name=\\\"\\u00c3\\u00a9\\\"\" | X-Note: \"caf\\u00e9\""
                                + " -> name=\"\\u00e9\" type=\"text/plain\"",
                        "end",
                        "complete"),
                parse(body));
    }

    @Test
    void bareLineEndsInHeadersAreRejected() {
        assertEquals(error(400, H + 40, "bare LF in part headers"), parse(headers(cd("a") + "\n\r\n")));
        assertEquals(error(400, H, "bare LF in part headers"), parse(headers("\n")));
        assertEquals(error(400, H + 42, "bare LF in part headers"), parse(headers(cd("a") + "\r\n\n")));
        assertEquals(error(400, H + 41, "bare CR in part headers"), parse(headers(cd("a") + "\rX: 1\r\n\r\n")));
        assertEquals(error(400, H + 43, "bare CR in part headers"), parse(headers(cd("a") + "\r\n\rX")));
    }

    @Test
    void obsFoldAndLeadingWhitespaceAreRejected() {
        assertEquals(
                error(400, H + 24, "obs-fold in part headers"),
                parse(headers("Content-Disposition: a\r\n name=\"a\"\r\n\r\n")));
        assertEquals(
                error(400, H + 24, "obs-fold in part headers"),
                parse(headers("Content-Disposition: a\r\n\tname=\"a\"\r\n\r\n")));
        assertEquals(
                error(400, H, "whitespace before the first part header"), parse(headers(" " + cd("a") + "\r\n\r\n")));
    }

    @Test
    void fieldNamesAreTokensDirectlyBeforeTheColon() {
        assertEquals(
                error(400, H + 19, "whitespace in a part header name"), parse(headers("Content-Disposition : x\r\n")));
        assertEquals(error(400, H + 7, "whitespace in a part header name"), parse(headers("Content Type: x\r\n")));
        assertEquals(error(400, H + 11, "part header line without colon"), parse(headers("Disposition\r\n\r\n")));
        assertEquals(error(400, H, "empty part header name"), parse(headers(": x\r\n\r\n")));
        assertEquals(
                error(400, H + 7, "invalid character '(' in part header name"), parse(headers("Content(x): y\r\n")));
        assertEquals(error(400, H, "invalid character 0xe9 in part header name"), parse(headers("\u00e9: y\r\n")));
        assertEquals(error(400, H, "invalid character 0x00 in part header name"), parse(headers("\0: y\r\n")));
    }

    @Test
    void controlCharactersInValuesAreRejected() {
        assertEquals(error(400, H + 3, "control character 0x00 in part header value"), parse(headers("X: \0\r\n\r\n")));
        assertEquals(
                error(400, H + 4, "control character 0x0b in part header value"), parse(headers("X: a\u000bb\r\n")));
        assertEquals(
                error(400, H + 4, "control character 0x7f in part header value"), parse(headers("X: a\u007fb\r\n")));
        assertEquals(error(400, H + 5, "bare CR in part headers"), parse(headers("X: a\rb\r\n")));
        assertEquals(
                lines(
                        "part X: \"a\\u0009b\" | "
                                + cd("a").replace("Content-Disposition: ", "Content-Disposition: \"")
                                        .replace("\"a\"", "\\\"a\\\"")
                                + "\" -> name=\"a\" type=\"text/plain\"",
                        "end",
                        "complete"),
                parse(headers("X: a\tb\r\n" + cd("a") + "\r\n\r\n" + CLOSE)),
                "HTAB is allowed");
    }

    // ---- limits ----

    @Test
    void theHeaderBlockLimitCountsEveryByteUpToTheEmptyLine() {
        String line = cd("a") + "\r\n"; // 42 bytes
        MultipartLimits limits = new MultipartLimits(line.length() + 2, 32, 1000);
        assertEquals(lines(named("a"), "end", "complete"), parse(limits, headers(line + "\r\n" + CLOSE)));
        MultipartLimits smaller = new MultipartLimits(line.length() + 1, 32, 1000);
        assertEquals(
                error(413, H + line.length() + 1, "part header block larger than 43 bytes"),
                parse(smaller, headers(line + "\r\n" + CLOSE)));
        assertEquals(
                error(413, H + 8192, "part header block larger than 8192 bytes"),
                parse(headers("X: " + "x".repeat(10000) + "\r\n")));
    }

    @Test
    void theFieldLimitIsPassedOnTheFirstByteOfTheFieldTooMany() {
        MultipartLimits limits = new MultipartLimits(8192, 3, 1000);
        String three = cd("a") + "\r\nX: 1\r\nY: 2\r\n";
        assertEquals(
                lines(named("a").replace(" -> ", " | X: \"1\" | Y: \"2\" -> "), "end", "complete"),
                parse(limits, headers(three + "\r\n" + CLOSE)));
        assertEquals(
                error(413, H + three.length(), "more than 3 header fields in a part"),
                parse(limits, headers(three + "Z: 3\r\n\r\n" + CLOSE)));
    }

    @Test
    void thePartLimitIsPassedOnTheLfEndingTheDelimiterLineOfThePartTooMany() {
        MultipartLimits limits = new MultipartLimits(8192, 32, 2);
        String two = D + "\r\n" + head("a") + "\r\n" + D + "\r\n" + head("b");
        assertEquals(lines(named("a"), "end", named("b"), "end", "complete"), parse(limits, two + CLOSE));
        assertEquals(
                lines(
                        named("a"),
                        "end",
                        named("b"),
                        "end",
                        error(413, two.length() + D.length() + 3, "more than 2 parts")),
                parse(limits, two + "\r\n" + D + "\r\n" + head("c") + CLOSE));
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new MultipartLimits(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new MultipartLimits(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new MultipartLimits(1, 1, 0));
        assertEquals(new MultipartLimits(8192, 32, 1000), MultipartLimits.DEFAULT);
    }

    // ---- the parser's life ----

    @Test
    void afterAnErrorTheParserTakesNoMoreInput() {
        MultipartParser parser = new MultipartParser(Parse.B, MultipartLimits.DEFAULT, new Recorder());
        MultipartException e =
                assertThrows(MultipartException.class, () -> parser.feed(ByteBuffer.wrap(Text.bytes(D + "x"))));
        assertEquals("delimiter followed by 'x' instead of CRLF", e.getMessage());
        assertEquals(400, e.status());
        assertEquals(D.length(), e.offset());
        assertThrows(IllegalStateException.class, () -> parser.feed(ByteBuffer.allocate(0)));
        assertThrows(IllegalStateException.class, parser::end);
    }

    @Test
    void afterTheEndTheParserTakesNoMoreInput() throws MultipartException {
        MultipartParser parser = new MultipartParser(Parse.B, MultipartLimits.DEFAULT, new Recorder());
        parser.feed(ByteBuffer.wrap(Text.bytes(D + "--")));
        parser.feed(ByteBuffer.allocate(0));
        parser.end();
        assertThrows(IllegalStateException.class, () -> parser.feed(ByteBuffer.allocate(0)));
        assertThrows(IllegalStateException.class, parser::end);
    }

    @Test
    void theEpilogueIsIgnoredWhateverItHolds() throws MultipartException {
        Recorder recorder = new Recorder();
        MultipartParser parser = new MultipartParser(Parse.B, MultipartLimits.DEFAULT, recorder);
        parser.feed(ByteBuffer.wrap(Text.bytes(D + "--\r\n")));
        assertEquals("complete", recorder.transcript(), "complete before the end");
        parser.feed(ByteBuffer.wrap(Text.bytes("\0\r\n" + D + "\r\n" + head("x"))));
        parser.end();
        assertEquals("complete", recorder.transcript());
    }

    @Test
    void anExceptionFromTheListenerEndsTheParser() {
        MultipartParser parser = new MultipartParser(Parse.B, MultipartLimits.DEFAULT, new Recorder() {
            @Override
            public void part(PartHead head) {
                throw new IllegalArgumentException("listener failed");
            }
        });
        ByteBuffer input = ByteBuffer.wrap(Text.bytes(D + "\r\n" + head("a") + "x"));
        assertEquals(
                "listener failed",
                assertThrows(IllegalArgumentException.class, () -> parser.feed(input))
                        .getMessage());
        assertThrows(IllegalStateException.class, () -> parser.feed(ByteBuffer.allocate(0)));
    }

    @Test
    void theListenerCannotFeedItsOwnParser() {
        List<MultipartParser> self = new ArrayList<>();
        MultipartParser parser = new MultipartParser(Parse.B, MultipartLimits.DEFAULT, new Recorder() {
            @Override
            public void part(PartHead head) {
                try {
                    self.get(0).feed(ByteBuffer.allocate(1));
                } catch (MultipartException e) {
                    throw new AssertionError(e);
                }
            }
        });
        self.add(parser);
        ByteBuffer input = ByteBuffer.wrap(Text.bytes(D + "\r\n" + head("a") + "x"));
        assertEquals(
                "multipart parser called from its own listener",
                assertThrows(IllegalStateException.class, () -> parser.feed(input))
                        .getMessage());
        assertThrows(IllegalStateException.class, parser::end);
    }

    @Test
    void aCompleteBodyHoldsNothingBack() throws MultipartException {
        MultipartParser parser = new MultipartParser(Parse.B, MultipartLimits.DEFAULT, new Recorder());
        assertEquals(2, parser.held(), "the CRLF that may precede the first delimiter is assumed");
        parser.feed(ByteBuffer.wrap(Text.bytes(D + "\r\nContent-Disposition: ")));
        assertEquals(21, parser.held(), "the header bytes so far");
        parser.feed(ByteBuffer.wrap(Text.bytes("form-data; name=a\r\n\r\nabc")));
        assertEquals(0, parser.held());
        parser.feed(ByteBuffer.wrap(Text.bytes("\r\n-")));
        assertEquals(3, parser.held());
        parser.feed(ByteBuffer.wrap(Text.bytes("-AaB03x--")));
        assertEquals(0, parser.held());
    }

    static String cd(String name) {
        return "Content-Disposition: form-data; name=\"" + name + "\"";
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}

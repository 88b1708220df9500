package dev.plinth.multipart;

import static dev.plinth.multipart.Parse.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@link PartHead} makes of a part's fields: RFC 7578 §4.2 Content-Disposition, §4.4 Content-Type. */
class PartHeadTest {
    private static final String D = "--" + Parse.BOUNDARY + "\r\n";

    /** @return the head of the one part whose header block is {@code block} (without the empty line) */
    private static PartHead head(String block) {
        List<PartHead> heads = new ArrayList<>();
        MultipartParser parser = new MultipartParser(Parse.B, MultipartLimits.DEFAULT, new Recorder() {
            @Override
            public void part(PartHead head) {
                heads.add(head);
            }
        });
        try {
            parser.feed(ByteBuffer.wrap(Text.bytes(D + block + "\r\n\r\n")));
        } catch (MultipartException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        return heads.get(0);
    }

    /** Asserts that a header block is rejected with {@code message}, at the LF of its empty line. */
    private static void rejected(String message, String block) {
        String body = D + block + "\r\n\r\n";
        assertEquals(error(400, body.length() - 1, message), Parse.parse(body), block);
    }

    /** @return the UTF-8 bytes of {@code s} as one char per byte, as they are on the wire */
    private static String wire(String s) {
        return Text.latin1(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void nameAndFilenameAsQuotedStringsOrTokens() {
        PartHead head = head("Content-Disposition: form-data; name=\"field 1\"; filename=\"a b.txt\"");
        assertEquals("field 1", head.name());
        assertEquals(Optional.of("a b.txt"), head.filename());
        PartHead tokens = head("Content-Disposition: form-data; name=field1; filename=a.txt");
        assertEquals("field1", tokens.name());
        assertEquals(Optional.of("a.txt"), tokens.filename());
        assertEquals(
                Optional.empty(), head("Content-Disposition: form-data; name=x").filename());
    }

    @Test
    void typeAndParameterNamesAreCaseInsensitiveAndUnknownParametersIgnored() {
        PartHead head = head("content-disposition: Form-Data; NAME=\"n\"; FileName=\"f\"; size=3; x=\"y\"");
        assertEquals("n", head.name());
        assertEquals(Optional.of("f"), head.filename());
    }

    @Test
    void quotedPairsAreUndone() {
        PartHead head =
                head("Content-Disposition: form-data; name=\"a\\\"b\"; filename=\"C:\\\\dir\\\\x \\\"y\\\".txt\"");
        assertEquals("a\"b", head.name());
        assertEquals(Optional.of("C:\\dir\\x \"y\".txt"), head.filename());
        assertEquals(
                Optional.of("C:dirx.txt"),
                head("Content-Disposition: form-data; name=a; filename=\"C:\\dir\\x.txt\"")
                        .filename(),
                "an unescaped Windows path loses its backslashes, as quoted-string says");
    }

    @Test
    void namesAndFilenamesAreDecodedAsUtf8AndNotPercentDecoded() {
        PartHead head = head(wire("Content-Disposition: form-data; name=\"prénom\"; filename=\"résumé €.pdf\""));
        assertEquals("prénom", head.name());
        assertEquals(Optional.of("résumé €.pdf"), head.filename());
        assertEquals(
                Optional.of("%22quoted%22 %0D%0A.txt"),
                head("Content-Disposition: form-data; name=a; filename=\"%22quoted%22 %0D%0A.txt\"")
                        .filename());
        rejected(
                "malformed UTF-8 in Content-Disposition filename",
                "Content-Disposition: form-data; name=a; filename=\"r\u00e9sum\u00e9.pdf\"");
        rejected("malformed UTF-8 in Content-Disposition name", "Content-Disposition: form-data; name=\"\u00ff\"");
    }

    @Test
    void filenamesAreRawUntrustedValues() {
        assertEquals(
                Optional.of("../../etc/passwd"),
                head("Content-Disposition: form-data; name=a; filename=\"../../etc/passwd\"")
                        .filename());
        assertEquals(
                Optional.of(""),
                head("Content-Disposition: form-data; name=a; filename=\"\"").filename());
        assertEquals("", head("Content-Disposition: form-data; name=\"\"").name());
        assertEquals(
                Optional.of("a\tb"),
                head("Content-Disposition: form-data; name=a; filename=\"a\tb\"")
                        .filename());
    }

    @Test
    void contentTypeDefaultsToTextPlain() {
        assertEquals(
                "text/plain", head("Content-Disposition: form-data; name=a").contentType());
        assertEquals(
                "image/png; x=1",
                head("Content-Disposition: form-data; name=a\r\nContent-type:  image/png; x=1 ")
                        .contentType());
    }

    @Test
    void fieldsAreKeptInOrderAndFoundWithoutRegardToCase() {
        PartHead head =
                head("X-A: 1\r\nContent-Disposition: form-data; name=a\r\nx-a: 2\r\nContent-Transfer-Encoding: 8bit");
        assertEquals(
                List.of(
                        new PartHead.Field("X-A", "1"),
                        new PartHead.Field("Content-Disposition", "form-data; name=a"),
                        new PartHead.Field("x-a", "2"),
                        new PartHead.Field("Content-Transfer-Encoding", "8bit")),
                head.fields());
        assertEquals(Optional.of("1"), head.field("x-A"));
        assertEquals(Optional.empty(), head.field("X-B"));
        assertEquals("name=\"a\" text/plain", head.toString());
    }

    @Test
    void contentDispositionIsRequiredOnceAsFormDataWithAName() {
        rejected("part without Content-Disposition", "Content-Type: text/plain");
        rejected(
                "more than one Content-Disposition in a part",
                "Content-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b");
        rejected(
                "more than one Content-Type in a part",
                "Content-Disposition: form-data; name=a\r\nContent-Type: a/b\r\ncontent-type: a/b");
        rejected("Content-Disposition is not form-data: attachment", "Content-Disposition: attachment; name=a");
        rejected("Content-Disposition without name", "Content-Disposition: form-data; filename=\"a.txt\"");
        rejected(
                "malformed Content-Disposition: more than one name parameter",
                "Content-Disposition: form-data; name=a; name=b");
        rejected(
                "malformed Content-Disposition: more than one filename parameter",
                "Content-Disposition: form-data; name=a; filename=a; FILENAME=b");
    }

    @Test
    void filenameStarIsRejected() {
        rejected(
                "filename* in Content-Disposition (RFC 7578 §4.2: senders must not use it)",
                "Content-Disposition: form-data; name=a; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf");
        rejected(
                "filename* in Content-Disposition (RFC 7578 §4.2: senders must not use it)",
                "Content-Disposition: form-data; name=a; filename=\"a.pdf\"; FILENAME*=UTF-8''a.pdf");
    }

    @Test
    void malformedContentDispositionsAreRejected() {
        rejected("malformed Content-Disposition: expected type", "Content-Disposition:");
        rejected("malformed Content-Disposition: expected type", "Content-Disposition: ; name=a");
        rejected(
                "malformed Content-Disposition: expected ';' before a parameter",
                "Content-Disposition: form-data name=a");
        rejected(
                "malformed Content-Disposition: expected '=' after parameter name",
                "Content-Disposition: form-data; name =a");
        rejected(
                "malformed Content-Disposition: expected value of parameter name",
                "Content-Disposition: form-data; name= a");
        rejected(
                "malformed Content-Disposition: unterminated quoted-string",
                "Content-Disposition: form-data; name=\"a");
        rejected(
                "malformed Content-Disposition: expected ';' before a parameter",
                "Content-Disposition: form-data; name=\"a\"b");
        rejected(
                "malformed Content-Disposition: expected ';' before a parameter",
                "Content-Disposition: form-data; name=a; filename=a/b");
    }
}

package dev.plinth.multipart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Realistic bodies give the same events however they are split: whole, in two pieces split at every position, byte
 * by byte in every kind of buffer, and in reads of a few sizes. The whole reading is also checked against
 * {@link Reference}, and the first body against its events written out.
 */
class SplitInvarianceTest {

    /** As {@code curl -F person=anonymous -F secret=@file.txt} sends it. */
    static final String CURL_BOUNDARY = "------------------------d74496d66958873e";

    static final byte[] CURL = Text.bytes("--" + CURL_BOUNDARY + "\r\n"
            + "Content-Disposition: form-data; name=\"person\"\r\n\r\n"
            + "anonymous\r\n"
            + "--" + CURL_BOUNDARY + "\r\n"
            + "Content-Disposition: form-data; name=\"secret\"; filename=\"file.txt\"\r\n"
            + "Content-Type: text/plain\r\n\r\n"
            + "contents of the file\n\r\n"
            + "--" + CURL_BOUNDARY + "--\r\n");

    /**
     * As Chrome sends a form with a text field, a UTF-8 textarea with line breaks, a JPEG-like file and a file input
     * left empty.
     */
    static final String CHROME_BOUNDARY = "----WebKitFormBoundaryePkpFF7tjBAqx29L";

    static final byte[] CHROME = concat(
            "------WebKitFormBoundaryePkpFF7tjBAqx29L\r\n"
                    + "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
                    + "Holiday\r\n"
                    + "------WebKitFormBoundaryePkpFF7tjBAqx29L\r\n"
                    + "Content-Disposition: form-data; name=\"notes\"\r\n\r\n",
            "Première ligne\r\n--deuxième ligne\r\n\r\n€ 10".getBytes(StandardCharsets.UTF_8),
            "\r\n------WebKitFormBoundaryePkpFF7tjBAqx29L\r\n"
                    + "Content-Disposition: form-data; name=\"photo\"; filename=\"",
            "Été 1.jpg".getBytes(StandardCharsets.UTF_8),
            "\"\r\nContent-Type: image/jpeg\r\n\r\n",
            jpegLike(),
            "\r\n------WebKitFormBoundaryePkpFF7tjBAqx29L\r\n"
                    + "Content-Disposition: form-data; name=\"attachment\"; filename=\"\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n"
                    + "\r\n------WebKitFormBoundaryePkpFF7tjBAqx29L--\r\n");

    /** As Firefox sends one small file. */
    static final String FIREFOX_BOUNDARY = "---------------------------3128473546204378871488473946";

    static final byte[] FIREFOX = Text.bytes("-----------------------------3128473546204378871488473946\r\n"
            + "Content-Disposition: form-data; name=\"upload\"; filename=\"a%22b.txt\"\r\n"
            + "Content-Type: text/plain\r\n\r\n"
            + "hello\r\n"
            + "-----------------------------3128473546204378871488473946--\r\n");

    /** Binary data full of near-misses of the delimiter, every byte value, and a part split by a near-miss. */
    static final String BINARY_BOUNDARY = "xYz";

    static final byte[] BINARY = concat(
            "preamble with --xYz inside\r\n--xY\r\n--xYz \t\r\n"
                    + "Content-Disposition: form-data; name=\"bin\"; filename=\"b.bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n",
            allBytes(),
            "\r\n--xY\r\n--x\r\r\n--\r\n-\r\n--XYZ\r\n--xYZ--xYz\r\r\r\n\n\n--xYz-\r\n--xYZz",
            allBytes(),
            "\r\n--xYz\r\nContent-Disposition: form-data; name=\"tail\"\r\n\r\n\r\n--xY",
            "\r\n--xYz--  \r\nepilogue\r\n--xYz\r\n");

    /** Empty parts, a part of only CRLF, padding, a preamble and an epilogue. */
    static final String EMPTY_BOUNDARY = "b";

    static final byte[] EMPTY = Text.bytes("\r\n--b\r\n"
            + "Content-Disposition: form-data; name=\"\"\r\n\r\n"
            + "\r\n--b \r\n"
            + "Content-Disposition: form-data; name=e; filename=\"\"\r\n\r\n"
            + "\r\n--b\r\n"
            + "Content-Disposition: form-data; name=crlf\r\n\r\n"
            + "\r\n\r\n--b--\t");

    /** A body rejected in its second part: the error and the events before it are split-invariant too. */
    static final byte[] BROKEN = Text.bytes("--b\r\n"
            + "Content-Disposition: form-data; name=a\r\n\r\n"
            + "data\r\n--b\r\n"
            + "Content-Disposition: form-data; name=b\r\nX: 1\n\r\n"
            + "more\r\n--b--\r\n");

    @Test
    void curl() {
        String expected = Parse.lines(
                "part Content-Disposition: \"form-data; name=\\\"person\\\"\" -> name=\"person\" type=\"text/plain\"",
                Parse.data("anonymous"),
                "end",
                "part Content-Disposition: \"form-data; name=\\\"secret\\\"; filename=\\\"file.txt\\\"\""
                        + " | Content-Type: \"text/plain\""
                        + " -> name=\"secret\" filename=\"file.txt\" type=\"text/plain\"",
                Parse.data("contents of the file\n"),
                "end",
                "complete");
        assertEquals(expected, splitInvariant(CURL_BOUNDARY, CURL, true));
    }

    @Test
    void chrome() {
        String transcript = splitInvariant(CHROME_BOUNDARY, CHROME, true);
        assertEquals(4, transcript.lines().filter(l -> l.startsWith("part ")).count());
        assertEquals(true, transcript.contains("filename=\"\\u00c9t\\u00e9 1.jpg\" type=\"image/jpeg\""));
    }

    @Test
    void firefox() {
        assertEquals(true, splitInvariant(FIREFOX_BOUNDARY, FIREFOX, true).contains("filename=\"a%22b.txt\""));
    }

    @Test
    void binaryWithNearMisses() {
        String transcript = splitInvariant(BINARY_BOUNDARY, BINARY, true);
        assertEquals(2, transcript.lines().filter(l -> l.startsWith("part ")).count());
        assertEquals(true, transcript.contains(Parse.data("\r\n--xY")), "the second part's data");
    }

    @Test
    void emptyParts() {
        String transcript = splitInvariant(EMPTY_BOUNDARY, EMPTY, true);
        assertEquals(
                "end, end, data, end, complete",
                String.join(
                        ", ",
                        transcript
                                .lines()
                                .filter(l -> !l.startsWith("part "))
                                .map(l -> l.split(" ")[0])
                                .toArray(String[]::new)));
    }

    @Test
    void broken() {
        String transcript = splitInvariant("b", BROKEN, false);
        assertEquals(true, transcript.endsWith("error 400 @102 bare LF in part headers"), transcript);
    }

    /**
     * @param valid whether the body is valid (so {@link Reference} gives its events) or not
     * @return the transcript of the whole body, after checking that every split gives the same
     */
    private static String splitInvariant(String boundaryValue, byte[] body, boolean valid) {
        Boundary boundary = Parse.boundary(boundaryValue);
        MultipartLimits limits = MultipartLimits.DEFAULT;
        Feeder.Result whole = Feeder.whole(boundary, limits, body);
        String reference = Reference.parse(body, boundaryValue, limits);
        if (valid) {
            assertNull(whole.error(), whole::transcript);
            assertEquals(reference, whole.transcript());
        } else {
            assertNotNull(whole.error());
            assertNull(reference);
        }
        for (int split = 1; split < body.length; split++) {
            int at = split;
            assertEquals(
                    whole.transcript(),
                    Feeder.feed(boundary, limits, body, new int[] {split, body.length}, Feeder.Buffers.HEAP)
                            .transcript(),
                    () -> "split at " + at);
        }
        for (Feeder.Buffers buffers : Feeder.Buffers.values()) {
            for (int[] reads :
                    new int[][] {{1}, {2}, {3, 1, 7}, {boundary.value().length() + 3}, {64, 5}}) {
                assertEquals(
                        whole.transcript(),
                        Feeder.feed(boundary, limits, body, reads, buffers).transcript(),
                        () -> buffers + " " + IntStream.of(reads).boxed().toList());
            }
        }
        return whole.transcript();
    }

    private static byte[] concat(Object... pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object piece : pieces) {
            out.writeBytes(piece instanceof String ? Text.bytes((String) piece) : (byte[]) piece);
        }
        return out.toByteArray();
    }

    private static byte[] allBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    /** A JPEG's start and end markers around bytes that hold CR, LF and dashes. */
    private static byte[] jpegLike() {
        byte[] b = new byte[300];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 37 + (i >> 3));
        }
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        b[100] = '\r';
        b[101] = '\n';
        b[102] = '-';
        b[103] = '-';
        b[b.length - 2] = (byte) 0xFF;
        b[b.length - 1] = (byte) 0xD9;
        return b;
    }
}

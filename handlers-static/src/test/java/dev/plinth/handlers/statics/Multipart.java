package dev.plinth.handlers.statics;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses a {@code multipart/byteranges} body back into its parts (RFC 9110 §14.6, RFC 2046 §5.1). */
final class Multipart {

    /**
     * One part.
     *
     * @param contentType its Content-Type
     * @param first the first byte offset from its Content-Range
     * @param last the last one
     * @param complete the complete length
     * @param bytes its content
     */
    record Part(String contentType, long first, long last, long complete, byte[] bytes) {}

    private static final Pattern BOUNDARY =
            Pattern.compile("multipart/byteranges; boundary=([0-9A-Za-z'()+_,./:=?-]{1,70})");
    private static final Pattern RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

    private Multipart() {}

    /**
     * @param reply a 206 response with a multipart body
     * @return its parts, in order; fails if the body is not exactly parts and a close delimiter
     */
    static List<Part> parse(Wire.Reply reply) {
        Matcher type = BOUNDARY.matcher(reply.header("Content-Type"));
        assertTrue(type.matches(), reply.header("Content-Type"));
        assertEquals(String.valueOf(reply.body().length), reply.header("Content-Length"), "framed by length");
        byte[] delimiter = ("--" + type.group(1)).getBytes(ISO_8859_1);
        byte[] body = reply.body();
        List<Part> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        assertTrue(at >= 0 && new String(body, 0, at, ISO_8859_1).isBlank(), "only a blank preamble");
        while (true) {
            int afterDelimiter = at + delimiter.length;
            if (body[afterDelimiter] == '-' && body[afterDelimiter + 1] == '-') {
                assertEquals(
                        "--\r\n",
                        new String(body, afterDelimiter, body.length - afterDelimiter, ISO_8859_1),
                        "nothing after the close delimiter");
                return parts;
            }
            int headEnd = indexOf(body, "\r\n\r\n".getBytes(ISO_8859_1), afterDelimiter);
            String head = new String(body, afterDelimiter, headEnd - afterDelimiter, ISO_8859_1);
            int next = indexOf(body, ("\r\n--" + type.group(1)).getBytes(ISO_8859_1), headEnd + 4);
            String contentType = null;
            Matcher range = null;
            for (String line : head.strip().split("\r\n")) {
                String[] field = line.split(":", 2);
                if (field[0].equalsIgnoreCase("Content-Type")) {
                    contentType = field[1].strip();
                } else if (field[0].equalsIgnoreCase("Content-Range")) {
                    range = RANGE.matcher(field[1].strip());
                    assertTrue(range.matches(), line);
                }
            }
            assertTrue(range != null, "every part has a Content-Range: " + head);
            parts.add(new Part(
                    contentType,
                    Long.parseLong(range.group(1)),
                    Long.parseLong(range.group(2)),
                    Long.parseLong(range.group(3)),
                    Arrays.copyOfRange(body, headEnd + 4, next)));
            at = next + 2;
        }
    }

    /**
     * Checks that every part is exactly the slice of {@code file} its Content-Range names.
     *
     * @param parts the parts
     * @param file the whole representation
     * @param contentType the expected Content-Type of each part
     * @param ranges the expected ranges, as {first, last} pairs, in order
     */
    static void assertSlices(List<Part> parts, byte[] file, String contentType, long[]... ranges) {
        assertEquals(ranges.length, parts.size(), "number of parts");
        for (int i = 0; i < ranges.length; i++) {
            Part part = parts.get(i);
            assertEquals(contentType, part.contentType());
            assertEquals(ranges[i][0], part.first(), "first of part " + i);
            assertEquals(ranges[i][1], part.last(), "last of part " + i);
            assertEquals(file.length, part.complete());
            assertArrayEquals(
                    Arrays.copyOfRange(file, (int) part.first(), (int) part.last() + 1),
                    part.bytes(),
                    "bytes of part " + i);
        }
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found: " + new String(pattern, ISO_8859_1));
    }
}

package dev.plinth.multipart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Short forms for the example tests: a body in, its transcript out, checked alike whole and byte by byte. */
final class Parse {
    /** The boundary of RFC 7578's examples. */
    static final String BOUNDARY = "AaB03x";

    static final Boundary B = boundary(BOUNDARY);

    private Parse() {}

    static Boundary boundary(String value) {
        try {
            return Boundary.of(value);
        } catch (MultipartException e) {
            throw new AssertionError(e);
        }
    }

    /** @return the transcript of {@code body} with the default limits */
    static String parse(String body) {
        return parse(MultipartLimits.DEFAULT, body);
    }

    /**
     * @return the transcript of {@code body}, the same whole, byte by byte in every kind of buffer, and as
     *     {@link Reference} parses it
     */
    static String parse(MultipartLimits limits, String body) {
        byte[] bytes = Text.bytes(body);
        Feeder.Result result = Feeder.whole(B, limits, bytes);
        String whole = result.transcript();
        String reference = Reference.parse(bytes, BOUNDARY, limits);
        if (reference == null) {
            assertNotNull(result.error(), "accepted what Reference rejects");
        } else {
            assertEquals(reference, whole, "not as Reference parses it");
        }
        for (Feeder.Buffers buffers : Feeder.Buffers.values()) {
            assertEquals(
                    whole, Feeder.feed(B, limits, bytes, new int[] {1}, buffers).transcript(), buffers::name);
        }
        return whole;
    }

    /** @return the lines, as a transcript */
    static String lines(String... lines) {
        return String.join("\n", lines);
    }

    /** @return the wire form of a part's head with only {@code Content-Disposition: form-data; name="NAME"} */
    static String head(String name) {
        return "Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n";
    }

    /** @return the transcript line of {@link #head} */
    static String named(String name) {
        return "part Content-Disposition: " + Text.escape("form-data; name=\"" + name + "\"") + " -> name="
                + Text.escape(name) + " type=\"text/plain\"";
    }

    /** @return the transcript line of the data {@code s} */
    static String data(String s) {
        return "data " + Text.escape(s);
    }

    /** @return the transcript line of an error */
    static String error(int status, long offset, String message) {
        return "error " + status + " @" + offset + " " + message;
    }
}

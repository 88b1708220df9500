package dev.plinth.multipart;

import java.nio.charset.StandardCharsets;

/** Text helpers for tests: bodies written as strings of one char per byte, and escapes for reading them. */
final class Text {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Text() {}

    /** @return the bytes of {@code s}, one per char (ISO-8859-1) */
    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** @return the chars of {@code b}, one per byte */
    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** @return {@code s} in quotes with Java-like escapes for controls and chars above 0x7E */
    static String escape(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '\r') {
                b.append("\\r");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7E) {
                // by hand: String.format per char made the split tests slow
                b.append("\\u")
                        .append(HEX[c >> 12 & 15])
                        .append(HEX[c >> 8 & 15])
                        .append(HEX[c >> 4 & 15])
                        .append(HEX[c & 15]);
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}

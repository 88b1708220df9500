package dev.plinth.multipart;

/** How a byte or char is named in messages: printable ASCII in quotes, anything else in hex. */
final class Bytes {
    private Bytes() {}

    /** @return {@code 'x'} for printable ASCII, else {@code 0x0a} (or {@code U+20ac} above 0xFF) */
    static String describe(int c) {
        if (c > 0x20 && c < 0x7F) {
            return "'" + (char) c + "'";
        }
        return c <= 0xFF ? String.format("0x%02x", c) : String.format("U+%04x", c);
    }
}

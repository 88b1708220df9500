package dev.plinth.handlers.stream.channels;

/** The little JSON this package writes: strings quoted and escaped (RFC 8259 §7), so any text is safe in a line. */
final class Json {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {}

    /**
     * @param out where the quoted string goes
     * @param text any text; control characters, quotes, backslashes and the line separators U+2028 and U+2029 are
     *     escaped, so the result is one line
     * @return {@code out}
     */
    static StringBuilder quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append("\\u")
                                .append(HEX[(c >> 12) & 0xf])
                                .append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf])
                                .append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /**
     * @param text any text
     * @return it as a JSON string
     */
    static String quote(String text) {
        return quote(new StringBuilder(text.length() + 2), text).toString();
    }
}

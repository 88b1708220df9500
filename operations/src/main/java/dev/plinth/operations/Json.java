package dev.plinth.operations;

/** The little JSON the health endpoints write: strings escaped as RFC 8259 requires. */
final class Json {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {}

    /**
     * Appends a JSON string.
     *
     * @param json where to append
     * @param text the string's content
     */
    static void string(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }
}

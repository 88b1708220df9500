package dev.plinth.http.parser;

/**
 * The byte classes of RFC 9110 §5.6.2 (token), §5.5 (field values), RFC 5234 (VCHAR, DIGIT, HEXDIG) and RFC 3986
 * §3.2.2 (reg-name), as one 256-entry table of flags.
 */
final class Chars {
    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    /** tchar (RFC 9110 §5.6.2). */
    static final int TOKEN = 1;
    /** VCHAR: 0x21-0x7E. */
    static final int VISIBLE = 1 << 1;
    /** obs-text: 0x80-0xFF. */
    static final int OBS_TEXT = 1 << 2;
    /** SP or HTAB. */
    static final int WHITESPACE = 1 << 3;
    /** DIGIT. */
    static final int DIGIT = 1 << 4;
    /** unreserved or sub-delims (RFC 3986 §2.2, §2.3): reg-name without pct-encoded. */
    static final int REG_NAME = 1 << 5;
    /** A byte allowed in a field value (RFC 9110 §5.5): VCHAR, obs-text, SP, HTAB. */
    static final int FIELD_VALUE = VISIBLE | OBS_TEXT | WHITESPACE;

    private static final byte[] CLASS = new byte[256];
    private static final byte[] HEX = new byte[256];

    static {
        for (int c = 0x21; c <= 0x7E; c++) {
            CLASS[c] |= VISIBLE;
        }
        for (int c = 0x80; c <= 0xFF; c++) {
            CLASS[c] |= OBS_TEXT;
        }
        CLASS[SP] |= WHITESPACE;
        CLASS[HTAB] |= WHITESPACE;
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            CLASS[c] |= TOKEN | DIGIT | REG_NAME;
            HEX[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'z'; c++) {
            CLASS[c] |= TOKEN | REG_NAME;
            CLASS[c - 32] |= TOKEN | REG_NAME;
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX[c] = (byte) (c - 'a' + 10);
            HEX[c - 32] = (byte) (c - 'a' + 10);
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            CLASS[c] |= TOKEN;
        }
        for (char c : "-._~!$&'()*+,;=".toCharArray()) {
            CLASS[c] |= REG_NAME;
        }
    }

    private Chars() {}

    /**
     * @param b a byte
     * @param flags one or more classes
     * @return whether the byte is in any of them
     */
    static boolean is(byte b, int flags) {
        return (CLASS[b & 0xFF] & flags) != 0;
    }

    /**
     * @param b bytes
     * @param from first index
     * @param to index after the last
     * @param flags one or more classes
     * @return the index of the first byte from {@code from} that is in none of the classes, or {@code to}
     */
    static int run(byte[] b, int from, int to, int flags) {
        byte[] table = CLASS;
        while (from < to && (table[b[from] & 0xFF] & flags) != 0) {
            from++;
        }
        return from;
    }

    /**
     * @param b a byte
     * @return its value as a hexadecimal digit, or -1
     */
    static int hex(byte b) {
        return HEX[b & 0xFF];
    }

    /**
     * @param b bytes
     * @param from first index
     * @param to index after the last
     * @param lowerCase an ASCII name in lower case, letters and '-' only
     * @return whether the bytes are that name, ignoring the case of letters
     */
    static boolean equalsIgnoreCase(byte[] b, int from, int to, byte[] lowerCase) {
        if (to - from != lowerCase.length) {
            return false;
        }
        for (int i = 0; i < lowerCase.length; i++) {
            if ((b[from + i] | 0x20) != lowerCase[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param b bytes
     * @param from first index
     * @param to index after the last
     * @return the first index at or after {@code from} that is not SP or HTAB, or {@code to}
     */
    static int skipWhitespace(byte[] b, int from, int to) {
        while (from < to && (b[from] == SP || b[from] == HTAB)) {
            from++;
        }
        return from;
    }

    /**
     * @param b bytes
     * @param from first index
     * @param to index after the last
     * @return the index after the last byte before {@code to} that is not SP or HTAB, or {@code from}
     */
    static int trimWhitespace(byte[] b, int from, int to) {
        while (to > from && (b[to - 1] == SP || b[to - 1] == HTAB)) {
            to--;
        }
        return to;
    }
}

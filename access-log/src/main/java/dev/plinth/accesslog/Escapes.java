package dev.plinth.accesslog;

import java.nio.charset.StandardCharsets;

/**
 * Escaping of text a client chose (request target, referer, user agent...), so that no client can end a line early,
 * close a quoted field, or write anything but printable ASCII into the log.
 *
 * <p>Request text reaches us decoded as ISO-8859-1 (one char per byte, as the parser reads it), so each char below
 * 256 is the byte that was received. A char above 255 (from a handler or the configuration) is taken as its UTF-8
 * bytes.
 */
final class Escapes {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Escapes() {}

    /**
     * Appends the inside of a quoted NCSA field as Apache httpd writes it ({@code ap_escape_logitem}): {@code "} and
     * {@code \} as {@code \"} and {@code \\}, every byte outside printable ASCII (controls, DEL, non-ASCII) as
     * {@code \xhh}. No text (null) is written {@code -}.
     *
     * @param out where to append
     * @param text the text, or null
     */
    static void ncsa(StringBuilder out, String text) {
        if (text == null) {
            out.append('-');
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else if (c <= 0xff) {
                out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                int codePoint = text.codePointAt(i);
                i += Character.charCount(codePoint) - 1;
                for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                    out.append("\\x").append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
                }
            }
        }
    }

    /**
     * Appends a JSON string (RFC 8259, section 7), quotes included: {@code "} and {@code \} escaped, the usual
     * short escapes for controls, and every other char outside printable ASCII as {@code \}{@code uXXXX}, so the
     * line is pure ASCII whatever the client sent.
     *
     * @param out where to append
     * @param text the text
     */
    static void json(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        out.append(c);
                    } else {
                        out.append("\\u")
                                .append(HEX[c >> 12])
                                .append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf])
                                .append(HEX[c & 0xf]);
                    }
                }
            }
        }
        out.append('"');
    }
}

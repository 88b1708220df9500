package dev.plinth.multipart;

import java.util.ArrayList;
import java.util.List;

/**
 * A field value with parameters, {@code type *( OWS ";" OWS [ name "=" ( token / quoted-string ) ] )}: a
 * Content-Type (RFC 9110 §8.3.1, where the type is {@code type "/" subtype}) or a Content-Disposition (RFC 6266
 * §4.1, where it is one token). No whitespace around {@code "="} (RFC 9110 §5.6.6); empty parameters, as in
 * {@code a;;b=1}, are allowed as RFC 9110 allows them. Text is one char per byte, as received (ISO-8859-1).
 */
final class HeaderValue {
    /**
     * @param name the parameter name as received
     * @param value the value: a token as received, or the content of a quoted-string with its quoted-pairs undone
     */
    record Param(String name, String value) {}

    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private final String type;
    private final List<Param> params;
    private final String field;
    private final long offset;

    private HeaderValue(String type, List<Param> params, String field, long offset) {
        this.type = type;
        this.params = params;
        this.field = field;
        this.offset = offset;
    }

    /** @return whether {@code c} is a tchar (RFC 9110 §5.6.2) */
    static boolean tchar(int c) {
        return c >= 0 && c < 256 && TCHAR[c];
    }

    /**
     * @param text the field value; leading and trailing SP and HTAB are ignored
     * @param mediaType whether the type is {@code type "/" subtype} (else one token)
     * @param field the field's name, for messages: {@code "malformed Content-Type: ..."}
     * @param offset where errors are said to be
     */
    static HeaderValue parse(String text, boolean mediaType, String field, long offset) throws MultipartException {
        Cursor in = new Cursor(text, field, offset);
        in.skipWhitespace();
        String type = in.token("type");
        if (mediaType) {
            in.expect('/', "'/' after the type");
            type = type + "/" + in.token("subtype");
        }
        List<Param> params = new ArrayList<>();
        in.skipWhitespace();
        while (!in.atEnd()) {
            in.expect(';', "';' before a parameter");
            in.skipWhitespace();
            if (in.atEnd() || in.peek() == ';') {
                continue;
            }
            String name = in.token("parameter name");
            in.expect('=', "'=' after parameter " + name);
            String value = in.peek() == '"' ? in.quotedString() : in.token("value of parameter " + name);
            params.add(new Param(name, value));
            in.skipWhitespace();
        }
        return new HeaderValue(type, List.copyOf(params), field, offset);
    }

    /** @return the type as received: {@code type/subtype} for a media type */
    String type() {
        return type;
    }

    /** @return the parameters, in order */
    List<Param> params() {
        return params;
    }

    /**
     * @param name a parameter name, matched without regard to case
     * @return the value of that parameter, or null if absent
     * @throws MultipartException if the parameter is given more than once
     */
    String param(String name) throws MultipartException {
        String value = null;
        for (Param p : params) {
            if (p.name().equalsIgnoreCase(name)) {
                if (value != null) {
                    throw MultipartException.malformed(
                            "malformed " + field + ": more than one " + name + " parameter", offset);
                }
                value = p.value();
            }
        }
        return value;
    }

    /** A position in the text, with the steps of the grammar. */
    private static final class Cursor {
        private final String text;
        private final String field;
        private final long offset;
        private int at;

        Cursor(String text, String field, long offset) {
            this.text = text;
            this.field = field;
            this.offset = offset;
        }

        boolean atEnd() {
            return at == text.length();
        }

        /** @return the next char, or -1 at the end */
        int peek() {
            return atEnd() ? -1 : text.charAt(at);
        }

        void skipWhitespace() {
            while (peek() == ' ' || peek() == '\t') {
                at++;
            }
        }

        void expect(char c, String what) throws MultipartException {
            if (peek() != c) {
                throw error("expected " + what);
            }
            at++;
        }

        String token(String what) throws MultipartException {
            int start = at;
            while (tchar(peek())) {
                at++;
            }
            if (at == start) {
                throw error("expected " + what);
            }
            return text.substring(start, at);
        }

        /** quoted-string (RFC 9110 §5.6.4): qdtext is HTAB, SP, VCHAR but {@code "} and {@code \}, obs-text. */
        String quotedString() throws MultipartException {
            at++;
            StringBuilder value = new StringBuilder();
            while (true) {
                int c = peek();
                if (c == '"') {
                    at++;
                    return value.toString();
                }
                if (c == '\\') {
                    at++;
                    c = peek();
                    if (c == -1 || !quotable(c)) {
                        throw error("bad quoted-pair in a quoted-string");
                    }
                } else if (c == -1) {
                    throw error("unterminated quoted-string");
                } else if (!quotable(c)) {
                    throw error("control character in a quoted-string");
                }
                value.append((char) c);
                at++;
            }
        }

        /** HTAB, SP, VCHAR, obs-text: what a quoted-pair may escape, and qdtext with {@code "} and {@code \}. */
        private static boolean quotable(int c) {
            return c == '\t' || c >= ' ' && c != 0x7F && c <= 0xFF;
        }

        MultipartException error(String detail) {
            return MultipartException.malformed("malformed " + field + ": " + detail, offset);
        }
    }
}

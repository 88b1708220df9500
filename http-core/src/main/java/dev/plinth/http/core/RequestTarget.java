package dev.plinth.http.core;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A request target split into authority, path and query (RFC 9112 §3.2), with the path percent-decoded exactly once.
 *
 * @param authority the host[:port] of an absolute-form target, or null
 * @param rawPath the path as received
 * @param path the decoded path
 * @param query the query as received, or null
 */
record RequestTarget(String authority, String rawPath, String path, String query) {

    /**
     * @param target a request target that the parser accepted
     * @return its parts
     * @throws BadTargetException if the path is malformed, or decoding it would produce {@code /}, {@code \}, NUL or
     *         malformed UTF-8, which would let one string mean two paths
     */
    static RequestTarget parse(String target) throws BadTargetException {
        if (target.equals("*")) {
            return new RequestTarget(null, "*", "*", null);
        }
        String authority = null;
        String rest = target;
        if (!target.startsWith("/")) {
            int scheme = target.indexOf("://");
            if (scheme < 0) {
                // authority-form (CONNECT); the core does not tunnel, so only the authority matters
                return new RequestTarget(target, "", "", null);
            }
            int pathStart = target.indexOf('/', scheme + 3);
            int queryStart = target.indexOf('?', scheme + 3);
            int end = pathStart < 0 ? queryStart : queryStart < 0 ? pathStart : Math.min(pathStart, queryStart);
            authority = end < 0 ? target.substring(scheme + 3) : target.substring(scheme + 3, end);
            if (authority.indexOf('@') >= 0) {
                throw new BadTargetException("userinfo in the target (RFC 9110 §4.2.4)");
            }
            rest = end < 0 ? "/" : target.substring(end);
            if (rest.startsWith("?")) {
                rest = "/" + rest;
            }
        }
        int question = rest.indexOf('?');
        String rawPath = question < 0 ? rest : rest.substring(0, question);
        String query = question < 0 ? null : rest.substring(question + 1);
        if (rawPath.indexOf('#') >= 0 || query != null && query.indexOf('#') >= 0) {
            throw new BadTargetException("fragment in the target (RFC 9112 §3.2)");
        }
        return new RequestTarget(authority, rawPath, decodePath(rawPath), query);
    }

    /**
     * @return the host of the authority, lower-case and without port; empty if the target had no authority
     */
    String host() {
        return authority == null ? "" : hostOf(authority);
    }

    /**
     * @param authority a host[:port] value
     * @return the host, lower-case and without port
     */
    static String hostOf(String authority) {
        String host = authority;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            host = close < 0 ? host : host.substring(0, close + 1);
        } else {
            int colon = host.lastIndexOf(':');
            if (colon >= 0) {
                host = host.substring(0, colon);
            }
        }
        return host.toLowerCase(Locale.ROOT);
    }

    private static String decodePath(String raw) throws BadTargetException {
        if (raw.indexOf('%') < 0) {
            if (raw.indexOf('\\') >= 0) {
                throw new BadTargetException("backslash in the path");
            }
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\') {
                throw new BadTargetException("backslash in the path");
            }
            if (c != '%') {
                bytes.write(c);
                continue;
            }
            if (i + 2 >= raw.length()) {
                throw new BadTargetException("truncated percent-encoding in the path");
            }
            int high = Character.digit(raw.charAt(i + 1), 16);
            int low = Character.digit(raw.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                throw new BadTargetException("malformed percent-encoding in the path");
            }
            int b = high << 4 | low;
            if (b == '/' || b == '\\' || b == 0) {
                throw new BadTargetException("encoded slash, backslash or NUL in the path");
            }
            bytes.write(b);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadTargetException("path is not UTF-8 after percent-decoding");
        }
    }

    /** A target the server will not interpret; answered with 400. */
    static final class BadTargetException extends Exception {
        private static final long serialVersionUID = 1L;

        BadTargetException(String rule) {
            super(rule);
        }
    }
}

package dev.plinth.http.parser;

import static dev.plinth.http.parser.Chars.DIGIT;
import static dev.plinth.http.parser.Chars.REG_NAME;
import static dev.plinth.http.parser.Chars.hex;
import static dev.plinth.http.parser.Chars.is;
import static dev.plinth.http.parser.Chars.skipWhitespace;

import java.nio.charset.StandardCharsets;

/**
 * The grammar of the parts of a request the parser interprets: HTTP-version, request-target forms, Host, and
 * Content-Length. Each method reads bytes {@code [from, to)} of the parser's line buffer.
 */
final class Syntax {
    private static final byte[] HTTP_SCHEME = {'h', 't', 't', 'p', ':', '/', '/'};
    private static final byte[] HTTPS_SCHEME = {'h', 't', 't', 'p', 's', ':', '/', '/'};

    /** Methods whose name is shared rather than built for each request. */
    private static final String[] METHODS = {
        "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE"
    };

    private Syntax() {}

    /** @return the method token {@code b[0, length)} as a string, shared for the methods of RFC 9110 §9 and PATCH */
    static String method(byte[] b, int length) {
        for (String method : METHODS) {
            if (method.length() == length && matches(b, method)) {
                return method;
            }
        }
        return new String(b, 0, length, StandardCharsets.ISO_8859_1);
    }

    private static boolean matches(byte[] b, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (b[i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** @return a parse failure for {@code rule} */
    static HttpParseException bad(Rule rule) {
        return new HttpParseException(rule);
    }

    /** @return a parse failure for {@code rule}, with what the input exceeded or how */
    static HttpParseException bad(Rule rule, String detail) {
        return new HttpParseException(rule, detail);
    }

    /**
     * RFC 9112 §2.3: {@code HTTP-version = "HTTP" "/" DIGIT "." DIGIT}; RFC 9110 §2.5: a higher minor version of
     * HTTP/1 is processed as HTTP/1.1; other majors are not supported (505).
     *
     * @return the minor version to process the request as: 0 for HTTP/1.0, 1 for HTTP/1.1 and above
     */
    static int minorVersion(byte[] b, int from, int to) throws HttpParseException {
        if (to - from != 8
                || b[from] != 'H'
                || b[from + 1] != 'T'
                || b[from + 2] != 'T'
                || b[from + 3] != 'P'
                || b[from + 4] != '/'
                || !is(b[from + 5], DIGIT)
                || b[from + 6] != '.'
                || !is(b[from + 7], DIGIT)) {
            throw bad(Rule.MALFORMED_VERSION);
        }
        if (b[from + 5] != '1') {
            throw bad(Rule.VERSION_NOT_SUPPORTED);
        }
        return b[from + 7] == '0' ? 0 : 1;
    }

    /**
     * RFC 9112 §3.2: origin-form ({@code /...}); absolute-form with an http or https scheme (RFC 9110 §4.2) and a
     * non-empty authority without userinfo; authority-form ({@code host:port}) for CONNECT and only for it; asterisk
     * form only for OPTIONS.
     */
    static void target(String method, byte[] b, int from, int to) throws HttpParseException {
        boolean connect = method.equals("CONNECT");
        if (connect) {
            if (!hostPort(b, from, to, true)) {
                throw bad(Rule.CONNECT_TARGET);
            }
            return;
        }
        if (b[from] == '/') {
            return;
        }
        if (b[from] == '*' && to - from == 1) {
            if (!method.equals("OPTIONS")) {
                throw bad(Rule.ASTERISK_TARGET);
            }
            return;
        }
        int authority = startsWithIgnoreCase(b, from, to, HTTP_SCHEME)
                ? from + HTTP_SCHEME.length
                : startsWithIgnoreCase(b, from, to, HTTPS_SCHEME) ? from + HTTPS_SCHEME.length : -1;
        if (authority < 0) {
            throw bad(Rule.TARGET_FORM);
        }
        int end = authority;
        while (end < to && b[end] != '/' && b[end] != '?' && b[end] != '#') {
            end++;
        }
        if (end == authority || !hostPort(b, authority, end, false)) {
            throw bad(Rule.ABSOLUTE_AUTHORITY);
        }
    }

    private static boolean startsWithIgnoreCase(byte[] b, int from, int to, byte[] lowerPrefix) {
        return to - from >= lowerPrefix.length
                && Chars.equalsIgnoreCase(b, from, from + lowerPrefix.length, lowerPrefix);
    }

    /**
     * {@code uri-host [ ":" port ]} (RFC 3986 §3.2.2, §3.2.3). Empty is valid (RFC 9112 §3.2: Host may be empty);
     * a port without a host is not.
     *
     * @param portRequired whether {@code ":" 1*DIGIT} must follow the host (authority-form)
     */
    static boolean hostPort(byte[] b, int from, int to, boolean portRequired) {
        if (from == to) {
            return !portRequired;
        }
        int i = from;
        if (b[i] == '[') {
            int close = i + 1;
            while (close < to && b[close] != ']') {
                close++;
            }
            if (close == to || !ipLiteral(b, i + 1, close)) {
                return false;
            }
            i = close + 1;
        } else {
            while (i < to && b[i] != ':') {
                if (b[i] == '%') {
                    if (i + 2 >= to || hex(b[i + 1]) < 0 || hex(b[i + 2]) < 0) {
                        return false;
                    }
                    i += 3;
                } else if (is(b[i], REG_NAME)) {
                    i++;
                } else {
                    return false;
                }
            }
            if (i == from) {
                return false;
            }
        }
        if (i == to) {
            return !portRequired;
        }
        if (b[i++] != ':') {
            return false;
        }
        int digits = i;
        while (i < to && is(b[i], DIGIT)) {
            i++;
        }
        return i == to && (!portRequired || i > digits);
    }

    /** {@code IPv6address / IPvFuture} between the brackets of an IP-literal (RFC 3986 §3.2.2). */
    private static boolean ipLiteral(byte[] b, int from, int to) {
        if (from < to && (b[from] == 'v' || b[from] == 'V')) {
            int i = from + 1;
            while (i < to && hex(b[i]) >= 0) {
                i++;
            }
            if (i == from + 1 || i == to || b[i] != '.' || i + 1 == to) {
                return false;
            }
            for (i++; i < to; i++) {
                if (!is(b[i], REG_NAME) && b[i] != ':') {
                    return false;
                }
            }
            return true;
        }
        return ipv6(b, from, to);
    }

    /** RFC 3986 §3.2.2 IPv6address: eight 16-bit groups, one "::" for a run of zeros, the last two may be IPv4. */
    private static boolean ipv6(byte[] b, int from, int to) {
        int groups = 0;
        boolean compressed = false;
        int i = from;
        if (to - from >= 2 && b[i] == ':' && b[i + 1] == ':') {
            compressed = true;
            i += 2;
        }
        while (i < to) {
            int start = i;
            while (i < to && hex(b[i]) >= 0 && i - start < 4) {
                i++;
            }
            if (i < to && b[i] == '.') {
                return groups + 2 <= (compressed ? 7 : 8) && ipv4(b, start, to) && (compressed || groups + 2 == 8);
            }
            if (i == start) {
                return false;
            }
            groups++;
            if (i == to) {
                break;
            }
            if (b[i] != ':') {
                return false;
            }
            i++;
            if (i < to && b[i] == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                i++;
            } else if (i == to) {
                return false;
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }

    /** RFC 3986 §3.2.2 IPv4address: four dec-octets 0-255 without leading zeros. */
    private static boolean ipv4(byte[] b, int from, int to) {
        int octets = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && is(b[i], DIGIT) && i - start < 3) {
                value = value * 10 + b[i++] - '0';
            }
            int length = i - start;
            if (length == 0 || value > 255 || (length > 1 && b[start] == '0')) {
                return false;
            }
            octets++;
            if (i == to) {
                return octets == 4;
            }
            if (b[i++] != '.' || octets == 4) {
                return false;
            }
        }
    }

    /**
     * RFC 9112 §6.3, RFC 9110 §8.6: {@code Content-Length = 1*DIGIT}. A list of identical values ({@code 5, 5}) is
     * accepted as that value where {@code repeatAllowed} ({@link Violation#MULTIPLE_CONTENT_LENGTHS}); differing
     * values, empty elements, signs, spaces inside a number and overflow never are. The whole list is read before a
     * repetition is rejected, so that a malformed or differing value is named first.
     *
     * @return the length
     */
    static long contentLength(byte[] b, int from, int to, boolean repeatAllowed) throws HttpParseException {
        long length = -1;
        int i = from;
        boolean repeated = false;
        while (true) {
            i = skipWhitespace(b, i, to);
            int start = i;
            long value = 0;
            while (i < to && is(b[i], DIGIT)) {
                int digit = b[i++] - '0';
                if (value > (Long.MAX_VALUE - digit) / 10) {
                    throw bad(Rule.CONTENT_LENGTH_OVERFLOW);
                }
                value = value * 10 + digit;
            }
            if (i == start) {
                throw bad(Rule.CONTENT_LENGTH_NOT_DIGITS);
            }
            i = skipWhitespace(b, i, to);
            if (length >= 0 && value != length) {
                throw bad(Rule.DIFFERING_CONTENT_LENGTHS);
            }
            repeated = length >= 0;
            length = value;
            if (i == to) {
                if (repeated && !repeatAllowed) {
                    throw bad(Rule.MULTIPLE_CONTENT_LENGTHS);
                }
                return length;
            }
            if (b[i++] != ',') {
                throw bad(Rule.CONTENT_LENGTH_NOT_DIGITS);
            }
        }
    }
}

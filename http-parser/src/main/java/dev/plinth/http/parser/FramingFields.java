package dev.plinth.http.parser;

import static dev.plinth.http.parser.Chars.TOKEN;
import static dev.plinth.http.parser.Chars.is;
import static dev.plinth.http.parser.Chars.skipWhitespace;
import static dev.plinth.http.parser.Syntax.bad;

/**
 * The header fields that decide how a request is framed (RFC 9112 §3.2, §6), collected field by field and judged
 * once the header block is complete.
 *
 * <p>Transfer-Encoding: the final coding must be {@code chunked} and appear once (else 400); any other coding
 * before it is one this server does not implement (501, RFC 9112 §6.1). So {@code xchunked} and
 * {@code chunked, identity} are 400, {@code gzip, chunked} is 501.
 */
final class FramingFields {
    private static final byte[] HOST = {'h', 'o', 's', 't'};
    private static final byte[] CONTENT_LENGTH = {'c', 'o', 'n', 't', 'e', 'n', 't', '-', 'l', 'e', 'n', 'g', 't', 'h'};
    private static final byte[] TRANSFER_ENCODING = {
        't', 'r', 'a', 'n', 's', 'f', 'e', 'r', '-', 'e', 'n', 'c', 'o', 'd', 'i', 'n', 'g'
    };
    private static final byte[] CHUNKED = {'c', 'h', 'u', 'n', 'k', 'e', 'd'};

    /** Whether identical Content-Length values may repeat: {@link Violation#MULTIPLE_CONTENT_LENGTHS}. */
    private final boolean repeatAllowed;

    private int hosts;
    private long contentLength = -1;
    private boolean transferEncoding;
    private boolean chunked;
    private boolean otherCoding;

    /** @param compliance the parser's mode */
    FramingFields(Compliance compliance) {
        this.repeatAllowed = compliance.allows(Violation.MULTIPLE_CONTENT_LENGTHS);
    }

    void reset() {
        hosts = 0;
        contentLength = -1;
        transferEncoding = false;
        chunked = false;
        otherCoding = false;
    }

    /**
     * Checks a header field if it is one of Host, Content-Length, Transfer-Encoding.
     *
     * @param b the field line
     * @param nameEnd the index after the name
     * @param valueStart the index of the trimmed value
     * @param valueEnd the index after the trimmed value
     */
    void field(byte[] b, int nameEnd, int valueStart, int valueEnd) throws HttpParseException {
        switch (nameEnd) {
            case 4:
                if (Chars.equalsIgnoreCase(b, 0, nameEnd, HOST)) {
                    host(b, valueStart, valueEnd);
                }
                break;
            case 14:
                if (Chars.equalsIgnoreCase(b, 0, nameEnd, CONTENT_LENGTH)) {
                    contentLength(b, valueStart, valueEnd);
                }
                break;
            case 17:
                if (Chars.equalsIgnoreCase(b, 0, nameEnd, TRANSFER_ENCODING)) {
                    transferCodings(b, valueStart, valueEnd);
                }
                break;
            default:
                break;
        }
    }

    private void host(byte[] b, int from, int to) throws HttpParseException {
        if (++hosts > 1) {
            throw bad(Rule.DUPLICATE_HOST);
        }
        if (!Syntax.hostPort(b, from, to, false)) {
            throw bad(Rule.INVALID_HOST);
        }
    }

    /**
     * RFC 9110 §8.6: several Content-Length fields are rejected, unless they all carry the same value and
     * {@link Violation#MULTIPLE_CONTENT_LENGTHS} is tolerated.
     */
    private void contentLength(byte[] b, int from, int to) throws HttpParseException {
        long value = Syntax.contentLength(b, from, to, repeatAllowed);
        if (contentLength >= 0) {
            if (value != contentLength) {
                throw bad(Rule.DIFFERING_CONTENT_LENGTHS);
            }
            if (!repeatAllowed) {
                throw bad(Rule.MULTIPLE_CONTENT_LENGTHS);
            }
        }
        contentLength = value;
    }

    /**
     * RFC 9112 §6.1: a list of transfer-codings, over one or more fields; empty elements are ignored (RFC 9110
     * §5.6.1).
     */
    private void transferCodings(byte[] b, int from, int to) throws HttpParseException {
        transferEncoding = true;
        int i = from;
        while (i < to) {
            i = skipWhitespace(b, i, to);
            int start = i;
            while (i < to && is(b[i], TOKEN)) {
                i++;
            }
            int end = i;
            i = skipWhitespace(b, i, to);
            boolean parameters = i < to && b[i] == ';';
            if (parameters) {
                while (i < to && b[i] != ',') {
                    i++;
                }
            } else if (i < to && b[i] != ',') {
                throw bad(Rule.TRANSFER_ENCODING_NOT_LIST);
            }
            if (start < end) {
                coding(Chars.equalsIgnoreCase(b, start, end, CHUNKED), parameters);
            } else if (parameters) {
                throw bad(Rule.TRANSFER_ENCODING_NOT_LIST);
            }
            i++;
        }
    }

    private void coding(boolean isChunked, boolean parameters) throws HttpParseException {
        if (chunked) {
            throw bad(isChunked ? Rule.CHUNKED_TWICE : Rule.CHUNKED_NOT_FINAL);
        }
        if (isChunked && parameters) {
            throw bad(Rule.CHUNKED_PARAMETERS);
        }
        chunked = isChunked;
        otherCoding |= !isChunked;
    }

    /**
     * Judges the complete header block.
     *
     * @param minorVersion 0 for HTTP/1.0, 1 for HTTP/1.1 and above
     * @return the body length: 0 for none, -1 for chunked
     */
    long complete(int minorVersion, long maxBodyLength) throws HttpParseException {
        if (minorVersion == 1 && hosts == 0) {
            throw bad(Rule.MISSING_HOST);
        }
        if (transferEncoding) {
            if (contentLength >= 0) {
                throw bad(Rule.CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
            }
            if (minorVersion == 0) {
                throw bad(Rule.TRANSFER_ENCODING_IN_HTTP_1_0);
            }
            if (!chunked) {
                throw bad(Rule.CHUNKED_NOT_FINAL);
            }
            if (otherCoding) {
                throw bad(Rule.TRANSFER_CODING_NOT_IMPLEMENTED);
            }
            return -1;
        }
        if (contentLength > maxBodyLength) {
            throw bad(Rule.CONTENT_LENGTH_TOO_LARGE);
        }
        return Math.max(contentLength, 0);
    }
}

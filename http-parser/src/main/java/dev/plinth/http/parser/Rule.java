package dev.plinth.http.parser;

/**
 * Every way the parser rejects input, by name: each rule carries the status to answer with, the section of the RFC it
 * enforces and a short message. A {@link HttpParseException} names the rule that was broken; a rule the
 * {@link Compliance} mode relaxes is a {@link Violation} instead, and is not broken when tolerated.
 */
public enum Rule {
    // the message framing: lines (RFC 9112 §2)

    /** A CR not followed by LF, anywhere a line may end. */
    BARE_CR(400, "RFC 9112 §2.2", "bare CR"),
    /** A line of the request line or a field section ended by LF alone, unless {@link Violation#LF_LINE_ENDINGS}. */
    BARE_LF(400, "RFC 9112 §2.2", "line ended by a bare LF"),
    /** More empty lines before the request line than the parser skips. */
    TOO_MANY_EMPTY_LINES(400, "RFC 9112 §2.2", "too many empty lines before the request line"),
    /** The connection ended in the middle of a request. */
    INCOMPLETE_REQUEST(400, "RFC 9112 §8", "incomplete request"),

    // the request line (RFC 9112 §3)

    /** The request line is longer than {@link ParserConfig#maxRequestLineLength()}. */
    REQUEST_LINE_TOO_LONG(414, "RFC 9112 §3", "request line longer than the limit"),
    /** The method is not a token followed by one SP. */
    METHOD_NOT_TOKEN(400, "RFC 9112 §3.1", "method is not a token followed by one SP"),
    /** The method, request-target and HTTP-version are not separated by exactly one SP each. */
    REQUEST_LINE_SP(400, "RFC 9112 §3", "request line parts not separated by single SP"),
    /** The request line ends before its HTTP-version. */
    MISSING_VERSION(400, "RFC 9112 §3", "request line without HTTP-version"),
    /** The request-target has a byte that is not visible ASCII. */
    TARGET_NOT_VISIBLE(400, "RFC 9112 §3.2", "request-target has a byte that is not visible ASCII"),
    /** The request-target is neither origin-form nor absolute-form with http or https. */
    TARGET_FORM(400, "RFC 9112 §3.2", "request-target is not origin-form or absolute-form (http, https)"),
    /** CONNECT with a request-target that is not authority-form. */
    CONNECT_TARGET(400, "RFC 9112 §3.2.3", "CONNECT requires an authority-form target (host:port)"),
    /** The asterisk-form request-target with a method other than OPTIONS, or followed by more. */
    ASTERISK_TARGET(400, "RFC 9112 §3.2.4", "asterisk-form is only for OPTIONS"),
    /** An absolute-form request-target whose authority is empty or invalid. */
    ABSOLUTE_AUTHORITY(400, "RFC 9110 §4.2.1", "absolute-form target has an invalid or empty authority"),
    /** The HTTP-version is not {@code HTTP/} DIGIT {@code .} DIGIT. */
    MALFORMED_VERSION(400, "RFC 9112 §2.3", "malformed HTTP-version"),
    /** An HTTP major version other than 1. */
    VERSION_NOT_SUPPORTED(505, "RFC 9110 §15.6.6", "HTTP major version not supported"),

    // field lines (RFC 9112 §5, RFC 9110 §5)

    /** A field line starting with whitespace right after the request line. */
    WHITESPACE_BEFORE_FIRST_FIELD(400, "RFC 9112 §2.2", "whitespace before the first field line"),
    /** A field line continued on the next line (obs-fold), unless {@link Violation#OBS_FOLD}. */
    OBS_FOLD(400, "RFC 9112 §5.2", "obsolete line folding (obs-fold)"),
    /** A field line starting with a colon. */
    EMPTY_FIELD_NAME(400, "RFC 9110 §5.1", "empty field name"),
    /** A field name with a byte that is not a token character. */
    FIELD_NAME_NOT_TOKEN(400, "RFC 9110 §5.1", "field name is not a token"),
    /** Whitespace between a field name and its colon, unless {@link Violation#WHITESPACE_BEFORE_COLON}. */
    WHITESPACE_BEFORE_COLON(400, "RFC 9112 §5.1", "whitespace between field name and colon"),
    /** A field line with no colon. */
    FIELD_WITHOUT_COLON(400, "RFC 9112 §5", "field line without colon"),
    /** A control character (other than HTAB) in a field value. */
    FIELD_VALUE_CONTROL(400, "RFC 9110 §5.5", "control character in field value"),
    /** More field lines than {@link ParserConfig#maxHeaderCount()}. */
    TOO_MANY_FIELDS(431, "RFC 6585 §5", "more field lines than the limit"),
    /** A field line longer than {@link ParserConfig#maxFieldLineLength()}. */
    FIELD_LINE_TOO_LONG(431, "RFC 6585 §5", "field line longer than the limit"),
    /** A field section larger than {@link ParserConfig#maxHeaderBlockBytes()}. */
    FIELD_SECTION_TOO_LARGE(431, "RFC 6585 §5", "field section larger than the limit"),

    // the fields that frame the message (RFC 9112 §3.2, §6)

    /** An HTTP/1.1 request without a Host field. */
    MISSING_HOST(400, "RFC 9112 §3.2", "HTTP/1.1 request without Host"),
    /** More than one Host field line. */
    DUPLICATE_HOST(400, "RFC 9112 §3.2", "more than one Host field"),
    /** A Host value that is not {@code uri-host [ ":" port ]}. */
    INVALID_HOST(400, "RFC 9112 §3.2", "Host is not uri-host [ \":\" port ]"),
    /** A Content-Length value that is not 1*DIGIT. */
    CONTENT_LENGTH_NOT_DIGITS(400, "RFC 9110 §8.6", "Content-Length is not 1*DIGIT"),
    /** A Content-Length value too large for a long. */
    CONTENT_LENGTH_OVERFLOW(400, "RFC 9110 §8.6", "Content-Length overflows"),
    /** Content-Length values, in one field line or several, that differ. */
    DIFFERING_CONTENT_LENGTHS(400, "RFC 9110 §8.6", "differing Content-Length values"),
    /**
     * Content-Length values that are all the same but more than one, in one field line ({@code 5, 5}) or several,
     * unless {@link Violation#MULTIPLE_CONTENT_LENGTHS}.
     */
    MULTIPLE_CONTENT_LENGTHS(400, "RFC 9110 §8.6", "Content-Length given more than once"),
    /** A Content-Length above {@link ParserConfig#maxBodyLength()}. */
    CONTENT_LENGTH_TOO_LARGE(413, "RFC 9110 §15.5.14", "Content-Length above the body limit"),
    /** Both Content-Length and Transfer-Encoding. */
    CONTENT_LENGTH_WITH_TRANSFER_ENCODING(400, "RFC 9112 §6.3", "Content-Length with Transfer-Encoding"),
    /** Transfer-Encoding in an HTTP/1.0 request. */
    TRANSFER_ENCODING_IN_HTTP_1_0(400, "RFC 9112 §6.1", "Transfer-Encoding in an HTTP/1.0 request"),
    /** A Transfer-Encoding value that is not a list of transfer-codings. */
    TRANSFER_ENCODING_NOT_LIST(400, "RFC 9112 §6.1", "Transfer-Encoding is not a list of transfer-codings"),
    /** chunked more than once in Transfer-Encoding. */
    CHUNKED_TWICE(400, "RFC 9112 §6.1", "chunked applied more than once"),
    /** A Transfer-Encoding whose final coding is not chunked. */
    CHUNKED_NOT_FINAL(400, "RFC 9112 §6.3", "chunked is not the final transfer coding"),
    /** chunked with parameters. */
    CHUNKED_PARAMETERS(400, "RFC 9112 §7.1", "chunked takes no parameters"),
    /** A transfer coding other than chunked before chunked. */
    TRANSFER_CODING_NOT_IMPLEMENTED(501, "RFC 9112 §6.1", "transfer coding not implemented (only chunked is)"),

    // the chunked body (RFC 9112 §7.1)

    /** A chunk-size that is not 1*HEXDIG. */
    CHUNK_SIZE_NOT_HEX(400, "RFC 9112 §7.1", "chunk-size is not 1*HEXDIG"),
    /** A chunk-size too large for a long. */
    CHUNK_SIZE_OVERFLOW(400, "RFC 9112 §7.1", "chunk-size overflows"),
    /** Whitespace after the chunk-size not followed by a chunk extension. */
    CHUNK_SIZE_WHITESPACE(400, "RFC 9112 §7.1", "whitespace after chunk-size without a chunk extension"),
    /** A control character in a chunk extension. */
    CHUNK_EXTENSION_CONTROL(400, "RFC 9112 §7.1.1", "control character in chunk extension"),
    /** A chunk-size line longer than the parser reads. */
    CHUNK_LINE_TOO_LONG(400, "RFC 9112 §7.1.1", "chunk-size line longer than the limit"),
    /** A chunk-size line not ended by CRLF (nor by a bare LF, where {@link Violation#LF_CHUNK_LINE_ENDINGS}). */
    CHUNK_LINE_NOT_CRLF(400, "RFC 9112 §7.1", "chunk-size line not ended by CRLF"),
    /** Chunk data not followed by CRLF (nor by a bare LF, where {@link Violation#LF_CHUNK_LINE_ENDINGS}). */
    CHUNK_DATA_NOT_CRLF(400, "RFC 9112 §7.1", "chunk data not followed by CRLF"),
    /** A chunked body above {@link ParserConfig#maxBodyLength()}. */
    CHUNKED_BODY_TOO_LARGE(413, "RFC 9110 §15.5.14", "chunked body above the body limit");

    private final int status;
    private final String reference;
    private final String message;

    Rule(int status, String reference, String message) {
        this.status = status;
        this.reference = reference;
        this.message = message;
    }

    /** @return the status to answer with, such as 400, 413, 414, 431, 501 or 505 */
    public int status() {
        return status;
    }

    /** @return the section of the RFC the rule enforces, such as {@code RFC 9112 §2.2} */
    public String reference() {
        return reference;
    }

    /** @return what was wrong, in a few words */
    public String message() {
        return message;
    }
}

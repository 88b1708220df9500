package dev.plinth.http.parser;

/**
 * A named deviation from RFC 9112/9110 that a {@link Compliance} mode may tolerate, after Jetty's
 * {@code HttpCompliance.Violation}. Each carries the section it bends; its Javadoc says how the parser repairs the
 * request and what tolerating it risks. The risk is nearly always the same in kind: a server that reads a request
 * differently from a proxy in front of it lets a client hide a second request inside the first (request
 * smuggling), so a deviation is only safe where every hop reads it the same way. What makes the framing ambiguous
 * is never tolerated, whatever the mode: Content-Length with Transfer-Encoding, differing Content-Length values,
 * a bare CR, a control character in a field.
 */
public enum Violation {
    /**
     * A bare LF ends a line of the request line, the header block and the trailer section; a CR must still be
     * followed by LF (RFC 9112 §2.2: a recipient MAY recognize a single LF as a line terminator). Otherwise
     * {@link Rule#BARE_LF}.
     *
     * <p>Risk: low. A proxy that does not end a line at a bare LF must reject it inside a field value (it is a
     * control character), so the two cannot see different field lines unless that proxy is itself lenient.
     */
    LF_LINE_ENDINGS("RFC 9112 §2.2", "a bare LF ends a line"),

    /**
     * A bare LF ends a chunk-size line and follows chunk data, where RFC 9112 §7.1 requires CRLF; a CR must still
     * be followed by LF. Otherwise {@link Rule#CHUNK_LINE_NOT_CRLF} or {@link Rule#CHUNK_DATA_NOT_CRLF}.
     *
     * <p>Risk: high. Chunk framing read differently by two hops is a known smuggling vector: a proxy that does not
     * end a chunk line at a bare LF counts the body differently and forwards what this server takes for a second
     * request. Only for clients that reach the server directly.
     */
    LF_CHUNK_LINE_ENDINGS("RFC 9112 §7.1", "a bare LF ends a chunk-size line or chunk data"),

    /**
     * A field line continued on the next line (obs-fold: the next line starts with SP or HTAB) is joined to it:
     * the fold and the whitespace around it are replaced by one SP before the field is reported or interpreted
     * (RFC 9112 §5.2 lets a server replace each obs-fold with SP instead of rejecting it). Otherwise
     * {@link Rule#OBS_FOLD}. Whitespace before the first field line of the header block is still rejected
     * ({@link Rule#WHITESPACE_BEFORE_FIRST_FIELD}): there is no field to continue.
     *
     * <p>Risk: medium. A proxy that takes a continuation line for a field of its own (or drops it) sees other
     * fields than this server, which matters when a framing field is folded: {@code Transfer-Encoding: gzip,}
     * continued by {@code chunked}.
     */
    OBS_FOLD("RFC 9112 §5.2", "obsolete line folding is replaced by SP"),

    /**
     * Whitespace between a field name and its colon is dropped: {@code Host : a} is the field {@code Host}.
     * Otherwise {@link Rule#WHITESPACE_BEFORE_COLON}.
     *
     * <p>Risk: high. RFC 9112 §5.1 says a server MUST reject it, because it was the classic smuggling vector:
     * a proxy that takes {@code Transfer-Encoding : chunked} for another field forwards the body by
     * Content-Length, or without one, while this server reads it as chunked. Only for clients that reach the
     * server directly.
     */
    WHITESPACE_BEFORE_COLON("RFC 9112 §5.1", "whitespace between a field name and its colon is dropped"),

    /**
     * Content-Length given more than once with the same value, in one field ({@code 5, 5}) or several, is taken as
     * that one value (RFC 9110 §8.6 lets a recipient either reject such a message or use the single value).
     * Otherwise {@link Rule#MULTIPLE_CONTENT_LENGTHS}. Differing values are always rejected
     * ({@link Rule#DIFFERING_CONTENT_LENGTHS}).
     *
     * <p>Risk: low. Every value is the same, so any hop that picks one of them frames the body alike; only a hop
     * that adds the values or reads the list as one number could differ.
     */
    MULTIPLE_CONTENT_LENGTHS("RFC 9110 §8.6", "identical Content-Length values are taken as one");

    private final String reference;
    private final String description;

    Violation(String reference, String description) {
        this.reference = reference;
        this.description = description;
    }

    /** @return the section of the RFC this deviation bends, such as {@code RFC 9112 §2.2} */
    public String reference() {
        return reference;
    }

    /** @return what the deviation tolerates */
    public String description() {
        return description;
    }
}

package dev.plinth.multipart;

/**
 * A body, or a Content-Type, that is not acceptable {@code multipart/form-data}: the message says why in a few
 * words, such as {@code "bare LF in part headers"} or {@code "more than 1000 parts"}.
 *
 * <p>Checked, like the HTTP parser's {@code HttpParseException}: bad input is an expected outcome of every
 * {@link MultipartParser#feed} call, not a programming error, and the handler must answer it (with
 * {@link #status()}) and discard what it has stored of the upload; the compiler makes sure it does not forget.
 */
public final class MultipartException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The status for malformed input. */
    static final int BAD_REQUEST = 400;
    /** The status for input beyond a {@link MultipartLimits limit}. */
    static final int CONTENT_TOO_LARGE = 413;
    /** The status for a Content-Type that is not {@code multipart/form-data}. */
    static final int UNSUPPORTED_MEDIA_TYPE = 415;

    private final int status;
    private final long offset;

    MultipartException(String message, int status, long offset) {
        super(message);
        this.status = status;
        this.offset = offset;
    }

    /** A malformed body or Content-Type (400), at {@code offset}. */
    static MultipartException malformed(String message, long offset) {
        return new MultipartException(message, BAD_REQUEST, offset);
    }

    /**
     * @return the HTTP status to answer with: 415 if the media type is not {@code multipart/form-data}, 413 if a
     *         {@link MultipartLimits limit} was passed, 400 for anything else
     */
    public int status() {
        return status;
    }

    /**
     * @return the index in the body of the byte that was rejected: for a part's Content-Disposition or Content-Type,
     *         the LF ending its header block; if the body ended too early, its length; for a rejected Content-Type
     *         of the request, -1
     */
    public long offset() {
        return offset;
    }
}

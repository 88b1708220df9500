package dev.plinth.multipart;

/**
 * The limits a {@link MultipartParser} enforces, each on the byte that passes it. Body sizes are not limited here: the
 * handler counts the bytes it is given. Immutable.
 *
 * <table>
 * <caption>Defaults</caption>
 * <tr><th>limit</th><th>default</th><th>error (413)</th></tr>
 * <tr><td>{@link #maxHeaderBytes}</td><td>8192</td><td>{@code part header block larger than 8192 bytes}</td></tr>
 * <tr><td>{@link #maxHeaderFields}</td><td>32</td><td>{@code more than 32 header fields in a part}</td></tr>
 * <tr><td>{@link #maxParts}</td><td>1000</td><td>{@code more than 1000 parts}</td></tr>
 * </table>
 *
 * @param maxHeaderBytes the largest header block of a part: its header lines with their CRLFs and the empty line
 *        that ends them
 * @param maxHeaderFields the most header fields in one part
 * @param maxParts the most parts in a body
 */
public record MultipartLimits(int maxHeaderBytes, int maxHeaderFields, int maxParts) {

    /** The default {@link #maxHeaderBytes}: 8 KiB. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 8192;
    /** The default {@link #maxHeaderFields}: 32. */
    public static final int DEFAULT_MAX_HEADER_FIELDS = 32;
    /** The default {@link #maxParts}: 1000. */
    public static final int DEFAULT_MAX_PARTS = 1000;

    /** 8 KiB of headers per part, 32 header fields per part, 1000 parts. */
    public static final MultipartLimits DEFAULT =
            new MultipartLimits(DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_HEADER_FIELDS, DEFAULT_MAX_PARTS);

    /** Validates the limits: a part needs at least a Content-Disposition field, so none may be below 1. */
    public MultipartLimits {
        if (maxHeaderBytes < 1 || maxHeaderFields < 1 || maxParts < 1) {
            throw new IllegalArgumentException("limits must be at least 1");
        }
    }
}

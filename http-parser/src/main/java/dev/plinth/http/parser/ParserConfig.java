package dev.plinth.http.parser;

/**
 * Limits and compliance of a {@link RequestParser}. Immutable.
 *
 * @param maxRequestLineLength the longest request line accepted, in bytes without CRLF; longer → 414
 * @param maxHeaderBlockBytes the largest header block (all field lines), in bytes; larger → 431
 * @param maxFieldLineLength the longest single field line, in bytes; longer → 431
 * @param maxHeaderCount the most field lines; more → 431
 * @param maxBodyLength the largest request body, in bytes; larger → 413
 * @param compliance the deviations from RFC 9112 that are tolerated
 */
public record ParserConfig(int maxRequestLineLength, int maxHeaderBlockBytes, int maxFieldLineLength,
        int maxHeaderCount, long maxBodyLength, Compliance compliance) {

    /** 8 KiB request line, 16 KiB header block, 8 KiB field line, 100 fields, 1 GiB body, strict. */
    public static final ParserConfig DEFAULT =
            new ParserConfig(8192, 16384, 8192, 100, 1L << 30, Compliance.STRICT);

    /** Validates the limits. */
    public ParserConfig {
        if (maxRequestLineLength < 16 || maxHeaderBlockBytes < 16 || maxFieldLineLength < 16 || maxHeaderCount < 1
                || maxBodyLength < 0) {
            throw new IllegalArgumentException("limits too small");
        }
        if (compliance == null) {
            throw new IllegalArgumentException("compliance is required");
        }
    }

    /**
     * @param length the new body limit
     * @return a copy with that limit
     */
    public ParserConfig withMaxBodyLength(long length) {
        return new ParserConfig(maxRequestLineLength, maxHeaderBlockBytes, maxFieldLineLength, maxHeaderCount, length,
                compliance);
    }

    /**
     * @param mode the new compliance mode
     * @return a copy with that mode
     */
    public ParserConfig withCompliance(Compliance mode) {
        return new ParserConfig(maxRequestLineLength, maxHeaderBlockBytes, maxFieldLineLength, maxHeaderCount,
                maxBodyLength, mode);
    }
}

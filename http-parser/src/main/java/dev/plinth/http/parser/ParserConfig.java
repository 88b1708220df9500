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
public record ParserConfig(
        int maxRequestLineLength,
        int maxHeaderBlockBytes,
        int maxFieldLineLength,
        int maxHeaderCount,
        long maxBodyLength,
        Compliance compliance) {

    // The defaults, named once: the listener's configuration (metatype) and README.md's table follow these.

    /** The default {@link #maxRequestLineLength}: 8 KiB. */
    public static final int DEFAULT_MAX_REQUEST_LINE_LENGTH = 8192;
    /** The default {@link #maxHeaderBlockBytes}: 16 KiB. */
    public static final int DEFAULT_MAX_HEADER_BLOCK_BYTES = 16384;
    /** The default {@link #maxFieldLineLength}: 8 KiB. */
    public static final int DEFAULT_MAX_FIELD_LINE_LENGTH = 8192;
    /** The default {@link #maxHeaderCount}: 100. */
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;
    /** The default {@link #maxBodyLength}: 1 GiB. */
    public static final long DEFAULT_MAX_BODY_LENGTH = 1L << 30;
    /** The default {@link #compliance}, as {@link Compliance#parse} reads it. */
    public static final String DEFAULT_COMPLIANCE = "STRICT";

    /** 8 KiB request line, 16 KiB header block, 8 KiB field line, 100 fields, 1 GiB body, strict. */
    public static final ParserConfig DEFAULT = new ParserConfig(
            DEFAULT_MAX_REQUEST_LINE_LENGTH,
            DEFAULT_MAX_HEADER_BLOCK_BYTES,
            DEFAULT_MAX_FIELD_LINE_LENGTH,
            DEFAULT_MAX_HEADER_COUNT,
            DEFAULT_MAX_BODY_LENGTH,
            Compliance.parse(DEFAULT_COMPLIANCE));

    /** Validates the limits. */
    public ParserConfig {
        if (maxRequestLineLength < 16
                || maxHeaderBlockBytes < 16
                || maxFieldLineLength < 16
                || maxHeaderCount < 1
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
        return new ParserConfig(
                maxRequestLineLength, maxHeaderBlockBytes, maxFieldLineLength, maxHeaderCount, length, compliance);
    }

    /**
     * @param mode the new compliance mode
     * @return a copy with that mode
     */
    public ParserConfig withCompliance(Compliance mode) {
        return new ParserConfig(
                maxRequestLineLength, maxHeaderBlockBytes, maxFieldLineLength, maxHeaderCount, maxBodyLength, mode);
    }
}

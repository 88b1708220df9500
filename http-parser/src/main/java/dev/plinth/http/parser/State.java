package dev.plinth.http.parser;

/** Where a {@link RequestParser} stands within a request (RFC 9112 §2.1 message grammar). */
enum State {
    /** Before the request line; a few empty lines are ignored here (RFC 9112 §2.2). */
    START,
    /** After the CR of an empty line before the request line. */
    START_LF,
    METHOD,
    TARGET,
    VERSION,
    /** After the CR of the request line. */
    REQUEST_LINE_LF,
    /** At the start of a field line, or of the empty line ending the header or trailer section. */
    FIELD_START,
    FIELD_NAME,
    /** Whitespace after a field name, dropped before its colon: only with {@link Violation#WHITESPACE_BEFORE_COLON}. */
    FIELD_NAME_WS,
    FIELD_VALUE,
    /** After the CR of a field line. */
    FIELD_LF,
    /**
     * After a field line, not reported yet: the next line continues it if it starts with SP or HTAB. Only with
     * {@link Violation#OBS_FOLD}.
     */
    FIELD_NEXT,
    /** The whitespace starting a continuation line, dropped: the fold became one SP. */
    FIELD_FOLD,
    /** After the CR of the empty line ending the header or trailer section. */
    SECTION_LF,
    /** Body of known length. */
    CONTENT,
    /** Hex digits of a chunk size. */
    CHUNK_SIZE,
    /** Whitespace after a chunk size: only ";" may follow (BWS, RFC 9112 §7.1.1). */
    CHUNK_SIZE_BWS,
    /** Chunk extensions, ignored. */
    CHUNK_EXTENSION,
    /** After the CR of a chunk-size line. */
    CHUNK_SIZE_LF,
    CHUNK_DATA,
    /** The CR required after chunk data. */
    CHUNK_DATA_CR,
    /** The LF required after chunk data. */
    CHUNK_DATA_LF,
    /** The message is complete, messageComplete not yet reported. */
    MESSAGE_END,
    /** messageComplete reported; nothing is consumed until reset. */
    COMPLETE,
    /** A parse error was thrown; nothing is consumed until reset. */
    FAILED
}

package dev.plinth.http.parser;

import static dev.plinth.http.parser.Chars.CR;
import static dev.plinth.http.parser.Chars.FIELD_VALUE;
import static dev.plinth.http.parser.Chars.HTAB;
import static dev.plinth.http.parser.Chars.LF;
import static dev.plinth.http.parser.Chars.SP;
import static dev.plinth.http.parser.Chars.TOKEN;
import static dev.plinth.http.parser.Chars.VISIBLE;
import static dev.plinth.http.parser.Chars.hex;
import static dev.plinth.http.parser.Chars.is;
import static dev.plinth.http.parser.Syntax.bad;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Parses requests from bytes in any split: a state machine over the input, reporting to a {@link RequestListener}.
 * Not thread-safe: one parser per connection.
 *
 * <p>Details of the contract:
 * <ul>
 * <li>Every rejection is an {@link HttpParseException} naming the {@link Rule} broken, which gives the status.</li>
 * <li>Up to 8 empty lines before a request line are ignored (RFC 9112 §2.2: a server SHOULD ignore at least one;
 * some clients send a CRLF after a request's body), each ended by CRLF, or by a bare LF where
 * {@link Violation#LF_LINE_ENDINGS} is tolerated. The first byte of a ninth is a 400, as are a CR not followed by
 * LF and any other byte that cannot start a method (SP, HTAB, VT...). Empty lines are not part of a request:
 * nothing is reported for them, the end of input after them is a clean end, and the parser stays
 * {@linkplain #isIdle() idle} after a whole one. The count starts again at each {@link #reset()}.</li>
 * <li>Limits: the request line and each field line are counted without their line ending; the header block (and,
 * separately, the trailer section) counts every field line with its line ending, not the empty line ending the
 * block. A limit is enforced on the byte that passes it, so no input beyond a limit is read.</li>
 * <li>{@link Violation#LF_LINE_ENDINGS} applies to the request line, the header block and the trailer section
 * (with the empty line ending it); a chunk-size line and the end of chunk data need CRLF unless
 * {@link Violation#LF_CHUNK_LINE_ENDINGS}. A bare CR is always a 400.</li>
 * <li>Whitespace that a tolerated violation drops (before a colon, around an obs-fold) counts toward the header
 * block limit, not toward the field line's; the SP replacing an obs-fold counts toward both.</li>
 * <li>A chunk-size line (size and extensions) is at most 1024 bytes, a chunk-size at most
 * 16 hex digits; extensions are ignored. Spaces are accepted only as BWS before {@code ;}.</li>
 * <li>The body limit is checked against Content-Length before {@code headersComplete}, and for a chunked body on each
 * chunk-size line, before that chunk's data.</li>
 * <li>Request target (RFC 9112 §3.2): origin-form; absolute-form with an http or https scheme (any case) and a valid,
 * non-empty authority without userinfo; authority-form {@code host:port} for CONNECT, which requires it; {@code *}
 * for OPTIONS only.</li>
 * <li>Host (RFC 9112 §3.2): required once in HTTP/1.1, at most once in HTTP/1.0; empty or
 * {@code uri-host [":" port]} (reg-name with pct-encoding, IPv6 or IPvFuture literal).</li>
 * <li>Content-Length (RFC 9110 §8.6): differing values are a 400; repeated fields or a list such as {@code 5, 5}
 * with every value the same are a 400 too, unless {@link Violation#MULTIPLE_CONTENT_LENGTHS}; empty list elements
 * are not accepted.</li>
 * <li>Transfer-Encoding (RFC 9112 §6): the final coding must be {@code chunked}, once, without parameters (else
 * 400: {@code xchunked}, {@code chunked, identity}); a coding before it is not implemented (501:
 * {@code gzip, chunked}). Empty list elements are ignored. With Content-Length, or in HTTP/1.0: 400.</li>
 * <li>Framing fields (Host, Content-Length, Transfer-Encoding) in a trailer section are reported, not interpreted.</li>
 * <li>After an error every {@link #parse} call throws the same exception until {@link #reset()}.</li>
 * <li>Memory: lines are gathered in a scratch buffer shared by the parsers of one thread (a selector loop), which
 * grows up to the larger of the request-line and field-line limits; a parser keeps a private copy only of a line
 * still incomplete when {@link #parse} returns. Repeated field values come from a cache shared the same way (at most
 * 2 KiB of values per thread, see {@code FieldCache}). So an idle parser holds no buffer. Content parts are views of
 * the caller's buffer.</li>
 * </ul>
 */
public final class RequestParser {
    /** The longest chunk-size line, extensions included and CRLF excluded; longer is a 400. */
    static final int MAX_CHUNK_LINE_LENGTH = 1024;

    private static final int MAX_CHUNK_SIZE_DIGITS = 16;
    /** The most empty lines ignored before a request line: enough for any client's stray CRLFs, and a bound. */
    static final int MAX_EMPTY_LINES = 8;

    private final ParserConfig config;
    private final RequestListener listener;
    private final boolean lfAllowed;
    /** The tolerated violations other than bare LF, each read once per line or field where it applies. */
    private final boolean lfChunkAllowed;

    private final boolean foldAllowed;
    private final boolean whitespaceBeforeColonAllowed;
    private final int maxLine;
    private final FramingFields framing;
    /** Per thread: parsing is confined to one thread at a time, usually a selector loop serving many parsers. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Values of fields clients repeat; this thread's, set for the duration of {@link #parse}. */
    private FieldCache fieldCache;

    private Scratch scratch;

    private State state = State.START;
    private HttpParseException failure;
    /** Empty lines begun before the request line since the last reset. */
    private int emptyLines;

    /**
     * The current request line or field line, without its line ending: during {@link #parse} the thread's scratch
     * buffer unless a private one was kept; between calls null, or a private copy of an incomplete line.
     */
    private byte[] line;

    private int lineLength;
    /** Request line: index of the SP after the method; field line: index of the colon. */
    private int firstMark;
    /** Request line: index of the SP after the target. */
    private int secondMark;
    /** The minor version of the request being parsed: 0 for HTTP/1.0, 1 for HTTP/1.1 and above. */
    private int minorVersion;

    private boolean trailers;
    private int fieldCount;
    private int sectionBytes;

    /** Bytes left in the Content-Length body or the current chunk. */
    private long remaining;

    private long chunkedLength;
    private long chunkSize;
    private int chunkDigits;
    private int chunkLineLength;

    /**
     * @param config limits and compliance
     * @param listener receives the parts of each request
     */
    public RequestParser(ParserConfig config, RequestListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        Compliance compliance = config.compliance();
        this.lfAllowed = compliance.allows(Violation.LF_LINE_ENDINGS);
        this.lfChunkAllowed = compliance.allows(Violation.LF_CHUNK_LINE_ENDINGS);
        this.foldAllowed = compliance.allows(Violation.OBS_FOLD);
        this.whitespaceBeforeColonAllowed = compliance.allows(Violation.WHITESPACE_BEFORE_COLON);
        this.framing = new FramingFields(compliance);
        this.maxLine = Math.max(config.maxRequestLineLength(), config.maxFieldLineLength());
    }

    /**
     * Consumes bytes from {@code input} (advancing its position) and reports what they complete.
     *
     * @param input bytes received, between position and limit
     * @return true if parsing stopped because the listener asked to pause or the message is complete (input may be
     *         left unread); false if all the input was consumed and more is needed
     * @throws HttpParseException on bad input; the parser is then unusable until {@link #reset()}
     */
    public boolean parse(ByteBuffer input) throws HttpParseException {
        if (state == State.FAILED) {
            throw failure;
        }
        scratch = SCRATCH.get();
        fieldCache = scratch.values;
        if (line == null) {
            line = scratch.line;
        }
        try {
            return parseNext(input);
        } catch (HttpParseException e) {
            state = State.FAILED;
            failure = e;
            throw e;
        } finally {
            detach();
        }
    }

    /** Gives the scratch buffer back, keeping a private copy of a line that is not complete yet. */
    private void detach() {
        if (line == scratch.line) {
            line = lineLength > 0 ? Arrays.copyOf(line, Math.max(lineLength, 64)) : null;
        } else if (lineLength == 0) {
            line = null;
        }
        scratch = null;
        fieldCache = null;
    }

    private boolean parseNext(ByteBuffer input) throws HttpParseException {
        int position = input.position();
        int limit = input.limit();
        // heap buffers are read through their array: no bounds check per byte
        byte[] array = input.hasArray() ? input.array() : null;
        int offset = array != null ? input.arrayOffset() : 0;
        while (true) {
            switch (state) {
                case COMPLETE:
                    input.position(position);
                    return true;
                case MESSAGE_END:
                    input.position(position);
                    state = State.COMPLETE;
                    listener.messageComplete();
                    return true;
                case CONTENT:
                case CHUNK_DATA:
                    if (position == limit) {
                        input.position(position);
                        return false;
                    }
                    int length = (int) Math.min(remaining, limit - position);
                    ByteBuffer part = input.slice(position, length);
                    position += length;
                    input.position(position);
                    remaining -= length;
                    if (remaining == 0) {
                        state = state == State.CONTENT ? State.MESSAGE_END : State.CHUNK_DATA_CR;
                    }
                    if (listener.content(part)) {
                        return true;
                    }
                    break;
                default:
                    position = array != null ? scan(array, offset, position, limit) : scan(input, position, limit);
                    if (position == limit) {
                        input.position(position);
                        return false;
                    }
                    byte b = array != null ? array[offset + position] : input.get(position);
                    position++;
                    if (next(b)) {
                        input.position(position);
                        return true;
                    }
                    break;
            }
        }
    }

    /**
     * How many bytes of the current state a run may take before {@link #next} must see one: the room left under the
     * limits, or 0 in states that are not runs (method, target, version, field name or value).
     */
    private int room() {
        switch (state) {
            case METHOD:
            case TARGET:
                return config.maxRequestLineLength() - lineLength;
            case VERSION:
                // at most the eight bytes of HTTP-version; a ninth goes through next, which rejects it
                return Math.min(config.maxRequestLineLength() - lineLength, secondMark + 9 - lineLength);
            case FIELD_NAME:
            case FIELD_VALUE:
                return Math.min(config.maxFieldLineLength() - lineLength, config.maxHeaderBlockBytes() - sectionBytes);
            default:
                return 0;
        }
    }

    /** The bytes a run of the current state is made of. */
    private int runFlags() {
        switch (state) {
            case METHOD:
            case FIELD_NAME:
                return TOKEN;
            case FIELD_VALUE:
                return FIELD_VALUE;
            default:
                return VISIBLE;
        }
    }

    /**
     * Copies the run of bytes that stay in the current state (method, target, version, field name or value) at once,
     * without going through {@link #next} for each. The run stops before any byte that would pass a limit, so
     * {@link #next} still reports the limit on the byte that passes it.
     *
     * @return the position after the run
     */
    private int scan(ByteBuffer input, int position, int limit) {
        int room = room();
        if (room <= 0) {
            return position;
        }
        int flags = runFlags();
        int max = limit - position < room ? limit : position + room;
        int end = position;
        while (end < max && is(input.get(end), flags)) {
            end++;
        }
        int length = end - position;
        if (length > 0) {
            ensureCapacity(lineLength + length);
            input.get(position, line, lineLength, length);
            took(length);
        }
        return end;
    }

    /** As {@link #scan(ByteBuffer, int, int)}, for a heap buffer: {@code array[offset + position]}. */
    private int scan(byte[] array, int offset, int position, int limit) {
        int room = room();
        if (room <= 0) {
            return position;
        }
        int flags = runFlags();
        int from = offset + position;
        int max = offset + (limit - position < room ? limit : position + room);
        int end = Chars.run(array, from, max, flags);
        int length = end - from;
        if (length > 0) {
            ensureCapacity(lineLength + length);
            System.arraycopy(array, from, line, lineLength, length);
            took(length);
        }
        return end - offset;
    }

    private void took(int length) {
        lineLength += length;
        if (state == State.FIELD_NAME || state == State.FIELD_VALUE) {
            sectionBytes += length;
        }
    }

    /** Consumes one byte of a line. @return true if the listener asked to pause */
    private boolean next(byte b) throws HttpParseException {
        switch (state) {
            case START:
                if (b == CR) {
                    emptyLine();
                    state = State.START_LF;
                } else if (b == LF) {
                    bareLf();
                    emptyLine();
                } else {
                    state = State.METHOD;
                    method(b);
                }
                return false;
            case START_LF:
                lf(b);
                state = State.START;
                return false;
            case METHOD:
                method(b);
                return false;
            case TARGET:
                target(b);
                return false;
            case VERSION:
                version(b);
                return false;
            case REQUEST_LINE_LF:
                lf(b);
                requestLine();
                return false;
            case FIELD_START:
                return fieldStart(b);
            case FIELD_NAME:
                fieldName(b);
                return false;
            case FIELD_NAME_WS:
                fieldNameWhitespace(b);
                return false;
            case FIELD_VALUE:
                fieldValue(b);
                return false;
            case FIELD_LF:
                lf(b);
                sectionByte();
                fieldLineEnd();
                return false;
            case FIELD_NEXT:
                return fieldNext(b);
            case FIELD_FOLD:
                fold(b);
                return false;
            case SECTION_LF:
                lf(b);
                return section();
            case CHUNK_SIZE:
                chunkSize(b);
                return false;
            case CHUNK_SIZE_BWS:
                chunkSizeBws(b);
                return false;
            case CHUNK_EXTENSION:
                chunkExtension(b);
                return false;
            case CHUNK_SIZE_LF:
                if (b != LF) {
                    throw bad(Rule.CHUNK_LINE_NOT_CRLF);
                }
                chunkSizeLine();
                return false;
            case CHUNK_DATA_CR:
                if (b == CR) {
                    state = State.CHUNK_DATA_LF;
                } else if (b == LF && lfChunkAllowed) {
                    startChunk();
                } else {
                    throw bad(Rule.CHUNK_DATA_NOT_CRLF);
                }
                return false;
            case CHUNK_DATA_LF:
                if (b != LF) {
                    throw bad(Rule.CHUNK_DATA_NOT_CRLF);
                }
                startChunk();
                return false;
            default:
                throw new IllegalStateException(state.name());
        }
    }

    /** The LF after a CR; RFC 9112 §2.2: a bare CR is invalid. */
    private static void lf(byte b) throws HttpParseException {
        if (b != LF) {
            throw bad(Rule.BARE_CR);
        }
    }

    /** A LF without CR ending a line; RFC 9112 §2.2: CRLF is required unless LF_LINE_ENDINGS is tolerated. */
    private void bareLf() throws HttpParseException {
        if (!lfAllowed) {
            throw bad(Rule.BARE_LF);
        }
    }

    /** The first byte of an empty line before the request line: rejected if it begins one line too many. */
    private void emptyLine() throws HttpParseException {
        if (emptyLines == MAX_EMPTY_LINES) {
            throw bad(Rule.TOO_MANY_EMPTY_LINES, "more than " + MAX_EMPTY_LINES);
        }
        emptyLines++;
    }

    private void append(byte b) {
        ensureCapacity(lineLength + 1);
        line[lineLength++] = b;
    }

    private void ensureCapacity(int capacity) {
        if (capacity > line.length) {
            boolean shared = line == scratch.line;
            line = Arrays.copyOf(line, Math.min(Math.max(line.length * 2, capacity), maxLine));
            if (shared) {
                scratch.line = line;
            }
        }
    }

    private void appendRequestLine(byte b) throws HttpParseException {
        if (lineLength == config.maxRequestLineLength()) {
            throw bad(Rule.REQUEST_LINE_TOO_LONG, config.maxRequestLineLength() + " bytes");
        }
        append(b);
    }

    /** RFC 9112 §3.1: {@code method = token}, then one SP. */
    private void method(byte b) throws HttpParseException {
        if (is(b, TOKEN)) {
            appendRequestLine(b);
        } else if (b == SP && lineLength > 0) {
            firstMark = lineLength;
            appendRequestLine(b);
            state = State.TARGET;
        } else {
            throw bad(Rule.METHOD_NOT_TOKEN);
        }
    }

    /** RFC 9112 §3.2: the request-target is visible ASCII, followed by one SP. */
    private void target(byte b) throws HttpParseException {
        if (is(b, VISIBLE)) {
            appendRequestLine(b);
        } else if (b == SP) {
            if (lineLength == firstMark + 1) {
                throw bad(Rule.REQUEST_LINE_SP);
            }
            secondMark = lineLength;
            appendRequestLine(b);
            state = State.VERSION;
        } else if (b == CR || b == LF) {
            throw bad(Rule.MISSING_VERSION);
        } else {
            throw bad(Rule.TARGET_NOT_VISIBLE);
        }
    }

    /** RFC 9112 §2.3: eight visible bytes, checked whole at the end of the line. */
    private void version(byte b) throws HttpParseException {
        if (b == CR) {
            state = State.REQUEST_LINE_LF;
        } else if (b == LF) {
            bareLf();
            requestLine();
        } else if (is(b, VISIBLE) && lineLength - secondMark <= 8) {
            appendRequestLine(b);
        } else if (b == SP) {
            throw bad(Rule.REQUEST_LINE_SP);
        } else {
            throw bad(Rule.MALFORMED_VERSION);
        }
    }

    private void requestLine() throws HttpParseException {
        minorVersion = Syntax.minorVersion(line, secondMark + 1, lineLength);
        String method = Syntax.method(line, firstMark);
        Syntax.target(method, line, firstMark + 1, secondMark);
        String target = new String(line, firstMark + 1, secondMark - firstMark - 1, StandardCharsets.ISO_8859_1);
        lineLength = 0;
        state = State.FIELD_START;
        listener.requestLine(method, target, minorVersion);
    }

    /** A field line, or the empty line that ends the section (RFC 9112 §5). */
    private boolean fieldStart(byte b) throws HttpParseException {
        if (b == CR) {
            state = State.SECTION_LF;
            return false;
        }
        if (b == LF) {
            bareLf();
            return section();
        }
        if (b == SP || b == HTAB) {
            throw bad(fieldCount == 0 && !trailers ? Rule.WHITESPACE_BEFORE_FIRST_FIELD : Rule.OBS_FOLD);
        }
        if (!is(b, TOKEN)) {
            throw bad(b == ':' ? Rule.EMPTY_FIELD_NAME : Rule.FIELD_NAME_NOT_TOKEN);
        }
        if (fieldCount == config.maxHeaderCount()) {
            throw bad(Rule.TOO_MANY_FIELDS, "more than " + config.maxHeaderCount());
        }
        fieldCount++;
        appendField(b);
        state = State.FIELD_NAME;
        return false;
    }

    /** RFC 9112 §5.1: {@code field-name ":"}, no whitespace before the colon. */
    private void fieldName(byte b) throws HttpParseException {
        if (is(b, TOKEN)) {
            appendField(b);
        } else if (b == ':') {
            colon(b);
        } else if (b == SP || b == HTAB) {
            if (!whitespaceBeforeColonAllowed) {
                throw bad(Rule.WHITESPACE_BEFORE_COLON);
            }
            sectionByte();
            state = State.FIELD_NAME_WS;
        } else if (b == CR || b == LF) {
            throw bad(Rule.FIELD_WITHOUT_COLON);
        } else {
            throw bad(Rule.FIELD_NAME_NOT_TOKEN);
        }
    }

    private void colon(byte b) throws HttpParseException {
        firstMark = lineLength;
        appendField(b);
        state = State.FIELD_VALUE;
    }

    /**
     * {@link Violation#WHITESPACE_BEFORE_COLON}: whitespace after the name is dropped (counted in the section, not
     * kept in the line), and only a colon may follow it.
     */
    private void fieldNameWhitespace(byte b) throws HttpParseException {
        if (b == ':') {
            colon(b);
        } else if (b == SP || b == HTAB) {
            sectionByte();
        } else if (b == CR || b == LF) {
            throw bad(Rule.FIELD_WITHOUT_COLON);
        } else {
            throw bad(Rule.FIELD_NAME_NOT_TOKEN);
        }
    }

    /** RFC 9110 §5.5: VCHAR, obs-text, SP, HTAB; no other control. */
    private void fieldValue(byte b) throws HttpParseException {
        if (is(b, FIELD_VALUE)) {
            appendField(b);
        } else if (b == CR) {
            sectionByte();
            state = State.FIELD_LF;
        } else if (b == LF) {
            bareLf();
            sectionByte();
            fieldLineEnd();
        } else {
            throw bad(Rule.FIELD_VALUE_CONTROL);
        }
    }

    /** The end of a field line: the field is complete, unless obs-fold is tolerated and the next line continues it. */
    private void fieldLineEnd() throws HttpParseException {
        if (foldAllowed) {
            state = State.FIELD_NEXT;
        } else {
            field();
        }
    }

    /**
     * {@link Violation#OBS_FOLD}: the first byte of the line after a field line. SP or HTAB continues the field: the
     * whitespace before the fold and the fold become one SP (RFC 9112 §5.2), the whitespace after it is dropped.
     * Anything else completes the field and starts the next line.
     */
    private boolean fieldNext(byte b) throws HttpParseException {
        if (b == SP || b == HTAB) {
            lineLength = Chars.trimWhitespace(line, firstMark + 1, lineLength);
            appendField(SP);
            state = State.FIELD_FOLD;
            return false;
        }
        field();
        return fieldStart(b);
    }

    /** The whitespace starting a continuation line: dropped, but counted in the section. */
    private void fold(byte b) throws HttpParseException {
        if (b == SP || b == HTAB) {
            sectionByte();
        } else {
            state = State.FIELD_VALUE;
            fieldValue(b);
        }
    }

    private void appendField(byte b) throws HttpParseException {
        if (lineLength == config.maxFieldLineLength()) {
            throw bad(Rule.FIELD_LINE_TOO_LONG, config.maxFieldLineLength() + " bytes");
        }
        sectionByte();
        append(b);
    }

    private void sectionByte() throws HttpParseException {
        if (sectionBytes == config.maxHeaderBlockBytes()) {
            throw bad(Rule.FIELD_SECTION_TOO_LARGE, config.maxHeaderBlockBytes() + " bytes");
        }
        sectionBytes++;
    }

    private void field() throws HttpParseException {
        int valueStart = Chars.skipWhitespace(line, firstMark + 1, lineLength);
        int valueEnd = Chars.trimWhitespace(line, valueStart, lineLength);
        int known = FieldCache.name(line, firstMark);
        String name = FieldCache.nameString(line, firstMark, known);
        String value = fieldCache.value(known, line, valueStart, valueEnd);
        lineLength = 0;
        state = State.FIELD_START;
        if (trailers) {
            listener.trailer(name, value);
        } else {
            framing.field(line, firstMark, valueStart, valueEnd);
            listener.header(name, value);
        }
    }

    /** The empty line ending the header block or the trailer section. @return true to pause */
    private boolean section() throws HttpParseException {
        if (trailers) {
            state = State.MESSAGE_END;
            return false;
        }
        long length = framing.complete(minorVersion, config.maxBodyLength());
        if (length < 0) {
            startChunk();
        } else if (length > 0) {
            remaining = length;
            state = State.CONTENT;
        } else {
            state = State.MESSAGE_END;
        }
        return listener.headersComplete(length);
    }

    private void startChunk() {
        chunkSize = 0;
        chunkDigits = 0;
        chunkLineLength = 0;
        state = State.CHUNK_SIZE;
    }

    private void chunkLineByte() throws HttpParseException {
        if (++chunkLineLength > MAX_CHUNK_LINE_LENGTH) {
            throw bad(Rule.CHUNK_LINE_TOO_LONG, MAX_CHUNK_LINE_LENGTH + " bytes");
        }
    }

    /** RFC 9112 §7.1: {@code chunk-size = 1*HEXDIG}, at most 16 digits, no overflow. */
    private void chunkSize(byte b) throws HttpParseException {
        int digit = hex(b);
        if (digit >= 0) {
            if (++chunkDigits > MAX_CHUNK_SIZE_DIGITS || chunkSize > Long.MAX_VALUE >> 4) {
                throw bad(Rule.CHUNK_SIZE_OVERFLOW);
            }
            chunkLineByte();
            chunkSize = chunkSize << 4 | digit;
        } else if (chunkDigits == 0) {
            throw bad(Rule.CHUNK_SIZE_NOT_HEX);
        } else if (b == CR) {
            state = State.CHUNK_SIZE_LF;
        } else if (b == LF) {
            chunkLineBareLf();
        } else if (b == ';') {
            chunkLineByte();
            state = State.CHUNK_EXTENSION;
        } else if (b == SP || b == HTAB) {
            chunkLineByte();
            state = State.CHUNK_SIZE_BWS;
        } else {
            throw bad(Rule.CHUNK_SIZE_NOT_HEX);
        }
    }

    /** RFC 9112 §7.1.1: whitespace after the size is BWS before a chunk extension, nothing else. */
    private void chunkSizeBws(byte b) throws HttpParseException {
        if (b == ';') {
            state = State.CHUNK_EXTENSION;
        } else if (b != SP && b != HTAB) {
            throw bad(Rule.CHUNK_SIZE_WHITESPACE);
        }
        chunkLineByte();
    }

    /** RFC 9112 §7.1.1: chunk extensions are ignored; their bytes must still be field-value bytes. */
    private void chunkExtension(byte b) throws HttpParseException {
        if (b == CR) {
            state = State.CHUNK_SIZE_LF;
        } else if (b == LF) {
            chunkLineBareLf();
        } else if (is(b, FIELD_VALUE)) {
            chunkLineByte();
        } else {
            throw bad(Rule.CHUNK_EXTENSION_CONTROL);
        }
    }

    /** A chunk-size line ended by a bare LF: RFC 9112 §7.1 requires CRLF unless LF_CHUNK_LINE_ENDINGS is tolerated. */
    private void chunkLineBareLf() throws HttpParseException {
        if (!lfChunkAllowed) {
            throw bad(Rule.CHUNK_LINE_NOT_CRLF);
        }
        chunkSizeLine();
    }

    /** The end of a chunk-size line: data follows, or, for the last chunk, the trailer section. */
    private void chunkSizeLine() throws HttpParseException {
        if (chunkSize == 0) {
            trailers = true;
            fieldCount = 0;
            sectionBytes = 0;
            state = State.FIELD_START;
            return;
        }
        if (chunkSize > config.maxBodyLength() - chunkedLength) {
            throw bad(Rule.CHUNKED_BODY_TOO_LARGE);
        }
        chunkedLength += chunkSize;
        remaining = chunkSize;
        state = State.CHUNK_DATA;
    }

    /**
     * The peer closed its side.
     *
     * @throws HttpParseException {@link Rule#INCOMPLETE_REQUEST} if a request was partly received
     */
    public void endOfInput() throws HttpParseException {
        switch (state) {
            // before a request line nothing is owed, even after empty lines (the last perhaps without its LF)
            case START:
            case START_LF:
            case MESSAGE_END:
            case COMPLETE:
            case FAILED:
                return;
            default:
                failure = bad(Rule.INCOMPLETE_REQUEST);
                state = State.FAILED;
                throw failure;
        }
    }

    /** Makes the parser ready for the next request on the same connection. */
    public void reset() {
        state = State.START;
        failure = null;
        emptyLines = 0;
        lineLength = 0;
        line = null;
        trailers = false;
        fieldCount = 0;
        sectionBytes = 0;
        remaining = 0;
        chunkedLength = 0;
        framing.reset();
    }

    /**
     * Whether no request has begun since construction or the last {@link #reset()}. Whole empty lines before the
     * request line (at most 8, see the class comment) leave the parser idle: they are not part of a request. A
     * connection uses this to choose between waiting for a request to begin (its idle timeout, which empty lines do
     * not renew) and for a head to be complete (its head deadline, from the first byte of the request line or of a
     * line in progress). So a client that sends a CRLF after its request and goes quiet is closed quietly when idle,
     * never sent an unasked-for 408, and empty lines cannot keep a connection open beyond its idle timeout.
     *
     * @return true if nothing but whole empty lines has been consumed since construction or the last
     *         {@link #reset()}
     */
    public boolean isIdle() {
        return state == State.START;
    }

    /** @return true after {@link RequestListener#messageComplete()} until {@link #reset()} */
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    /** What the parsers of one thread share. */
    private static final class Scratch {
        byte[] line = new byte[256];
        final FieldCache values = new FieldCache();
    }
}

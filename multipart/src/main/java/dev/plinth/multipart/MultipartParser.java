package dev.plinth.multipart;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Parses a {@code multipart/form-data} body (RFC 7578; framing of RFC 2046 §5.1.1) from bytes in any split: a state
 * machine over the input, reporting to a {@link MultipartListener} as it goes. Not thread-safe: one parser per body.
 *
 * <p>Details of the contract:
 * <ul>
 * <li>A delimiter is CRLF {@code --} boundary; the first may also open the body, without a CRLF. Bytes before it
 * (the preamble) and after the close delimiter line (the epilogue) are ignored.</li>
 * <li>After a delimiter: {@code --} for the close delimiter, then transport padding (SP and HTAB) and CRLF or the end
 * of the body; anything else is an error. A boundary inside a part's data is data unless CRLF {@code --} precedes
 * it; a prefix of a delimiter followed by anything else is data too; CRLF in data is data.</li>
 * <li>A body with no part, only the close delimiter (what browsers send for a form with nothing to send), is
 * accepted. An empty part body is legal.</li>
 * <li>Part headers are strict, as RFC 9112 §5 for HTTP's own: lines end with CRLF (a bare LF or bare CR is an
 * error), a field name is a token directly followed by a colon, no obs-fold, no control character but HTAB in a
 * value (NUL and CR included). {@link PartHead} lists what is required of Content-Disposition. A part of type
 * {@code multipart/mixed} (RFC 7578 §4.3, obsolete) is not opened: its body is data.</li>
 * <li>Limits ({@link MultipartLimits}) are enforced on the byte that passes them: the part header block, counting
 * every byte from the part's first header byte to the end of the empty line ending the block; the header fields per
 * part, on the first byte of the field too many; the parts, on the LF ending the delimiter line of the part too
 * many.</li>
 * <li>Memory: {@link #feed} consumes all its input. Part data is handed on as views of the input, except the last
 * few bytes of an input that might begin a delimiter (at most its length, 74 bytes), which are held back until the
 * next input decides; since they can only be a prefix of the delimiter, the parser keeps a count, not a copy. Part
 * headers are kept up to {@link MultipartLimits#maxHeaderBytes}.</li>
 * <li>After a {@link MultipartException}, or an exception from the listener, the parser is done: {@link #feed} and
 * {@link #end} throw {@link IllegalStateException}, as they do after a successful {@code end}, or when called from
 * the listener.</li>
 * </ul>
 */
public final class MultipartParser {
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    /** Where the parser is; each state says what it waits for. */
    private enum State {
        /** Before the first delimiter: bytes are looked through, and dropped. */
        PREAMBLE,
        /** Just after a delimiter's boundary: {@code --}, padding or CRLF. */
        AFTER_BOUNDARY,
        /** After the first {@code -} of a close delimiter's {@code --}. */
        CLOSE_DASH,
        /** In the transport padding of a delimiter line. */
        PADDING,
        /** After the CR ending a delimiter line. */
        DELIMITER_CR,
        /** At the start of a header line, or of the empty line ending the block. */
        HEADER_LINE_START,
        HEADER_NAME,
        HEADER_VALUE,
        /** After the CR ending a header line. */
        HEADER_CR,
        /** After the CR of the empty line ending the header block. */
        HEADERS_END_CR,
        /** In a part's body: bytes are data, up to the next delimiter. */
        BODY,
        /** After a close delimiter's {@code --}, in its transport padding. */
        CLOSE_PADDING,
        /** After the CR ending the close delimiter line. */
        CLOSE_CR,
        /** After the close delimiter line: bytes are dropped. */
        EPILOGUE,
        ENDED,
        FAILED
    }

    private final MultipartLimits limits;
    private final MultipartListener listener;
    private final byte[] delimiter;
    /** The delimiter, read-only: held-back bytes are handed on as slices of it. */
    private final ByteBuffer delimiterView;

    private State state = State.PREAMBLE;
    /**
     * How many bytes of the delimiter the latest bytes match. At the start, two: as if after a CRLF, so that the first
     * delimiter may open the body without one.
     */
    private int matched = 2;
    /** How many of the matched bytes came before the current input (the two at the start are such, and never data). */
    private int carried = 2;
    /** The body bytes of earlier inputs, for the offsets of errors. */
    private long consumed;

    private int parts;
    private int headerBytes;
    private final List<PartHead.Field> fields = new ArrayList<>();
    /** The current header line (name, colon, value), grown as needed up to the header block limit. */
    private byte[] line = new byte[64];

    private int lineLength;
    private int colon;
    private boolean inCall;

    /**
     * @param boundary the body's boundary, usually {@link Boundary#fromContentType} of the request's Content-Type
     * @param limits the limits to enforce
     * @param listener where the parts go
     */
    public MultipartParser(Boundary boundary, MultipartLimits limits, MultipartListener listener) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.delimiter = boundary.delimiter();
        this.delimiterView = ByteBuffer.wrap(delimiter).asReadOnlyBuffer();
    }

    /**
     * Parses the next bytes of the body, all of them, reporting to the listener as it goes. Leaves {@code input}'s
     * position at its limit; its content is not changed.
     *
     * @param input the bytes, from position to limit; any number, split anywhere
     * @throws MultipartException if the bytes are not a valid continuation of the body: the parser is then done
     * @throws IllegalStateException if the parser is done (failed or ended), or called from its listener
     */
    public void feed(ByteBuffer input) throws MultipartException {
        enter();
        try {
            int start = input.position();
            int limit = input.limit();
            int p = start;
            while (p < limit) {
                if (state == State.BODY || state == State.PREAMBLE) {
                    p = scan(input, p, limit);
                } else if (state == State.EPILOGUE) {
                    p = limit;
                } else {
                    step(input.get(p), consumed + p - start);
                    p++;
                }
            }
            input.position(limit);
            consumed += limit - start;
        } catch (MultipartException | RuntimeException | Error e) {
            state = State.FAILED;
            throw e;
        } finally {
            inCall = false;
        }
    }

    /**
     * Ends the body. Calls {@link MultipartListener#complete} if the body ended with the close delimiter line
     * (without its CRLF).
     *
     * @throws MultipartException {@code body ended before the close delimiter} if the close delimiter line has not
     *         been seen whole
     * @throws IllegalStateException if the parser is done (failed or ended), or called from its listener
     */
    public void end() throws MultipartException {
        enter();
        try {
            if (state == State.CLOSE_PADDING) {
                state = State.ENDED;
                listener.complete();
            } else if (state == State.EPILOGUE) {
                state = State.ENDED;
            } else {
                throw MultipartException.malformed("body ended before the close delimiter", consumed);
            }
        } catch (MultipartException | RuntimeException | Error e) {
            state = State.FAILED;
            throw e;
        } finally {
            inCall = false;
        }
    }

    /**
     * @return the bytes the parser holds for its next input, for tests: the delimiter bytes it has matched so far
     *     (as a count; at most the delimiter's length) and, while in part headers, those read so far (at most the
     *     header block limit)
     */
    int held() {
        return carried + (isHeaderState() ? headerBytes : 0);
    }

    /** @return the capacity of the header line buffer, for tests (at most the header block limit, or 64) */
    int lineCapacity() {
        return line.length;
    }

    private boolean isHeaderState() {
        return state.compareTo(State.HEADER_LINE_START) >= 0 && state.compareTo(State.HEADERS_END_CR) <= 0;
    }

    private void enter() {
        if (inCall) {
            throw new IllegalStateException("multipart parser called from its own listener");
        }
        if (state == State.FAILED) {
            throw new IllegalStateException("multipart parser failed: it takes no more input");
        }
        if (state == State.ENDED) {
            throw new IllegalStateException("multipart parser ended: it takes no more input");
        }
        inCall = true;
    }

    /**
     * Looks for the delimiter from {@code from}; in a part's body, hands on the bytes that cannot be part of it.
     *
     * @return where it stopped: after a delimiter's boundary, or at the limit
     */
    private int scan(ByteBuffer in, int from, int limit) {
        boolean body = state == State.BODY;
        int i = from;
        while (i < limit) {
            if (matched == 0) {
                i = indexOfCr(in, i, limit);
                if (i == limit) {
                    break;
                }
                matched = 1;
                i++;
                continue;
            }
            byte c = in.get(i++);
            if (c == delimiter[matched]) {
                if (++matched == delimiter.length) {
                    if (body) {
                        data(in, from, i - (matched - carried));
                    }
                    matched = 0;
                    carried = 0;
                    state = State.AFTER_BOUNDARY;
                    if (body) {
                        listener.partEnd();
                    }
                    return i;
                }
            } else {
                // Only the delimiter's first byte is CR (a boundary has none), so no suffix of the bytes matched
                // begins another match but this CR: every byte held back is data. Those from earlier inputs go
                // first; those of this input, from `from` on, go with the rest of it.
                if (body && carried > 0) {
                    listener.data(delimiterView.slice(0, carried));
                }
                carried = 0;
                matched = c == CR ? 1 : 0;
            }
        }
        if (body) {
            data(in, from, limit - (matched - carried));
        }
        carried = matched;
        return limit;
    }

    private static int indexOfCr(ByteBuffer in, int from, int limit) {
        if (in.hasArray()) {
            byte[] a = in.array();
            int offset = in.arrayOffset();
            for (int i = from + offset, end = limit + offset; i < end; i++) {
                if (a[i] == CR) {
                    return i - offset;
                }
            }
            return limit;
        }
        for (int i = from; i < limit; i++) {
            if (in.get(i) == CR) {
                return i;
            }
        }
        return limit;
    }

    private void data(ByteBuffer in, int from, int to) {
        if (to > from) {
            listener.data(in.slice(from, to - from).asReadOnlyBuffer());
        }
    }

    /** One byte of a delimiter line or of part headers. */
    private void step(byte b, long at) throws MultipartException {
        switch (state) {
            case AFTER_BOUNDARY:
                if (b == '-') {
                    state = State.CLOSE_DASH;
                } else {
                    padding(b, at, State.PADDING, State.DELIMITER_CR, "delimiter");
                }
                break;
            case CLOSE_DASH:
                if (b != '-') {
                    throw MultipartException.malformed(
                            "delimiter followed by '-' and " + Bytes.describe(b & 0xFF) + " instead of CRLF", at);
                }
                state = State.CLOSE_PADDING;
                break;
            case PADDING:
                padding(b, at, State.PADDING, State.DELIMITER_CR, "delimiter");
                break;
            case DELIMITER_CR:
                lineFeed(b, at, "bare CR after a delimiter");
                startPart(at);
                break;
            case CLOSE_PADDING:
                padding(b, at, State.CLOSE_PADDING, State.CLOSE_CR, "close delimiter");
                break;
            case CLOSE_CR:
                lineFeed(b, at, "bare CR after the close delimiter");
                state = State.EPILOGUE;
                listener.complete();
                break;
            default:
                header(b, at);
        }
    }

    /** Transport padding (RFC 2046 §5.1.1: LWSP, so SP and HTAB), then CR. */
    private void padding(byte b, long at, State padding, State cr, String what) throws MultipartException {
        if (b == ' ' || b == '\t') {
            state = padding;
        } else if (b == CR) {
            state = cr;
        } else if (b == LF) {
            throw MultipartException.malformed("bare LF after a " + what, at);
        } else {
            throw MultipartException.malformed(
                    what + " followed by " + Bytes.describe(b & 0xFF) + " instead of CRLF", at);
        }
    }

    private static void lineFeed(byte b, long at, String message) throws MultipartException {
        if (b != LF) {
            throw MultipartException.malformed(message, at);
        }
    }

    private void startPart(long at) throws MultipartException {
        if (parts == limits.maxParts()) {
            throw new MultipartException(
                    "more than " + limits.maxParts() + " parts", MultipartException.CONTENT_TOO_LARGE, at);
        }
        parts++;
        headerBytes = 0;
        fields.clear();
        state = State.HEADER_LINE_START;
    }

    /** One byte of a part's header block. */
    private void header(byte b, long at) throws MultipartException {
        if (++headerBytes > limits.maxHeaderBytes()) {
            throw new MultipartException(
                    "part header block larger than " + limits.maxHeaderBytes() + " bytes",
                    MultipartException.CONTENT_TOO_LARGE,
                    at);
        }
        switch (state) {
            case HEADER_LINE_START:
                lineStart(b, at);
                break;
            case HEADER_NAME:
                if (HeaderValue.tchar(b & 0xFF)) {
                    append(b);
                } else if (b == ':') {
                    colon = lineLength;
                    state = State.HEADER_VALUE;
                } else if (b == ' ' || b == '\t') {
                    throw MultipartException.malformed("whitespace in a part header name", at);
                } else if (b == CR || b == LF) {
                    throw MultipartException.malformed("part header line without colon", at);
                } else {
                    throw invalidNameCharacter(b, at);
                }
                break;
            case HEADER_VALUE:
                if (b == CR) {
                    state = State.HEADER_CR;
                } else if (b == LF) {
                    throw MultipartException.malformed("bare LF in part headers", at);
                } else if ((b >= 0 && b < ' ' && b != '\t') || b == 0x7F) {
                    throw MultipartException.malformed(
                            "control character " + Bytes.describe(b) + " in part header value", at);
                } else {
                    append(b);
                }
                break;
            case HEADER_CR:
                lineFeed(b, at, "bare CR in part headers");
                addField();
                state = State.HEADER_LINE_START;
                break;
            default: // HEADERS_END_CR
                lineFeed(b, at, "bare CR in part headers");
                PartHead head = PartHead.of(fields, at);
                fields.clear();
                state = State.BODY;
                listener.part(head);
        }
    }

    private void lineStart(byte b, long at) throws MultipartException {
        if (b == CR) {
            state = State.HEADERS_END_CR;
        } else if (HeaderValue.tchar(b & 0xFF)) {
            if (fields.size() == limits.maxHeaderFields()) {
                throw new MultipartException(
                        "more than " + limits.maxHeaderFields() + " header fields in a part",
                        MultipartException.CONTENT_TOO_LARGE,
                        at);
            }
            lineLength = 0;
            append(b);
            state = State.HEADER_NAME;
        } else if (b == ' ' || b == '\t') {
            throw MultipartException.malformed(
                    fields.isEmpty() ? "whitespace before the first part header" : "obs-fold in part headers", at);
        } else if (b == LF) {
            throw MultipartException.malformed("bare LF in part headers", at);
        } else if (b == ':') {
            throw MultipartException.malformed("empty part header name", at);
        } else {
            throw invalidNameCharacter(b, at);
        }
    }

    private static MultipartException invalidNameCharacter(byte b, long at) {
        return MultipartException.malformed(
                "invalid character " + Bytes.describe(b & 0xFF) + " in part header name", at);
    }

    private void append(byte b) {
        if (lineLength == line.length) {
            // a line is shorter than the header block, which the limit bounds
            line = Arrays.copyOf(line, Math.min(2 * line.length, limits.maxHeaderBytes()));
        }
        line[lineLength++] = b;
    }

    /** The line is {@code name ":" OWS value OWS}; the value is kept without its OWS. */
    private void addField() {
        int from = colon;
        int to = lineLength;
        while (from < to && (line[from] == ' ' || line[from] == '\t')) {
            from++;
        }
        while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
            to--;
        }
        fields.add(new PartHead.Field(
                new String(line, 0, colon, StandardCharsets.ISO_8859_1),
                new String(line, from, to - from, StandardCharsets.ISO_8859_1)));
    }
}

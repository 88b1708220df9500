package dev.plinth.handlers.stream.channels;

/**
 * Writes the {@code text/event-stream} format (WHATWG HTML, "Server-sent events", §9.2.5 and §9.2.6): each method
 * returns complete lines ending in LF, to be sent as UTF-8.
 *
 * <ul>
 * <li>an event is its fields, then a blank line: {@code event: <type>} (omitted for the default type
 *     {@code message}), {@code id: <id>}, then one {@code data: <line>} per line of its data, whose line breaks may
 *     be CR, LF or CRLF (each a break, as a client reads them), then the blank line that dispatches it;</li>
 * <li>{@code retry: <ms>} tells the client how long to wait before reconnecting;</li>
 * <li>a comment is a line starting with a colon, which clients ignore: heartbeats and notes to humans.</li>
 * </ul>
 *
 * <p>A value written after a field name is preceded by one space, which the client strips; so a value's own leading
 * spaces survive. A line break inside an event type or an id would end the field and start another one (a client
 * would read {@code "x\ndata: forged"} as a field {@code data}): the strict methods refuse such values with
 * {@link IllegalArgumentException}, and {@link #neutralise} replaces the characters for values that come from
 * elsewhere. NUL is refused in ids too, as clients ignore an id that holds one.
 */
final class SseEncoder {

    /** What {@link #neutralise} puts in place of a CR, LF or NUL. */
    static final char REPLACEMENT = '\uFFFD';

    private SseEncoder() {}

    /**
     * @param type the event type, or null or empty for the default type ({@code message})
     * @param id the event id, or null for none (the client's last event id stays as it was)
     * @param data the data, any text; its line breaks become separate {@code data:} lines
     * @return the event's lines and the blank line that ends it
     * @throws IllegalArgumentException if the type or the id contains CR or LF, or the id NUL
     */
    static String event(String type, String id, String data) {
        StringBuilder out = new StringBuilder(data.length() + 32);
        if (type != null && !type.isEmpty()) {
            out.append("event: ").append(checked("event type", type, false)).append('\n');
        }
        if (id != null) {
            out.append("id: ").append(checked("id", id, true)).append('\n');
        }
        appendLines(out, "data: ", data);
        return out.append('\n').toString();
    }

    /**
     * @param text any text; each of its lines becomes a comment line, so none can become a field
     * @return the comment lines
     */
    static String comment(String text) {
        StringBuilder out = new StringBuilder(text.length() + 4);
        appendLines(out, ": ", text);
        return out.toString();
    }

    /**
     * @param millis the reconnection time the client should use, at least 0
     * @return the {@code retry} line
     */
    static String retry(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("retry must not be negative: " + millis);
        }
        return "retry: " + millis + "\n";
    }

    /**
     * @param value any text, maybe null
     * @return the text with every CR, LF and NUL replaced by {@value #REPLACEMENT}, so that it is safe as an event
     *     type or id; null stays null
     */
    static String neutralise(String value) {
        if (value == null || !hasBreak(value, true)) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(c == '\r' || c == '\n' || c == '\0' ? REPLACEMENT : c);
        }
        return out.toString();
    }

    private static String checked(String what, String value, boolean nul) {
        if (hasBreak(value, nul)) {
            throw new IllegalArgumentException(
                    "an SSE " + what + " must not contain CR, LF" + (nul ? " or NUL" : "") + ": " + value.strip());
        }
        return value;
    }

    private static boolean hasBreak(String value, boolean nul) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || (nul && c == '\0')) {
                return true;
            }
        }
        return false;
    }

    /** Appends one line per line of {@code text} (breaks: CRLF, CR, LF), each after {@code prefix}, ending in LF. */
    private static void appendLines(StringBuilder out, String prefix, String text) {
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                out.append(prefix).append(text, start, i).append('\n');
                i += c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        out.append(prefix).append(text, start, text.length()).append('\n');
    }
}

package dev.plinth.http.parser;

import java.nio.ByteBuffer;

/**
 * Parses requests from bytes in any split: a state machine over the input, reporting to a {@link RequestListener}.
 * Not thread-safe: one parser per connection.
 */
public final class RequestParser {

    /**
     * @param config limits and compliance
     * @param listener receives the parts of each request
     */
    public RequestParser(ParserConfig config, RequestListener listener) {
        throw new UnsupportedOperationException("TODO");
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
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * The peer closed its side.
     *
     * @throws HttpParseException (400, close) if a request was partly received
     */
    public void endOfInput() throws HttpParseException {
        throw new UnsupportedOperationException("TODO");
    }

    /** Makes the parser ready for the next request on the same connection. */
    public void reset() {
        throw new UnsupportedOperationException("TODO");
    }

    /** @return true if no byte of a request has been consumed since construction or the last {@link #reset()} */
    public boolean isIdle() {
        throw new UnsupportedOperationException("TODO");
    }

    /** @return true after {@link RequestListener#messageComplete()} until {@link #reset()} */
    public boolean isComplete() {
        throw new UnsupportedOperationException("TODO");
    }
}

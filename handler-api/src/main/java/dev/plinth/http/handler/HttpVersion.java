package dev.plinth.http.handler;

/**
 * The HTTP versions a request can carry. A request sent as HTTP/1.2 or any higher minor version of 1 is
 * processed as {@link #HTTP_1_1} (RFC 9110 §2.5).
 */
public enum HttpVersion {
    /** HTTP/1.0: no chunked encoding; persistent only on request. */
    HTTP_1_0("HTTP/1.0"),
    /** HTTP/1.1: persistent by default; chunked encoding allowed. */
    HTTP_1_1("HTTP/1.1");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    /** @return the protocol token as it appears on the wire, for example {@code HTTP/1.1} */
    @Override
    public String toString() {
        return text;
    }
}

package dev.plinth.http.parser;

/**
 * A named deviation from RFC 9112/9110 that a {@link Compliance} mode may tolerate. Each carries the rule it bends.
 */
public enum Violation {
    /** Accept a bare LF as a line terminator in the request line and header block. */
    LF_LINE_ENDINGS("RFC 9112 §2.2", "a bare LF ends a line");

    private final String reference;
    private final String description;

    Violation(String reference, String description) {
        this.reference = reference;
        this.description = description;
    }

    /** @return the section of the RFC this deviation bends, such as {@code RFC 9112 §2.2} */
    public String reference() {
        return reference;
    }

    /** @return what the deviation tolerates */
    public String description() {
        return description;
    }
}

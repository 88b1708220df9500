package dev.plinth.http.parser;

/**
 * Bad input: the {@link Rule} it broke, which gives the status to answer with. The connection cannot be reused after
 * it: the parser cannot tell where the next request would start.
 */
public final class HttpParseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Rule rule;
    private final String reason;

    /**
     * @param rule the rule broken
     */
    public HttpParseException(Rule rule) {
        this(rule, null);
    }

    /**
     * @param rule the rule broken
     * @param detail what the input exceeded or how, such as {@code "8192 bytes"}; null for none
     */
    public HttpParseException(Rule rule, String detail) {
        super(rule.status() + " " + reason(rule, detail));
        this.rule = rule;
        this.reason = reason(rule, detail);
    }

    private static String reason(Rule rule, String detail) {
        return rule.reference() + ": " + rule.message() + (detail == null ? "" : " (" + detail + ")");
    }

    /** @return the status to answer with, the rule's */
    public int status() {
        return rule.status();
    }

    /** @return the rule broken */
    public Rule rule() {
        return rule;
    }

    /**
     * @return the rule broken as text for the client, with its RFC reference and any detail, such as
     *         {@code "RFC 9112 §3: request line longer than the limit (8192 bytes)"}
     */
    public String reason() {
        return reason;
    }
}

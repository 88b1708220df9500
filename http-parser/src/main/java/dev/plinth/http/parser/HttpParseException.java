package dev.plinth.http.parser;

/**
 * Bad input: which status answers it, which rule it broke, and whether the connection must close.
 */
public final class HttpParseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String rule;
    private final boolean closeConnection;

    /**
     * @param status the status to answer with, such as 400, 413, 414, 431, 505
     * @param rule the rule broken, with its RFC section, such as {@code "RFC 9112 §6.3: Content-Length with Transfer-Encoding"}
     * @param closeConnection whether the connection cannot be reused after this
     */
    public HttpParseException(int status, String rule, boolean closeConnection) {
        super(status + " " + rule);
        this.status = status;
        this.rule = rule;
        this.closeConnection = closeConnection;
    }

    /** @return the status to answer with */
    public int status() {
        return status;
    }

    /** @return the rule broken, with its RFC reference */
    public String rule() {
        return rule;
    }

    /** @return whether the connection must be closed after answering */
    public boolean closeConnection() {
        return closeConnection;
    }
}

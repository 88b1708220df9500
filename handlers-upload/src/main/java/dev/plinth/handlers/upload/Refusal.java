package dev.plinth.handlers.upload;

/**
 * An upload refused or failed, with the status to answer and the reason for its page: a bad name (400), a name that
 * is taken (409), a body too large (413), a bad form (the multipart parser's status), a disk that failed (500).
 */
final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status the status, 4xx or 5xx
     * @param reason one sentence
     */
    Refusal(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    /** @return the status to answer with */
    int status() {
        return status;
    }
}

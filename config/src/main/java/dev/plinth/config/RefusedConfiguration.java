package dev.plinth.config;

/**
 * A configuration refused for one key: its message is the one line to log, naming the PID, the key and the value.
 */
public final class RefusedConfiguration extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The PID of a configuration whose properties do not name one. */
    public static final String UNKNOWN_PID = "(no pid)";

    private final String pid;
    private final String key;
    private final transient Object value;
    private final String reason;

    /**
     * @param pid the configuration's PID
     * @param key the key refused
     * @param value its value
     * @param reason why, in a few words, such as {@code "not an int"}
     */
    public RefusedConfiguration(String pid, String key, Object value, String reason) {
        super("configuration " + pid + " refused: " + key + "=" + ConfigCheck.show(value) + ": " + reason);
        this.pid = pid;
        this.key = key;
        this.value = value;
        this.reason = reason;
    }

    /**
     * @param known the configuration's PID, for a refusal made where it was not known
     * @return the same refusal, naming that PID
     */
    public RefusedConfiguration withPid(String known) {
        return new RefusedConfiguration(known, key, value, reason);
    }

    /** @return the configuration's PID */
    public String pid() {
        return pid;
    }

    /** @return the key refused */
    public String key() {
        return key;
    }

    /** @return the value refused */
    public Object value() {
        return value;
    }

    /** @return why it was refused */
    public String reason() {
        return reason;
    }
}

package dev.plinth.http.parser;

import java.util.EnumSet;
import java.util.Set;

/**
 * A named set of tolerated {@link Violation}s. {@link #STRICT}, the default, tolerates none.
 *
 * @param name the mode's name, for logs and configuration
 * @param allowed the deviations tolerated
 */
public record Compliance(String name, Set<Violation> allowed) {

    /** RFC 9112 exactly: no deviation tolerated. */
    public static final Compliance STRICT = new Compliance("STRICT", EnumSet.noneOf(Violation.class));

    /** Copies the set so the mode cannot change later. */
    public Compliance {
        allowed = allowed.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(allowed));
    }

    /**
     * @param violation a deviation
     * @return whether this mode tolerates it
     */
    public boolean allows(Violation violation) {
        return allowed.contains(violation);
    }
}

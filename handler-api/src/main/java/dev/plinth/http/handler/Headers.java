package dev.plinth.http.handler;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An ordered list of header fields. Names are compared case-insensitively; a name that occurs several times keeps
 * every value, in the order received. Read-only: a response's headers are set through {@link Response}.
 */
@ProviderType
public interface Headers {

    /** @return the number of fields */
    int size();

    /**
     * @param index 0 to {@code size() - 1}
     * @return the name of the field at {@code index}, as it was received or set
     */
    String name(int index);

    /**
     * @param index 0 to {@code size() - 1}
     * @return the value of the field at {@code index}, without surrounding whitespace
     */
    String value(int index);

    /**
     * @param name a field name, any case
     * @return the first value of that field, if present
     */
    default Optional<String> first(String name) {
        for (int i = 0, n = size(); i < n; i++) {
            if (name(i).equalsIgnoreCase(name)) {
                return Optional.of(value(i));
            }
        }
        return Optional.empty();
    }

    /**
     * @param name a field name, any case
     * @return every value of that field, in order; empty if absent
     */
    default List<String> all(String name) {
        List<String> values = new ArrayList<>(2);
        for (int i = 0, n = size(); i < n; i++) {
            if (name(i).equalsIgnoreCase(name)) {
                values.add(value(i));
            }
        }
        return values;
    }

    /**
     * @param name a field name, any case
     * @return whether the field occurs at least once
     */
    default boolean contains(String name) {
        return first(name).isPresent();
    }

    /**
     * Whether a comma-separated list field such as {@code Connection} holds a token, case-insensitively, in any of
     * its occurrences (RFC 9110 §5.6.1).
     *
     * @param name a field name, any case
     * @param token the token to look for, such as {@code close}
     * @return whether any element of the list equals {@code token}
     */
    default boolean containsToken(String name, String token) {
        for (int i = 0, n = size(); i < n; i++) {
            if (name(i).equalsIgnoreCase(name)) {
                for (String element : value(i).split(",")) {
                    if (element.trim().equalsIgnoreCase(token)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}

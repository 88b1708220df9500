package dev.plinth.http.parser;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A named set of tolerated {@link Violation}s. {@link #STRICT}, the default, tolerates none; {@link #LEGACY}
 * tolerates the low-risk ones. {@link #parse} reads a mode from configuration.
 *
 * @param name the mode's name, for logs and configuration
 * @param allowed the deviations tolerated
 */
public record Compliance(String name, Set<Violation> allowed) {

    /** RFC 9112 exactly: no deviation tolerated. */
    public static final Compliance STRICT = new Compliance("STRICT", EnumSet.noneOf(Violation.class));

    /**
     * For old clients reaching the server directly or through proxies that read requests alike: the deviations
     * whose risk is low or that RFC 9112 lets a server repair, {@link Violation#LF_LINE_ENDINGS},
     * {@link Violation#OBS_FOLD} and {@link Violation#MULTIPLE_CONTENT_LENGTHS}. Not the high-risk ones, which
     * must be named one by one.
     */
    public static final Compliance LEGACY = new Compliance(
            "LEGACY", EnumSet.of(Violation.LF_LINE_ENDINGS, Violation.OBS_FOLD, Violation.MULTIPLE_CONTENT_LENGTHS));

    private static final List<Compliance> MODES = List.of(STRICT, LEGACY);

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

    /**
     * Reads a mode from configuration: a named mode, then any number of violations to add ({@code +NAME}) or
     * remove ({@code -NAME}), in order, separated by commas; whitespace around each element is ignored and names
     * are exact. For example {@code STRICT}, {@code LEGACY}, {@code STRICT,+LF_LINE_ENDINGS,+OBS_FOLD} or
     * {@code LEGACY,-OBS_FOLD}.
     *
     * @param spec the configuration text
     * @return the named mode itself if {@code spec} names one alone; otherwise a mode named by the elements of
     *         {@code spec}, comma-separated without whitespace
     * @throws IllegalArgumentException naming the element that is not a mode, a violation or a sign
     */
    public static Compliance parse(String spec) {
        String[] elements = spec.split(",", -1);
        for (int i = 0; i < elements.length; i++) {
            elements[i] = elements[i].strip();
        }
        Compliance base = MODES.stream()
                .filter(mode -> mode.name.equals(elements[0]))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "compliance '" + spec + "': '" + elements[0] + "' is not a mode; it must begin with one of "
                                + names(MODES.stream().map(Compliance::name))));
        if (elements.length == 1) {
            return base;
        }
        Set<Violation> allowed = EnumSet.noneOf(Violation.class);
        allowed.addAll(base.allowed);
        for (int i = 1; i < elements.length; i++) {
            String element = elements[i];
            char sign = element.isEmpty() ? ' ' : element.charAt(0);
            if (sign != '+' && sign != '-') {
                throw new IllegalArgumentException(
                        "compliance '" + spec + "': '" + element + "' must be +VIOLATION or -VIOLATION");
            }
            Violation violation = violation(spec, element.substring(1));
            if (sign == '+') {
                allowed.add(violation);
            } else {
                allowed.remove(violation);
            }
        }
        return new Compliance(String.join(",", elements), allowed);
    }

    private static Violation violation(String spec, String name) {
        for (Violation violation : Violation.values()) {
            if (violation.name().equals(name)) {
                return violation;
            }
        }
        throw new IllegalArgumentException("compliance '" + spec + "': '" + name + "' is not a violation; known: "
                + names(Arrays.stream(Violation.values()).map(Violation::name)));
    }

    private static String names(Stream<String> names) {
        return names.collect(Collectors.joining(", "));
    }
}

package dev.plinth.handlers.statics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Entity tags (RFC 9110 §8.8.3) and their comparison (§8.8.3.2). A tag is kept as it appears on the wire, such as
 * {@code "abc"} or {@code W/"abc"}.
 */
final class EntityTags {

    /** What a list field such as {@code If-None-Match} holds: {@code *}, or tags. */
    record Condition(boolean any, List<String> tags) {}

    private EntityTags() {}

    /**
     * Parses every occurrence of a list of entity tags ({@code If-Match}, {@code If-None-Match}).
     *
     * @param values the field's values, one per occurrence
     * @return the condition; empty if the field is absent or malformed (a malformed list matches nothing: the
     *         sender cannot have meant a tag it did not write correctly)
     */
    static Optional<Condition> parseList(List<String> values) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() == 1 && values.get(0).trim().equals("*")) {
            return Optional.of(new Condition(true, List.of()));
        }
        List<String> tags = new ArrayList<>();
        for (String value : values) {
            int i = 0;
            int n = value.length();
            while (i < n) {
                char c = value.charAt(i);
                if (c == ' ' || c == '\t' || c == ',') {
                    i++; // OWS and empty list elements (RFC 9110 §5.6.1.2)
                    continue;
                }
                int end = tagEnd(value, i);
                if (end < 0) {
                    return Optional.of(new Condition(false, List.of()));
                }
                tags.add(value.substring(i, end));
                i = end;
                while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                    i++;
                }
                if (i < n && value.charAt(i) != ',') {
                    return Optional.of(new Condition(false, List.of()));
                }
            }
        }
        return Optional.of(new Condition(false, List.copyOf(tags)));
    }

    /**
     * @param value a field value that should be a single entity tag, such as {@code If-Range}'s
     * @return whether it is one
     */
    static boolean isTag(String value) {
        return tagEnd(value, 0) == value.length();
    }

    /** @return the index after the entity tag starting at {@code start}, or -1 if there is none */
    private static int tagEnd(String value, int start) {
        int i = start;
        if (value.startsWith("W/", i)) {
            i += 2;
        }
        if (i >= value.length() || value.charAt(i) != '"') {
            return -1;
        }
        for (i++; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c < 0x21 || c == 0x7f) {
                return -1; // etagc = %x21 / %x23-7E / obs-text
            }
        }
        return -1;
    }

    /** @return whether two tags match by strong comparison: neither weak, same opaque tag */
    static boolean strongMatch(String a, String b) {
        return !a.startsWith("W/") && a.equals(b);
    }

    /** @return whether two tags match by weak comparison: same opaque tag, weakness ignored */
    static boolean weakMatch(String a, String b) {
        return opaque(a).equals(opaque(b));
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}

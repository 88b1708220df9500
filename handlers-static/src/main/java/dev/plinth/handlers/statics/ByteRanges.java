package dev.plinth.handlers.statics;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses a {@code Range} field (RFC 9110 §14.1, §14.2) against a representation's length.
 *
 * <ul>
 * <li>A unit other than {@code bytes}, a malformed range set, more than one Range field, an empty representation or
 *     a range set that would still hold more than {@value #MAX_PARTS} ranges after coalescing: the field is ignored
 *     and the whole representation is served (§14.2 allows ignoring it; serving 200 keeps every client working).</li>
 * <li>No satisfiable range: unsatisfiable (416).</li>
 * <li>Otherwise the satisfiable ranges, clamped to the representation, with overlapping and adjacent ones coalesced,
 *     in the order they were asked for (§14.6: parts in request order, except those coalesced).</li>
 * </ul>
 */
final class ByteRanges {

    /** At most this many ranges are served after coalescing; more and the Range field is ignored. */
    static final int MAX_PARTS = 16;

    /** At most this many range specs are read; more and the Range field is ignored without further work. */
    static final int MAX_SPECS = 256;

    /** What a Range field asks for. */
    sealed interface Outcome permits Ignored, Unsatisfiable, Satisfiable {}

    /** Serve the whole representation. */
    record Ignored() implements Outcome {}

    /** 416. */
    record Unsatisfiable() implements Outcome {}

    /**
     * 206.
     *
     * @param slices one or more slices, none overlapping or adjacent
     */
    record Satisfiable(List<Slice> slices) implements Outcome {}

    /**
     * A slice of the representation.
     *
     * @param first the first byte's offset
     * @param last the last byte's offset, inclusive
     */
    record Slice(long first, long last) {
        /** @return the number of bytes */
        long length() {
            return last - first + 1;
        }

        /** @return the {@code Content-Range} value for a representation of {@code complete} bytes */
        String contentRange(long complete) {
            return "bytes " + first + "-" + last + "/" + complete;
        }
    }

    private static final Outcome IGNORED = new Ignored();
    private static final Outcome UNSATISFIABLE = new Unsatisfiable();

    private ByteRanges() {}

    /**
     * @param values the Range field's values, one per occurrence
     * @param length the representation's length in bytes
     * @return what to serve
     */
    static Outcome parse(List<String> values, long length) {
        if (values.size() != 1 || length == 0) {
            return IGNORED;
        }
        String value = values.get(0);
        int equals = value.indexOf('=');
        if (equals < 0 || !value.substring(0, equals).trim().equalsIgnoreCase("bytes")) {
            return IGNORED; // an unknown unit, or not a ranges-specifier at all
        }
        List<Slice> slices = new ArrayList<>();
        String[] specs = value.substring(equals + 1).split(",", MAX_SPECS + 1);
        if (specs.length > MAX_SPECS) {
            return IGNORED;
        }
        boolean any = false;
        for (String raw : specs) {
            String spec = raw.strip();
            if (spec.isEmpty()) {
                continue; // an empty list element (§5.6.1.2)
            }
            any = true;
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return IGNORED;
            }
            String firstText = spec.substring(0, dash);
            String lastText = spec.substring(dash + 1);
            if (firstText.isEmpty()) {
                long suffix = digits(lastText); // suffix-range: the last N bytes
                if (suffix < 0) {
                    return IGNORED;
                }
                if (suffix > 0) {
                    coalesce(slices, new Slice(Math.max(0, length - suffix), length - 1));
                }
                continue;
            }
            long first = digits(firstText);
            long last = lastText.isEmpty() ? Long.MAX_VALUE : digits(lastText);
            if (first < 0 || last < 0 || last < first) {
                return IGNORED; // an invalid int-range makes the whole set invalid
            }
            if (first < length) {
                coalesce(slices, new Slice(first, Math.min(last, length - 1)));
            }
        }
        if (!any) {
            return IGNORED;
        }
        if (slices.isEmpty()) {
            return UNSATISFIABLE;
        }
        return slices.size() > MAX_PARTS ? IGNORED : new Satisfiable(List.copyOf(slices));
    }

    /**
     * Adds a slice, merging it with every slice it overlaps or touches; the merged slice takes the place of the
     * earliest one it absorbed, so the remaining slices keep the order in which they were asked for.
     */
    private static void coalesce(List<Slice> slices, Slice added) {
        long first = added.first();
        long last = added.last();
        int at = -1;
        for (int i = 0; i < slices.size(); i++) {
            Slice other = slices.get(i);
            if (other.first() <= last + 1 && first <= other.last() + 1) {
                first = Math.min(first, other.first());
                last = Math.max(last, other.last());
                if (at < 0) {
                    at = i;
                } else {
                    slices.remove(i--);
                }
            }
        }
        if (at < 0) {
            slices.add(new Slice(first, last));
        } else {
            slices.set(at, new Slice(first, last));
        }
    }

    /** @return the value of a string of ASCII digits, saturating at {@link Long#MAX_VALUE}; -1 if not digits */
    private static long digits(String text) {
        if (text.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value > (Long.MAX_VALUE - (c - '0')) / 10 ? Long.MAX_VALUE : value * 10 + (c - '0');
        }
        return value;
    }
}

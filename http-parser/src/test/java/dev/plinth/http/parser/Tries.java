package dev.plinth.http.parser;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs a property a bounded number of times, each try with its own {@link Rand} derived from one seed per test run.
 * The seed is fresh for each run unless {@code -Dplinth.seed=...} gives it; a failure names the seed, the property
 * and the try, with what the try noted, so that it can be replayed:
 * {@code mvn -pl http-parser verify -Dtest=RequestParserPropertyTest#name -Dplinth.seed=S [-Dplinth.try=N]}.
 * {@code -Dplinth.tries=N} changes every property's number of tries (for a longer search).
 */
final class Tries {
    /** The seed of this run. */
    static final long SEED = Long.getLong("plinth.seed", new SecureRandom().nextLong());

    private static final Integer ONLY_TRY = Integer.getInteger("plinth.try");
    private static final Integer TRIES = Integer.getInteger("plinth.tries");

    private Tries() {}

    /** One try: random choices, and notes of what was chosen, shown if the try fails. */
    static final class Trial extends Rand {
        private final List<String> notes = new ArrayList<>();

        Trial(long seed) {
            super(seed);
        }

        /** Records a chosen value for the failure message. @return the value */
        <T> T note(String name, T value) {
            notes.add(name + " = " + describe(value));
            return value;
        }

        private static String describe(Object value) {
            if (value instanceof byte[]) {
                return escape(new String((byte[]) value, StandardCharsets.ISO_8859_1));
            }
            if (value instanceof int[]) {
                return Arrays.toString((int[]) value);
            }
            return String.valueOf(value);
        }

        /** Java-like escapes for controls and bytes above 0x7E, so that a failing input can be read and pasted. */
        private static String escape(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '\r') {
                    b.append("\\r");
                } else if (c == '\n') {
                    b.append("\\n");
                } else if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20 || c > 0x7E) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            return b.append('"').toString();
        }
    }

    /** A property of one try. */
    @FunctionalInterface
    interface Property {
        void check(Trial trial) throws Exception;
    }

    /**
     * Checks {@code property} in {@code tries} tries (or as {@code -Dplinth.tries}, {@code -Dplinth.try} say).
     *
     * @param name the property's name, part of each try's seed so that properties do not share their choices
     */
    static void check(String name, int tries, Property property) {
        int count = TRIES != null ? TRIES : tries;
        int first = ONLY_TRY != null ? ONLY_TRY : 0;
        int end = ONLY_TRY != null ? ONLY_TRY + 1 : count;
        for (int i = first; i < end; i++) {
            Trial trial = new Trial(seed(name, i));
            try {
                property.check(trial);
            } catch (Exception | AssertionError e) {
                String message = name + " failed on try " + i + " of " + count + "; replay with -Dplinth.seed=" + SEED
                        + " -Dplinth.try=" + i + "\n" + String.join("\n", trial.notes) + "\n" + e.getMessage();
                throw new AssertionError(message, e);
            }
        }
    }

    /** The seed of try {@code i} of a property: the run's seed mixed with both (SplittableRandom's own mixing). */
    private static long seed(String name, int i) {
        return new SplittableRandom(SEED ^ (long) name.hashCode() << 32 ^ i).nextLong();
    }
}

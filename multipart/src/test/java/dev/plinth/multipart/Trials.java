package dev.plinth.multipart;

import java.util.SplittableRandom;

/**
 * Runs a property in a fixed number of seeded random tries, so that every run of the build tries the same inputs: try
 * {@code i} of property {@code p} draws from {@code SplittableRandom(mix(SEED, p, i))}. A failure names the property,
 * the try and the seed; {@code -Dplinth.seed=S} runs other inputs (for a longer search, with {@code -Dplinth.tries=N}),
 * {@code -Dplinth.try=N} replays one try.
 */
final class Trials {
    /** The seed of every run unless {@code -Dplinth.seed} says otherwise. */
    static final long SEED = Long.getLong("plinth.seed", 0x2026_1125L);

    private static final Integer ONLY_TRY = Integer.getInteger("plinth.try");
    private static final Integer TRIES = Integer.getInteger("plinth.tries");

    private Trials() {}

    /** One try of a property. */
    @FunctionalInterface
    interface Property {
        /**
         * @param random the try's random source
         * @param notes where to write what was chosen, shown if the try fails
         */
        void check(SplittableRandom random, StringBuilder notes) throws Exception;
    }

    static void run(String name, int tries, Property property) {
        int count = TRIES != null ? TRIES : tries;
        int first = ONLY_TRY != null ? ONLY_TRY : 0;
        int end = ONLY_TRY != null ? ONLY_TRY + 1 : count;
        for (int i = first; i < end; i++) {
            StringBuilder notes = new StringBuilder();
            try {
                property.check(
                        new SplittableRandom(new SplittableRandom(SEED ^ (long) name.hashCode() << 32 ^ i).nextLong()),
                        notes);
            } catch (Exception | AssertionError e) {
                throw new AssertionError(
                        name + " failed on try " + i + " of " + count + " (seed " + SEED
                                + "; replay with -Dplinth.seed=" + SEED + " -Dplinth.try=" + i + ")\n" + notes
                                + e.getMessage(),
                        e);
            }
        }
    }
}

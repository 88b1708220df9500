package dev.plinth.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * Exchange durations counted in fixed buckets: Prometheus' default bounds (5 ms to 10 s) with three more below, down
 * to half a millisecond, and a last bucket for everything longer. Recording adds to an atomic array and an adder:
 * no lock, no allocation, safe on an I/O thread.
 */
final class LatencyHistogram {

    /** The buckets' upper bounds in seconds, inclusive, ascending; the bucket after the last one is {@code +Inf}. */
    static final double[] BOUNDS_SECONDS = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
    };

    /** {@link #BOUNDS_SECONDS} in nanoseconds. */
    private static final long[] BOUNDS_NANOS = new long[BOUNDS_SECONDS.length];

    static {
        for (int i = 0; i < BOUNDS_SECONDS.length; i++) {
            BOUNDS_NANOS[i] = Math.round(BOUNDS_SECONDS[i] * 1e9);
        }
    }

    /**
     * Exchanges per bucket, not cumulative; the last element is the {@code +Inf} bucket. Adders, not an atomic array:
     * every selector thread counts its fast exchanges in the same bucket, and one contended cache line per exchange
     * cost several percent of the plaintext rate (benchmarks/server run 33).
     */
    private final LongAdder[] counts = new LongAdder[BOUNDS_SECONDS.length + 1];

    private final LongAdder sumNanos = new LongAdder();

    LatencyHistogram() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /**
     * Counts one exchange.
     *
     * @param nanos its duration; a negative one counts as zero
     */
    void record(long nanos) {
        long duration = Math.max(0, nanos);
        counts[bucket(duration)].increment();
        sumNanos.add(duration);
    }

    /**
     * @param nanos a duration
     * @return the index of the first bucket whose upper bound is at least that duration; {@code BOUNDS_SECONDS.length}
     *     for the {@code +Inf} bucket
     */
    static int bucket(long nanos) {
        for (int i = 0; i < BOUNDS_NANOS.length; i++) {
            if (nanos <= BOUNDS_NANOS[i]) {
                return i;
            }
        }
        return BOUNDS_NANOS.length;
    }

    /** @return the counts now; each one is read once, so they may miss exchanges being recorded meanwhile */
    Snapshot snapshot() {
        long[] now = new long[counts.length];
        for (int i = 0; i < now.length; i++) {
            now[i] = counts[i].sum();
        }
        return new Snapshot(now, sumNanos.sum());
    }

    /**
     * The histogram at one moment.
     *
     * @param counts exchanges per bucket, not cumulative, the {@code +Inf} bucket last
     * @param sumNanos the durations' sum
     */
    record Snapshot(long[] counts, long sumNanos) {

        /** @return the number of exchanges counted */
        long count() {
            long total = 0;
            for (long n : counts) {
                total += n;
            }
            return total;
        }

        /** @return the durations' sum in seconds */
        double sumSeconds() {
            return sumNanos / 1e9;
        }

        /** @return for each bucket, the exchanges that took at most its bound: Prometheus' {@code _bucket} values */
        long[] cumulative() {
            long[] cumulative = new long[counts.length];
            long total = 0;
            for (int i = 0; i < counts.length; i++) {
                total += counts[i];
                cumulative[i] = total;
            }
            return cumulative;
        }

        /**
         * Estimates a quantile as Prometheus' {@code histogram_quantile} does: finds the bucket holding the rank and
         * interpolates linearly inside it (the first bucket starts at 0); a rank in the {@code +Inf} bucket gives the
         * highest finite bound.
         *
         * @param quantile between 0 (excluded) and 1
         * @return the estimate in milliseconds; NaN when nothing was counted
         */
        double quantileMillis(double quantile) {
            if (!(quantile > 0 && quantile <= 1)) {
                throw new IllegalArgumentException("a quantile is in (0, 1]: " + quantile);
            }
            long total = count();
            if (total == 0) {
                return Double.NaN;
            }
            double rank = quantile * total;
            long before = 0;
            for (int i = 0; i < BOUNDS_SECONDS.length; i++) {
                long through = before + counts[i];
                if (through >= rank) {
                    double lower = i == 0 ? 0 : BOUNDS_SECONDS[i - 1];
                    double seconds = lower + (BOUNDS_SECONDS[i] - lower) * (rank - before) / counts[i];
                    return seconds * 1_000;
                }
                before = through;
            }
            return BOUNDS_SECONDS[BOUNDS_SECONDS.length - 1] * 1_000;
        }
    }
}

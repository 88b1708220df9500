package dev.plinth.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    private static final int INF = LatencyHistogram.BOUNDS_SECONDS.length;

    @Test
    void aBucketHoldsDurationsUpToItsBoundInclusive() {
        assertEquals(0, LatencyHistogram.bucket(0));
        assertEquals(0, LatencyHistogram.bucket(500_000));
        assertEquals(1, LatencyHistogram.bucket(500_001));
        assertEquals(1, LatencyHistogram.bucket(1_000_000));
        assertEquals(2, LatencyHistogram.bucket(1_000_001));
        assertEquals(INF - 1, LatencyHistogram.bucket(10_000_000_000L));
        assertEquals(INF, LatencyHistogram.bucket(10_000_000_001L));
        assertEquals(INF, LatencyHistogram.bucket(Long.MAX_VALUE));
    }

    @Test
    void boundsAscendFromHalfAMillisecondToTenSeconds() {
        double[] bounds = LatencyHistogram.BOUNDS_SECONDS;
        assertEquals(0.0005, bounds[0]);
        assertEquals(10, bounds[bounds.length - 1]);
        for (int i = 1; i < bounds.length; i++) {
            assertTrue(bounds[i] > bounds[i - 1], "ascending at " + i);
            assertEquals(i, LatencyHistogram.bucket(Math.round(bounds[i] * 1e9)), "bound " + bounds[i]);
        }
    }

    @Test
    void countsSumAndCumulativeCounts() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(100_000); // 0.1 ms
        histogram.record(500_000); // 0.5 ms, the first bound itself
        histogram.record(2_000_000); // 2 ms
        histogram.record(-5); // a clock step backwards counts as 0
        histogram.record(20_000_000_000L); // 20 s

        LatencyHistogram.Snapshot snapshot = histogram.snapshot();

        assertEquals(5, snapshot.count());
        assertEquals(3, snapshot.counts()[0]);
        assertEquals(1, snapshot.counts()[2]);
        assertEquals(1, snapshot.counts()[INF]);
        assertEquals(20.0026, snapshot.sumSeconds(), 1e-12);
        long[] cumulative = snapshot.cumulative();
        assertEquals(INF + 1, cumulative.length);
        assertArrayEquals(new long[] {3, 3, 4, 4}, java.util.Arrays.copyOf(cumulative, 4));
        assertEquals(4, cumulative[INF - 1]);
        assertEquals(5, cumulative[INF]);
    }

    @Test
    void quantilesInterpolateInsideTheBucketAsPrometheusDoes() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 0; i < 100; i++) {
            histogram.record(2_000_000); // every one in (1 ms, 2.5 ms]
        }
        LatencyHistogram.Snapshot snapshot = histogram.snapshot();

        assertEquals(1.75, snapshot.quantileMillis(0.5), 1e-9);
        assertEquals(2.35, snapshot.quantileMillis(0.9), 1e-9);
        assertEquals(2.5, snapshot.quantileMillis(1), 1e-9);
    }

    @Test
    void quantilesAcrossBuckets() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 0; i < 90; i++) {
            histogram.record(300_000); // first bucket: [0, 0.5 ms]
        }
        for (int i = 0; i < 10; i++) {
            histogram.record(700_000_000); // (0.5 s, 1 s]
        }
        LatencyHistogram.Snapshot snapshot = histogram.snapshot();

        assertEquals(0.5 * 50 / 90, snapshot.quantileMillis(0.5), 1e-9);
        assertEquals(0.5, snapshot.quantileMillis(0.9), 1e-9);
        assertEquals(500 + 500 * 0.9, snapshot.quantileMillis(0.99), 1e-9);
    }

    @Test
    void aQuantileInTheInfiniteBucketIsTheHighestFiniteBound() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(1_000_000);
        histogram.record(60_000_000_000L);
        histogram.record(60_000_000_000L);

        assertEquals(10_000, histogram.snapshot().quantileMillis(0.9), 1e-9);
    }

    @Test
    void noQuantileBeforeTheFirstExchange() {
        LatencyHistogram.Snapshot empty = new LatencyHistogram().snapshot();
        assertTrue(Double.isNaN(empty.quantileMillis(0.5)));
        assertEquals(0, empty.count());
        assertThrows(IllegalArgumentException.class, () -> empty.quantileMillis(0));
        assertThrows(IllegalArgumentException.class, () -> empty.quantileMillis(1.5));
    }
}

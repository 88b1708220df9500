package dev.plinth.handlers.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The lookup cache on its own, on a clock the test moves. */
class LookupCacheTest {

    private static final long PERIOD = 1_000;
    private static final Lookup FOUND = new Lookup.NotFound("a lookup");

    private final AtomicLong clock = new AtomicLong(-50); // nanoTime may be negative
    private final LookupCache cache = new LookupCache(PERIOD, clock::get);

    @Test
    void aLookupIsFreshForOnePeriodFromWhenItBegan() {
        long began = cache.now();
        clock.addAndGet(300); // the lookup itself took time
        cache.put("k", FOUND, began);
        assertSame(FOUND, cache.fresh("k", began + PERIOD - 1));
        assertNull(cache.fresh("k", began + PERIOD), "expired at the end of the period");
        assertNull(cache.fresh("other", began), "never looked up");
    }

    @Test
    void aPeriodOfZeroKeepsNothing() {
        LookupCache never = new LookupCache(0, clock::get);
        assertFalse(never.enabled());
        never.put("k", FOUND, never.now());
        assertEquals(0, never.size());
        assertNull(never.fresh("k", never.now()));
        assertTrue(cache.enabled());
    }

    @Test
    void atItsLimitTheCacheStartsAfresh() {
        for (int i = 0; i < LookupCache.LIMIT; i++) {
            cache.put("k" + i, FOUND, 0);
        }
        assertEquals(LookupCache.LIMIT, cache.size(), "full");
        cache.put("one more", FOUND, 0);
        assertEquals(1, cache.size());
        assertSame(FOUND, cache.fresh("one more", 0));
        assertNull(cache.fresh("k0", 0));
    }

    @Test
    void clearForgetsEveryLookup() {
        cache.put("k", FOUND, 0);
        cache.clear();
        assertNull(cache.fresh("k", 0));
        assertEquals(0, cache.size());
    }
}

package dev.plinth.handlers.statics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Lookups reused for a short time: resolving real paths is most of a small file's cost. An entry is fresh for one
 * period from the moment its lookup began, so that a file changed while it was being looked up is looked at again
 * within the period. Bounded crudely: at {@value #LIMIT} entries it starts afresh, which is enough against a crawl of
 * many paths. A hit costs one clock read and one map read, and allocates nothing.
 */
final class LookupCache {

    /** Entries at most; past it the cache starts afresh. */
    static final int LIMIT = 4096;

    private record Entry(Lookup value, long expires) {}

    private final long periodNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /**
     * @param periodNanos how long a lookup is reused; 0 for never (then nothing is kept)
     * @param clock {@link System#nanoTime()}, or a test's clock
     */
    LookupCache(long periodNanos, LongSupplier clock) {
        this.periodNanos = periodNanos;
        this.clock = clock;
    }

    /** @return whether lookups are kept at all */
    boolean enabled() {
        return periodNanos != 0;
    }

    /** @return the time now, to pass to {@link #fresh} and then to {@link #put} once the lookup is made */
    long now() {
        return clock.getAsLong();
    }

    /**
     * @param key what was looked up
     * @param now the time now, from {@link #now()}
     * @return the lookup kept for the key if it is still fresh, else null
     */
    Lookup fresh(String key, long now) {
        Entry hit = periodNanos == 0 ? null : entries.get(key);
        return hit != null && now - hit.expires < 0 ? hit.value : null;
    }

    /**
     * Keeps a lookup for one period, if the cache keeps any.
     *
     * @param key what was looked up
     * @param value what was found
     * @param began when the lookup began, from {@link #now()}
     */
    void put(String key, Lookup value, long began) {
        if (periodNanos == 0) {
            return;
        }
        if (entries.size() >= LIMIT) {
            entries.clear();
        }
        entries.put(key, new Entry(value, began + periodNanos));
    }

    /** @return the number of lookups kept, fresh or not */
    int size() {
        return entries.size();
    }

    /** Forgets every lookup. */
    void clear() {
        entries.clear();
    }
}

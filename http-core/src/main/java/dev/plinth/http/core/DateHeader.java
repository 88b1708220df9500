package dev.plinth.http.core;

import dev.plinth.http.handler.HttpDates;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The {@code Date} field's value (RFC 9110 §6.6.1), formatted at most once per second. */
final class DateHeader {

    private static volatile Cached cached = new Cached(Long.MIN_VALUE, new byte[0]);

    private DateHeader() {}

    /**
     * @param epochSecond a time
     * @return that time as IMF-fixdate
     */
    static String format(long epochSecond) {
        return HttpDates.format(Instant.ofEpochSecond(epochSecond));
    }

    /** @return the current time as IMF-fixdate bytes, shared: do not modify */
    static byte[] now() {
        long second = System.currentTimeMillis() / 1000;
        Cached current = cached;
        if (current.second != second) {
            current = new Cached(second, format(second).getBytes(StandardCharsets.ISO_8859_1));
            cached = current;
        }
        return current.bytes;
    }

    private record Cached(long second, byte[] bytes) {}
}

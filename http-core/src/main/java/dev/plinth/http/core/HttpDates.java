package dev.plinth.http.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** IMF-fixdate (RFC 9110 §5.6.7), formatted at most once per second for the {@code Date} field. */
final class HttpDates {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private static volatile Cached cached = new Cached(Long.MIN_VALUE, new byte[0]);

    private HttpDates() {
    }

    /**
     * @param epochSecond a time
     * @return that time as IMF-fixdate
     */
    static String format(long epochSecond) {
        return IMF_FIXDATE.format(Instant.ofEpochSecond(epochSecond));
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

    private record Cached(long second, byte[] bytes) {
    }
}

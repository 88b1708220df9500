package dev.plinth.handlers.statics;

import java.nio.file.attribute.FileTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * HTTP dates (RFC 9110 §5.6.7). {@link DateTimeFormatter#RFC_1123_DATE_TIME} is not used: it writes a one-digit day
 * of month, which IMF-fixdate does not allow.
 */
final class HttpDates {

    /** IMF-fixdate, such as {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    /**
     * @param time a file time
     * @return the time as an IMF-fixdate, truncated to whole seconds
     */
    static String format(FileTime time) {
        return IMF_FIXDATE.format(time.toInstant().truncatedTo(ChronoUnit.SECONDS));
    }
}

package dev.plinth.http.handler;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP dates (RFC 9110 §5.6.7), for fields such as {@code Last-Modified}, {@code If-Modified-Since} and
 * {@code Expires}: written as IMF-fixdate, read in all three forms a recipient must accept. (The JDK's
 * {@link DateTimeFormatter#RFC_1123_DATE_TIME} is not used: it writes a one-digit day of month, which IMF-fixdate
 * does not allow.)
 */
public final class HttpDates {

    /** IMF-fixdate, such as {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter IMF_BODY = strict("dd MMM uuuu HH:mm:ss");
    private static final DateTimeFormatter RFC_850_BODY = strict("dd-MMM-uuuu HH:mm:ss");
    private static final DateTimeFormatter ASCTIME_BODY = strict("MMM ppd HH:mm:ss uuuu");

    private HttpDates() {}

    /**
     * @param time a time; its fraction of a second is dropped
     * @return it as IMF-fixdate, such as {@code Sun, 06 Nov 1994 08:49:37 GMT}
     */
    public static String format(Instant time) {
        return IMF_FIXDATE.format(time.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * Parses the three forms a recipient must accept (RFC 9110 §5.6.7). A day name that does not match the date is
     * tolerated: the date is what the sender meant to compare.
     *
     * @param value a field value
     * @return the instant, or empty if the value is not an HTTP-date
     */
    public static Optional<Instant> parse(String value) {
        String text = value.trim();
        try {
            if (text.length() == 29 && text.charAt(3) == ',') {
                // Sun, 06 Nov 1994 08:49:37 GMT
                return text.endsWith(" GMT") ? utc(text.substring(5, 25), IMF_BODY) : Optional.empty();
            }
            int comma = text.indexOf(',');
            if (comma > 3 && text.endsWith(" GMT")) {
                // Sunday, 06-Nov-94 08:49:37 GMT
                return rfc850(text.substring(comma + 2, text.length() - 4));
            }
            if (text.length() == 24) {
                // Sun Nov  6 08:49:37 1994
                return utc(text.substring(4), ASCTIME_BODY);
            }
        } catch (DateTimeException | IllegalArgumentException | IndexOutOfBoundsException malformed) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * @param text {@code 06-Nov-94 08:49:37}
     * @return the instant, a two-digit year read as the most recent year with those digits that is not more than
     *         50 years in the future (RFC 9110 §5.6.7)
     */
    private static Optional<Instant> rfc850(String text) {
        if (text.length() != 18 || text.charAt(2) != '-' || text.charAt(6) != '-' || text.charAt(9) != ' ') {
            return Optional.empty();
        }
        int twoDigits = Integer.parseUnsignedInt(text.substring(7, 9));
        int thisYear = LocalDateTime.now(ZoneOffset.UTC).getYear();
        int year = thisYear - Math.floorMod(thisYear, 100) + twoDigits;
        if (year > thisYear + 50) {
            year -= 100;
        }
        return utc(text.substring(0, 7) + year + text.substring(9), RFC_850_BODY);
    }

    private static Optional<Instant> utc(String text, DateTimeFormatter format) {
        return Optional.of(LocalDateTime.parse(text, format).toInstant(ZoneOffset.UTC));
    }

    private static DateTimeFormatter strict(String pattern) {
        return DateTimeFormatter.ofPattern(pattern, Locale.US).withResolverStyle(ResolverStyle.STRICT);
    }
}

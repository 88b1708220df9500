package dev.plinth.accesslog;

import dev.plinth.http.core.ExchangeFacts;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Turns exchange facts into lines of one {@link LineFormat}, times in one zone. Not thread-safe: the writer thread
 * owns one, and it keeps the last second it formatted, as most lines in a row fall in the same second.
 */
final class Lines {

    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };

    private final LineFormat format;
    private final ZoneId zone;
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedNcsaTime;

    /**
     * @param format the layout
     * @param zone the zone of the times written
     */
    Lines(LineFormat format, ZoneId zone) {
        this.format = format;
        this.zone = zone;
    }

    /**
     * Appends one line, its line feed included.
     *
     * @param facts the exchange
     * @param out where to append
     */
    void append(ExchangeFacts facts, StringBuilder out) {
        if (format == LineFormat.JSON) {
            json(facts, out);
        } else {
            ncsa(facts, out);
        }
        out.append('\n');
    }

    /**
     * {@code %h %l %u [%d/%b/%Y:%H:%M:%S %z] "%r" %>s %b}, then {@code "%{Referer}i" "%{User-agent}i"} for
     * {@link LineFormat#COMBINED}. The request line is {@code "-"} when the request's method or target could not be
     * read; {@code %b} is {@code -} for an empty body, as Apache writes it.
     */
    private void ncsa(ExchangeFacts facts, StringBuilder out) {
        out.append(host(facts.remote()))
                .append(" - - [")
                .append(ncsaTime(facts.startMillis()))
                .append("] \"");
        if (absent(facts.method()) || absent(facts.target())) {
            out.append('-');
        } else {
            Escapes.ncsa(out, facts.method());
            out.append(' ');
            Escapes.ncsa(out, facts.target());
            if (!absent(facts.version())) {
                out.append(' ');
                Escapes.ncsa(out, facts.version());
            }
        }
        out.append("\" ").append(facts.status()).append(' ');
        if (facts.bodyBytes() > 0) {
            out.append(facts.bodyBytes());
        } else {
            out.append('-');
        }
        if (format == LineFormat.COMBINED) {
            out.append(" \"");
            Escapes.ncsa(out, facts.referer());
            out.append("\" \"");
            Escapes.ncsa(out, facts.userAgent());
            out.append('"');
        }
    }

    /** One object, the fields always in the same order; text the request did not carry is {@code null}. */
    private void json(ExchangeFacts facts, StringBuilder out) {
        out.append("{\"time\":\"");
        isoTime(facts.startMillis(), out);
        out.append('"');
        jsonText(out, "remote", host(facts.remote()));
        jsonText(out, "method", facts.method());
        jsonText(out, "target", facts.target());
        jsonText(out, "protocol", facts.version());
        out.append(",\"status\":").append(facts.status());
        out.append(",\"bytes\":").append(facts.bodyBytes());
        jsonText(out, "referer", facts.referer());
        jsonText(out, "userAgent", facts.userAgent());
        out.append(",\"durationMicros\":").append(facts.durationNanos() / 1_000);
        out.append(",\"prefix\":");
        if (facts.prefix() == null || facts.prefix().isEmpty()) {
            out.append("null");
        } else {
            Escapes.json(out, facts.prefix());
        }
        out.append(",\"complete\":").append(facts.complete());
        out.append(",\"localPort\":");
        if (facts.local() == null) {
            out.append("null");
        } else {
            out.append(facts.local().getPort());
        }
        out.append('}');
    }

    private static void jsonText(StringBuilder out, String name, String value) {
        out.append(",\"").append(name).append("\":");
        if (absent(value)) {
            out.append("null");
        } else {
            Escapes.json(out, value);
        }
    }

    private static boolean absent(String text) {
        return text == null || ExchangeFacts.ABSENT.equals(text);
    }

    /** @return the client's IP address as text, or {@code -} when unknown */
    private static String host(InetSocketAddress remote) {
        if (remote == null) {
            return ExchangeFacts.ABSENT;
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }

    /** @return {@code 30/Nov/2026:14:03:07 +0100}: English month names whatever the default locale */
    private String ncsaTime(long millis) {
        long second = Math.floorDiv(millis, 1000);
        if (second != cachedSecond) {
            ZonedDateTime time = Instant.ofEpochSecond(second).atZone(zone);
            StringBuilder text = new StringBuilder(26);
            twoDigits(text, time.getDayOfMonth());
            text.append('/')
                    .append(MONTHS[time.getMonthValue() - 1])
                    .append('/')
                    .append(time.getYear());
            text.append(':');
            clock(text, time);
            text.append(' ');
            offset(text, time.getOffset().getTotalSeconds(), false);
            cachedNcsaTime = text.toString();
            cachedSecond = second;
        }
        return cachedNcsaTime;
    }

    /** Appends ISO 8601 with milliseconds and offset: {@code 2026-11-30T14:03:07.250+01:00}, or {@code ...Z}. */
    private void isoTime(long millis, StringBuilder out) {
        ZonedDateTime time = Instant.ofEpochMilli(millis).atZone(zone);
        out.append(time.getYear()).append('-');
        twoDigits(out, time.getMonthValue());
        out.append('-');
        twoDigits(out, time.getDayOfMonth());
        out.append('T');
        clock(out, time);
        int milli = (int) Math.floorMod(millis, 1000L);
        out.append('.').append((char) ('0' + milli / 100));
        twoDigits(out, milli % 100);
        int offset = time.getOffset().getTotalSeconds();
        if (offset == 0) {
            out.append('Z');
        } else {
            offset(out, offset, true);
        }
    }

    private static void clock(StringBuilder out, ZonedDateTime time) {
        twoDigits(out, time.getHour());
        out.append(':');
        twoDigits(out, time.getMinute());
        out.append(':');
        twoDigits(out, time.getSecond());
    }

    /** Appends {@code +hhmm}, or {@code +hh:mm} with the colon (seconds of an offset are dropped). */
    private static void offset(StringBuilder out, int totalSeconds, boolean colon) {
        out.append(totalSeconds < 0 ? '-' : '+');
        int minutes = Math.abs(totalSeconds) / 60;
        twoDigits(out, minutes / 60);
        if (colon) {
            out.append(':');
        }
        twoDigits(out, minutes % 60);
    }

    private static void twoDigits(StringBuilder out, int value) {
        out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}

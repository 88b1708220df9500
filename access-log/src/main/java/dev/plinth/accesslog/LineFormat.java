package dev.plinth.accesslog;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The layouts of an access-log line; {@link Lines} writes them. */
enum LineFormat {
    /**
     * NCSA combined, as Apache httpd and nginx write it: {@code %h %l %u %t "%r" %>s %b "%{Referer}i"
     * "%{User-agent}i"}.
     */
    COMBINED,
    /** NCSA common: the first seven fields of {@link #COMBINED}. */
    COMMON,
    /** One JSON object per line, with named fields. */
    JSON;

    /**
     * @param name {@code combined}, {@code common} or {@code json}, in any case, spaces around it ignored
     * @return the format
     * @throws IllegalArgumentException if there is none of that name
     */
    static LineFormat named(String name) {
        for (LineFormat format : values()) {
            if (name != null && format.name().equalsIgnoreCase(name.trim())) {
                return format;
            }
        }
        throw new IllegalArgumentException("not one of "
                + Arrays.stream(values()).map(LineFormat::toString).collect(Collectors.joining(", ")));
    }

    /** @return the name as configured: {@code combined}, {@code common} or {@code json} */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

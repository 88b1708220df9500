package dev.plinth.channels.eventadmin;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.service.event.Event;

/**
 * An event's properties as a JSON object (RFC 8259), keys sorted: strings, characters, numbers and booleans as such
 * (a non-finite floating-point number as a string), arrays and collections of those as arrays; properties of other
 * types (a {@code Bundle}, a {@code ServiceReference}...) are left out, as their text would say little and might say
 * too much.
 */
final class EventJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private EventJson() {}

    /**
     * @param event an event
     * @return its simple properties as one line of JSON, such as {@code {"bundle.id":7,"event.topics":"a/b"}}
     */
    static String properties(Event event) {
        Map<String, Object> sorted = new TreeMap<>();
        for (String name : event.getPropertyNames()) {
            Object value = event.getProperty(name);
            if (isSimple(value) || isSimpleList(value)) {
                sorted.put(name, value);
            }
        }
        StringBuilder out = new StringBuilder(64 + 32 * sorted.size()).append('{');
        for (Map.Entry<String, Object> property : sorted.entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            quote(out, property.getKey()).append(':');
            value(out, property.getValue());
        }
        return out.append('}').toString();
    }

    /**
     * @param value a simple value or a list of them
     * @return it as JSON; a string as is (not quoted), for a property chosen as the message's data
     */
    static String data(Object value) {
        if (value instanceof String text) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        if (isSimple(value) || isSimpleList(value)) {
            value(out, value);
        } else {
            quote(out, String.valueOf(value));
        }
        return out.toString();
    }

    private static boolean isSimple(Object value) {
        return value instanceof String
                || value instanceof Character
                || value instanceof Number
                || value instanceof Boolean;
    }

    private static boolean isSimpleList(Object value) {
        if (value instanceof Collection<?> collection) {
            return collection.stream().allMatch(EventJson::isSimple);
        }
        if (value != null && value.getClass().isArray()) {
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                if (!isSimple(Array.get(value, i))) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static void value(StringBuilder out, Object value) {
        if (value instanceof Collection<?> collection) {
            out.append('[');
            boolean first = true;
            for (Object item : collection) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                value(out, item);
            }
            out.append(']');
        } else if (value.getClass().isArray()) {
            out.append('[');
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                value(out, Array.get(value, i));
            }
            out.append(']');
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Double d && !Double.isFinite(d)) {
            quote(out, value.toString());
        } else if (value instanceof Float f && !Float.isFinite(f)) {
            quote(out, value.toString());
        } else if (value instanceof Number) {
            out.append(value);
        } else {
            quote(out, value.toString());
        }
    }

    /** Appends a JSON string: quotes, backslashes, control characters, U+2028 and U+2029 escaped (one line). */
    static StringBuilder quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append("\\u")
                                .append(HEX[(c >> 12) & 0xf])
                                .append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf])
                                .append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}

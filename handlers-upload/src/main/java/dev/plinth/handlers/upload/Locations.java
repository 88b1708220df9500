package dev.plinth.handlers.upload;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The {@code Location} of a stored file and the small JSON receipt of an upload. */
final class Locations {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** Kept as they are in a path segment (RFC 3986 unreserved and sub-delims, colon, at). */
    private static final String SEGMENT_SAFE = "-._~!$&'()*+,;=:@";

    private Locations() {}

    /**
     * @param prefix the public prefix files are served under, such as {@code /files} or {@code /}
     * @param name a stored file's name, segments separated by {@code /}
     * @return the prefix, a slash and the name's segments percent-encoded, such as {@code /files/a%20b.txt}
     */
    static String of(String prefix, String name) {
        StringBuilder location = new StringBuilder(prefix.length() + name.length() + 8).append(prefix);
        if (!prefix.endsWith("/")) {
            location.append('/');
        }
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '/'
                    || (c < 0x80 && SEGMENT_SAFE.indexOf(c) >= 0)) {
                location.append((char) c);
            } else {
                location.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return location.toString();
    }

    /**
     * @param files the files stored
     * @param fields a form's small fields
     * @return {@code {"files":[{"name":…,"field":…,"size":…,"location":…}],"fields":{…}}}, one line and a newline
     */
    static String receipt(List<Stored> files, List<Map.Entry<String, String>> fields) {
        StringBuilder json = new StringBuilder(128).append("{\"files\":[");
        for (int i = 0; i < files.size(); i++) {
            Stored file = files.get(i);
            json.append(i == 0 ? "{" : ",{");
            json.append("\"name\":");
            string(json, file.name());
            if (!file.field().isEmpty()) {
                json.append(",\"field\":");
                string(json, file.field());
            }
            json.append(",\"size\":").append(file.size()).append(",\"location\":");
            string(json, file.location());
            json.append('}');
        }
        json.append(']');
        if (!fields.isEmpty()) {
            json.append(",\"fields\":{");
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    json.append(',');
                }
                string(json, fields.get(i).getKey());
                json.append(':');
                string(json, fields.get(i).getValue());
            }
            json.append('}');
        }
        return json.append("}\n").toString();
    }

    /** Appends a JSON string (RFC 8259 §7): quotes, backslashes and control characters escaped. */
    private static void string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }
}

package dev.plinth.http.core;

import dev.plinth.http.handler.MutableHeaders;
import dev.plinth.http.handler.Response;

/**
 * The charset default of text responses: text without a declared charset would be read as the client guesses
 * (RFC 9110 §8.3.2 leaves it to the recipient), and Plinth's text is UTF-8, so {@code text/*} without a
 * {@code charset} parameter gets {@code ; charset=utf-8}.
 */
final class ContentTypes {

    /** Handlers answer with a handful of types: the last one's completed form is kept, shared by all threads. */
    private static volatile String[] lastWithCharset = {"", ""};

    private ContentTypes() {}

    /**
     * Adds {@code charset=utf-8} to a text {@code Content-Type} that has no charset.
     *
     * @param response a response whose head is about to be encoded
     */
    static void defaultCharset(Response response) {
        MutableHeaders fields = response.headers();
        for (int i = 0, n = fields.size(); i < n; i++) {
            if (fields.name(i).equalsIgnoreCase("Content-Type")) {
                String type = fields.value(i);
                if (type.regionMatches(true, 0, "text/", 0, 5) && !hasCharset(type)) {
                    fields.set("Content-Type", withCharset(type));
                }
                return;
            }
        }
    }

    private static String withCharset(String type) {
        String[] last = lastWithCharset;
        if (last[0].equals(type)) {
            return last[1];
        }
        String completed = type + "; charset=utf-8";
        lastWithCharset = new String[] {type, completed};
        return completed;
    }

    private static boolean hasCharset(String type) {
        for (int at = type.indexOf(';'); at >= 0; at = type.indexOf(';', at + 1)) {
            int start = at + 1;
            while (start < type.length() && (type.charAt(start) == ' ' || type.charAt(start) == '\t')) {
                start++;
            }
            if (type.regionMatches(true, start, "charset=", 0, 8)) {
                return true;
            }
        }
        return false;
    }
}

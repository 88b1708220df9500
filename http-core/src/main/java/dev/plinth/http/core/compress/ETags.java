package dev.plinth.http.core.compress;

/**
 * Entity tags of compressed representations (RFC 9110 §8.8.3).
 *
 * <p>A compressed body is a different representation from the identity one, so it gets its own tag: {@code -gzip}
 * is added inside the quotes. A strong tag must change (§8.8.1: strong validators differ whenever the bytes do). A
 * weak tag could be shared, since the two are semantically equivalent, but this class suffixes it too: a cache that
 * revalidates its gzip copy with {@code If-None-Match} and gets a 304 meant for identity would then serve that copy
 * with the identity's fields, and clients have been seen mixing them up; distinct tags cost nothing.
 *
 * <p>The suffix differs from the static handler's {@code -gz} for precompressed files on purpose: those bytes come from
 * another compressor, and a strong tag names exact bytes.
 */
public final class ETags {

    private static final String SUFFIX = "-gzip";

    private ETags() {}

    /**
     * @param etag the identity representation's {@code ETag}, such as {@code "abc"} or {@code W/"abc"}
     * @return the compressed representation's, such as {@code "abc-gzip"} or {@code W/"abc-gzip"}; {@code null} if
     *     {@code etag} is not an entity tag, and then the compressed response must go without one rather than share
     *     the identity's
     */
    public static String forGzip(String etag) {
        String tag = etag.strip();
        if (!isTag(tag)) {
            return null;
        }
        return tag.substring(0, tag.length() - 1) + SUFFIX + '"';
    }

    /**
     * Whether an {@code If-None-Match} value names the identity representation or its gzip form, by weak comparison
     * (§13.1.2). Lets the core answer 304 for a client that cached the compressed body, whose tag the handler, which
     * only knows the identity tag, would not recognise.
     *
     * @param candidate an {@code If-None-Match} field value: {@code *} or a list of entity tags; a malformed list
     *     matches nothing
     * @param identityEtag the tag the handler gave the identity representation
     * @return whether one of the candidates matches {@code identityEtag} or {@code forGzip(identityEtag)}
     */
    public static boolean matchesEither(String candidate, String identityEtag) {
        String identity = identityEtag.strip();
        if (!isTag(identity)) {
            return false;
        }
        String value = candidate.strip();
        if (value.equals("*")) {
            return true;
        }
        String opaque = opaque(identity);
        String gzipOpaque = opaque(forGzip(identity));
        boolean matched = false;
        int i = 0;
        int n = value.length();
        while (i < n) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++; // OWS and empty list elements (§5.6.1.2)
                continue;
            }
            int end = tagEnd(value, i);
            if (end < 0) {
                return false;
            }
            String tag = opaque(value.substring(i, end));
            matched |= tag.equals(opaque) || tag.equals(gzipOpaque);
            for (i = end; i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t'); i++) {}
            if (i < n && value.charAt(i) != ',') {
                return false; // two tags without a comma: malformed
            }
        }
        return matched;
    }

    private static boolean isTag(String text) {
        return tagEnd(text, 0) == text.length();
    }

    /** @return the tag without a weakness indicator: weak comparison ignores it */
    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    /** @return the index after the entity tag that starts at {@code start}, or -1 if none does */
    private static int tagEnd(String text, int start) {
        int i = text.startsWith("W/", start) ? start + 2 : start;
        if (i >= text.length() || text.charAt(i) != '"') {
            return -1;
        }
        for (i++; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c < 0x21 || c == 0x7f) {
                return -1; // etagc = %x21 / %x23-7E / obs-text
            }
        }
        return -1;
    }
}

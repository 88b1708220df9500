package dev.plinth.http.parser;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Field names and values as Strings without building a new String for each field of each request, in the manner of
 * Jetty's HttpField cache. Strings handed out are always exactly the bytes received (ISO-8859-1):
 * <ul>
 * <li>Names: a fixed table of common request field names, each in its usual spelling and in lower case, shared by
 * all parsers. A name spelled otherwise gets its own String.</li>
 * <li>Values: one small cache per thread (a selector loop, shared by the connections it serves) of the values of
 * fields that clients repeat on every request ({@link #CACHEABLE}: Host, User-Agent, Accept..., not Cookie or
 * Authorization, which are credentials and are not kept beyond their request). It holds at most {@link #SLOTS}
 * values of at most
 * {@link #MAX_VALUE} bytes each and {@link #BUDGET} bytes in all; a value is kept on first sight if its slot is free
 * and the budget allows, and never evicted. Its memory is bounded and created on first use.</li>
 * </ul>
 */
final class FieldCache {
    static final int SLOTS = 32;
    static final int MAX_VALUE = 256;
    static final int BUDGET = 2048;

    /** Common request field names; the first {@link #CACHEABLE} of them have cacheable values. */
    private static final String[] CANONICAL = {
        // values cached per connection
        "Host",
        "Connection",
        "User-Agent",
        "Accept",
        "Accept-Encoding",
        "Accept-Language",
        "Accept-Charset",
        "Cache-Control",
        "Pragma",
        "Content-Type",
        "Origin",
        "Upgrade-Insecure-Requests",
        "Sec-Fetch-Site",
        "Sec-Fetch-Mode",
        "Sec-Fetch-Dest",
        "Sec-Fetch-User",
        "Sec-Ch-Ua",
        "Sec-Ch-Ua-Mobile",
        "Sec-Ch-Ua-Platform",
        "DNT",
        "TE",
        "Expect",
        "Transfer-Encoding",
        "Keep-Alive",
        // names only
        "Content-Length",
        "Cookie",
        "Authorization",
        "Referer",
        "If-None-Match",
        "If-Modified-Since",
        "If-Match",
        "If-Unmodified-Since",
        "If-Range",
        "Range",
        "X-Forwarded-For",
        "X-Forwarded-Proto",
        "X-Forwarded-Host",
        "X-Real-IP",
        "X-Request-Id",
        "X-Requested-With",
        "Forwarded",
        "Via",
        "Date",
        "Content-Encoding",
        "Content-Range",
        "Content-Disposition",
        "Upgrade",
        "Sec-WebSocket-Key",
        "Sec-WebSocket-Version",
        "Sec-WebSocket-Extensions",
        "Sec-WebSocket-Protocol",
        "Priority",
        "Trailer",
        "Max-Forwards",
        "Proxy-Authorization",
        "Traceparent",
        "Tracestate"
    };

    private static final int CACHEABLE_COUNT = 24;

    /** Names in both spellings; index {@code i} and {@code i + CANONICAL.length} are the same field. */
    private static final String[] NAMES;

    private static final byte[][] NAME_BYTES;
    /** Indices into {@link #NAMES} by name length. */
    private static final int[][] BY_LENGTH;

    static {
        int n = CANONICAL.length;
        NAMES = new String[2 * n];
        NAME_BYTES = new byte[2 * n][];
        int longest = 0;
        for (int i = 0; i < n; i++) {
            NAMES[i] = CANONICAL[i];
            NAMES[i + n] = CANONICAL[i].toLowerCase(java.util.Locale.ROOT);
            longest = Math.max(longest, CANONICAL[i].length());
        }
        int[] counts = new int[longest + 1];
        for (int i = 0; i < 2 * n; i++) {
            NAME_BYTES[i] = NAMES[i].getBytes(StandardCharsets.ISO_8859_1);
            counts[NAMES[i].length()]++;
        }
        BY_LENGTH = new int[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            BY_LENGTH[length] = new int[counts[length]];
            counts[length] = 0;
        }
        for (int i = 0; i < 2 * n; i++) {
            int length = NAMES[i].length();
            BY_LENGTH[length][counts[length]++] = i;
        }
    }

    private int[] slotName;
    private byte[][] slotBytes;
    private String[] slotValue;
    private int used;

    /**
     * @param b the field line
     * @param length the name's length, from index 0
     * @return the index of a known name spelled exactly so, or -1
     */
    static int name(byte[] b, int length) {
        if (length >= BY_LENGTH.length) {
            return -1;
        }
        for (int i : BY_LENGTH[length]) {
            if (Arrays.equals(b, 0, length, NAME_BYTES[i], 0, length)) {
                return i;
            }
        }
        return -1;
    }

    /** @return the name as a String, shared if known */
    static String nameString(byte[] b, int length, int known) {
        return known >= 0 ? NAMES[known] : new String(b, 0, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * @param known the index of the field's name, or -1
     * @return the value {@code b[from, to)} as a String, from this connection's cache when the name is cacheable
     */
    String value(int known, byte[] b, int from, int to) {
        int field = known % CANONICAL.length;
        int length = to - from;
        if (known < 0 || field >= CACHEABLE_COUNT || length > MAX_VALUE) {
            return new String(b, from, length, StandardCharsets.ISO_8859_1);
        }
        if (slotName == null) {
            slotName = new int[SLOTS];
            slotBytes = new byte[SLOTS][];
            slotValue = new String[SLOTS];
        }
        int hash = field * 31 + length;
        if (length > 0) {
            hash = hash * 31 + b[from];
            hash = hash * 31 + b[to - 1];
            hash = hash * 31 + b[from + (length >> 1)];
        }
        int slot = (hash ^ hash >>> 7) & (SLOTS - 1);
        byte[] cached = slotBytes[slot];
        if (cached != null) {
            if (slotName[slot] == field && Arrays.equals(b, from, to, cached, 0, cached.length)) {
                return slotValue[slot];
            }
            return new String(b, from, length, StandardCharsets.ISO_8859_1);
        }
        String value = new String(b, from, length, StandardCharsets.ISO_8859_1);
        if (used + length <= BUDGET) {
            used += length;
            slotName[slot] = field;
            slotBytes[slot] = Arrays.copyOfRange(b, from, to);
            slotValue[slot] = value;
        }
        return value;
    }
}

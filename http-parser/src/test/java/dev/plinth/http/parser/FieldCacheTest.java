package dev.plinth.http.parser;

import static dev.plinth.http.parser.Harness.assertParses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Shared name Strings and the per-connection value cache report exactly the bytes received. */
class FieldCacheTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void namesAreReportedAsSpelled() {
        assertParses(
                "GET / HTTP/1.1\r\nHOST: a\r\nhost-x: 1\r\nuser-agent: u\r\nUser-agent: v\r\nACCEPT: *\r\n\r\n",
                "request GET / HTTP/1.1",
                "header HOST=[a]",
                "header host-x=[1]",
                "header user-agent=[u]",
                "header User-agent=[v]",
                "header ACCEPT=[*]",
                "headers 0",
                "complete");
    }

    @Test
    void knownNamesAreSharedInBothSpellings() {
        byte[] line = b("Accept-Encoding");
        assertSame(
                FieldCache.nameString(line, line.length, FieldCache.name(line, line.length)),
                FieldCache.nameString(b("Accept-Encoding: x"), line.length, FieldCache.name(line, line.length)));
        byte[] lower = b("accept-encoding");
        assertEquals(
                "accept-encoding", FieldCache.nameString(lower, lower.length, FieldCache.name(lower, lower.length)));
        byte[] odd = b("ACCEPT-encoding");
        assertEquals(-1, FieldCache.name(odd, odd.length));
        byte[] host = b("Host");
        assertSame("Host", FieldCache.nameString(host, 4, FieldCache.name(host, 4)));
    }

    @Test
    void namesLongerThanAnyKnownAreUnknown() {
        for (int length = 24; length <= 28; length++) {
            byte[] name = b("X".repeat(length));
            assertEquals(-1, FieldCache.name(name, length), "length " + length);
        }
    }

    @Test
    void cacheableValuesAreSharedAcrossRequestsOfAConnection() {
        FieldCache cache = new FieldCache();
        byte[] ua = b("User-Agent");
        int known = FieldCache.name(ua, ua.length);
        byte[] first = b("xxMozilla/5.0");
        byte[] second = b("yMozilla/5.0");
        String a = cache.value(known, first, 2, first.length);
        String c = cache.value(known, second, 1, second.length);
        assertEquals("Mozilla/5.0", a);
        assertSame(a, c);
        byte[] other = b("Mozilla/5.1");
        assertEquals("Mozilla/5.1", cache.value(known, other, 0, other.length));
        byte[] host = b("Host");
        byte[] value = b("example.com");
        int hostName = FieldCache.name(host, host.length);
        assertSame(cache.value(hostName, value, 0, value.length), cache.value(hostName, value, 0, value.length));
    }

    @Test
    void credentialsAndUnknownFieldsAreNotCached() {
        FieldCache cache = new FieldCache();
        for (String name : new String[] {"Cookie", "Authorization", "X-Custom", "Content-Length"}) {
            byte[] n = b(name);
            int known = FieldCache.name(n, n.length);
            byte[] v = b("secret");
            assertNotSame(cache.value(known, v, 0, v.length), cache.value(known, v, 0, v.length), name);
        }
    }

    @Test
    void theCacheKeepsWithinItsBudget() {
        FieldCache cache = new FieldCache();
        byte[] n = b("Accept");
        int known = FieldCache.name(n, n.length);
        int kept = 0;
        for (int i = 0; i < 1000; i++) {
            byte[] v = b(i + "x".repeat(FieldCache.MAX_VALUE - 4));
            if (cache.value(known, v, 0, v.length) == cache.value(known, v, 0, v.length)) {
                kept++;
            }
        }
        assertEquals(FieldCache.BUDGET / (FieldCache.MAX_VALUE - 1), kept, "values kept within the budget");
        FieldCache fresh = new FieldCache();
        int longest = 0;
        for (int i = 0; i < 1000; i++) {
            byte[] v = b(String.format("%03d", i) + "x".repeat(FieldCache.MAX_VALUE - 3));
            if (fresh.value(known, v, 0, v.length) == fresh.value(known, v, 0, v.length)) {
                longest++;
            }
        }
        assertEquals(FieldCache.BUDGET / FieldCache.MAX_VALUE, longest, "values of the longest kept size fill it");
        byte[] tooLong = b("x".repeat(FieldCache.MAX_VALUE + 1));
        assertNotSame(cache.value(known, tooLong, 0, tooLong.length), cache.value(known, tooLong, 0, tooLong.length));
    }
}

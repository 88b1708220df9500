package dev.plinth.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.plinth.http.core.ExchangeFacts;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each format, field by field, and what hostile request text becomes in it. */
@Timeout(10)
class LinesTest {

    static final Instant START = Instant.parse("2026-11-30T13:03:07.250Z");
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /** NCSA combined, read back: host, ident, user, time, request, status, bytes, referer, user agent. */
    static final Pattern COMBINED = Pattern.compile("(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"((?:[^\"\\\\]|\\\\.)*)\""
            + " (\\d{3}) (\\d+|-) \"((?:[^\"\\\\]|\\\\.)*)\" \"((?:[^\"\\\\]|\\\\.)*)\"\n");

    static final Pattern COMMON =
            Pattern.compile("(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"((?:[^\"\\\\]|\\\\.)*)\" (\\d{3}) (\\d+|-)\n");

    static final String HOSTILE_TARGET = "/a\"b\\c\r\n192.0.2.66 - - [30/Nov/2026:14:03:07 +0100] \"GET / HTTP/1.1\""
            + " 200 1 \"-\" \"-\"\u0000\u007f\u00e9\t";
    static final String HOSTILE_REFERER = "http://x/\" \"forged";
    static final String HOSTILE_AGENT = "agent\\\" 200 99\n\u001b[31m\u00ff";

    static ExchangeFacts facts(
            String method, String target, String version, String referer, String agent, int status, long bytes) {
        return new ExchangeFacts(
                address(new byte[] {(byte) 192, 0, 2, 7}, 54321),
                address(new byte[] {127, 0, 0, 1}, 8080),
                START.toEpochMilli(),
                method,
                target,
                version,
                referer,
                agent,
                "/docs",
                status,
                bytes,
                1_234_567,
                true);
    }

    static ExchangeFacts get() {
        return facts("GET", "/docs/a.html?x=1", "HTTP/1.1", "http://example.com/", "curl/8.5.0", 200, 1234);
    }

    static InetSocketAddress address(byte[] ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static String line(LineFormat format, ZoneId zone, ExchangeFacts facts) {
        StringBuilder out = new StringBuilder();
        new Lines(format, zone).append(facts, out);
        return out.toString();
    }

    /** Undoes the NCSA escapes: {@code \"}, {@code \\} and {@code \xhh}. */
    static String unescapeNcsa(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\') {
                out.append(c);
            } else if (field.charAt(i + 1) == 'x') {
                out.append((char) Integer.parseInt(field.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                out.append(field.charAt(++i));
            }
        }
        return out.toString();
    }

    static void assertPrintableAscii(String line) {
        assertTrue(line.endsWith("\n"), line);
        String body = line.substring(0, line.length() - 1);
        assertTrue(body.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "printable ASCII only: " + line);
    }

    static JsonObject parseJson(String line) throws IOException {
        assertPrintableAscii(line);
        JsonReader reader = new JsonReader(new StringReader(line));
        reader.setStrictness(Strictness.STRICT);
        JsonElement parsed = JsonParser.parseReader(reader);
        assertEquals(JsonToken.END_DOCUMENT, reader.peek(), "one value per line");
        return parsed.getAsJsonObject();
    }

    @Test
    void combinedAsApacheWritesIt() {
        assertEquals(
                "192.0.2.7 - - [30/Nov/2026:14:03:07 +0100] \"GET /docs/a.html?x=1 HTTP/1.1\" 200 1234"
                        + " \"http://example.com/\" \"curl/8.5.0\"\n",
                line(LineFormat.COMBINED, PARIS, get()));
    }

    @Test
    void combinedFieldByField() {
        Matcher fields = COMBINED.matcher(line(LineFormat.COMBINED, PARIS, get()));
        assertTrue(fields.matches());
        assertEquals("192.0.2.7", fields.group(1));
        assertEquals("-", fields.group(2));
        assertEquals("-", fields.group(3));
        assertEquals("30/Nov/2026:14:03:07 +0100", fields.group(4));
        assertEquals("GET /docs/a.html?x=1 HTTP/1.1", fields.group(5));
        assertEquals("200", fields.group(6));
        assertEquals("1234", fields.group(7));
        assertEquals("http://example.com/", fields.group(8));
        assertEquals("curl/8.5.0", fields.group(9));
    }

    @Test
    void commonIsTheFirstSevenFields() {
        String combined = line(LineFormat.COMBINED, PARIS, get());
        String common = line(LineFormat.COMMON, PARIS, get());
        assertTrue(COMMON.matcher(common).matches(), common);
        assertEquals("192.0.2.7 - - [30/Nov/2026:14:03:07 +0100] \"GET /docs/a.html?x=1 HTTP/1.1\" 200 1234\n", common);
        assertTrue(combined.startsWith(common.substring(0, common.length() - 1) + " \""));
    }

    @Test
    void anEmptyBodyIsADashAsApacheWritesPercentB() {
        ExchangeFacts notModified = facts("GET", "/a", "HTTP/1.1", "-", "-", 304, 0);
        assertEquals(
                "192.0.2.7 - - [30/Nov/2026:14:03:07 +0100] \"GET /a HTTP/1.1\" 304 - \"-\" \"-\"\n",
                line(LineFormat.COMBINED, PARIS, notModified));
    }

    @Test
    void aRequestWithNoReadableLineIsADash() {
        ExchangeFacts rejected = facts("-", "-", "-", "-", "-", 400, 50);
        assertEquals(
                "192.0.2.7 - - [30/Nov/2026:14:03:07 +0100] \"-\" 400 50 \"-\" \"-\"\n",
                line(LineFormat.COMBINED, PARIS, rejected));
        ExchangeFacts noTarget = facts("GET", "-", "-", "-", "-", 414, 0);
        assertEquals(
                "192.0.2.7 - - [30/Nov/2026:14:03:07 +0100] \"-\" 414 -\n", line(LineFormat.COMMON, PARIS, noTarget));
        ExchangeFacts noVersion = facts("GET", "/x", "-", "-", "-", 400, 0);
        assertTrue(line(LineFormat.COMMON, PARIS, noVersion).contains(" \"GET /x\" 400 "));
    }

    @Test
    void missingTextAndAddressesAreDashes() throws IOException {
        ExchangeFacts bare = new ExchangeFacts(
                null, null, START.toEpochMilli(), null, null, null, null, null, null, 500, 0, 0, true);
        assertEquals(
                "- - - [30/Nov/2026:14:03:07 +0100] \"-\" 500 - \"-\" \"-\"\n", line(LineFormat.COMBINED, PARIS, bare));
        JsonObject json = parseJson(line(LineFormat.JSON, PARIS, bare));
        assertTrue(json.get("remote").isJsonNull());
        assertTrue(json.get("userAgent").isJsonNull());
    }

    @Test
    void timesInTheZoneWithItsOffsetAndEnglishMonths() {
        assertTrue(line(LineFormat.COMMON, ZoneOffset.UTC, get()).contains(" [30/Nov/2026:13:03:07 +0000] "));
        assertTrue(line(LineFormat.COMMON, ZoneId.of("America/New_York"), get())
                .contains(" [30/Nov/2026:08:03:07 -0500] "));
        assertTrue(
                line(LineFormat.COMMON, ZoneId.of("Asia/Kolkata"), get()).contains(" [30/Nov/2026:18:33:07 +0530] "));
        List<String> months =
                List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");
        Lines lines = new Lines(LineFormat.COMMON, ZoneOffset.UTC);
        for (int month = 1; month <= 12; month++) {
            Instant first = Instant.parse(String.format("2027-%02d-05T00:00:00Z", month));
            ExchangeFacts facts = new ExchangeFacts(
                    get().remote(), null, first.toEpochMilli(), "GET", "/", "HTTP/1.1", "-", "-", "", 200, 1, 0, true);
            StringBuilder out = new StringBuilder();
            lines.append(facts, out);
            assertTrue(
                    out.toString().contains("[05/" + months.get(month - 1) + "/2027:00:00:00 +0000]"), out::toString);
        }
    }

    @Test
    void quotedFieldsEscapeQuotesBackslashesControlsAndNonAscii() {
        StringBuilder out = new StringBuilder();
        Escapes.ncsa(out, "a\"b\\c\r\n\t\u0000\u007f\u00e9\u20ac\uD83D\uDE00 ~");
        assertEquals("a\\\"b\\\\c\\x0d\\x0a\\x09\\x00\\x7f\\xe9\\xe2\\x82\\xac\\xf0\\x9f\\x98\\x80 ~", out.toString());
    }

    @Test
    void noClientCanForgeACombinedLine() {
        String line = line(
                LineFormat.COMBINED,
                PARIS,
                facts("GET", HOSTILE_TARGET, "HTTP/1.1", HOSTILE_REFERER, HOSTILE_AGENT, 404, 9));
        assertPrintableAscii(line);
        assertEquals(1, line.chars().filter(c -> c == '\n').count());
        Matcher fields = COMBINED.matcher(line);
        assertTrue(fields.matches(), line);
        assertEquals("GET " + HOSTILE_TARGET + " HTTP/1.1", unescapeNcsa(fields.group(5)));
        assertEquals("404", fields.group(6));
        assertEquals("9", fields.group(7));
        assertEquals(HOSTILE_REFERER, unescapeNcsa(fields.group(8)));
        assertEquals(HOSTILE_AGENT, unescapeNcsa(fields.group(9)));
    }

    @Test
    void jsonFieldByField() throws IOException {
        String line = line(LineFormat.JSON, PARIS, get());
        assertEquals(
                "{\"time\":\"2026-11-30T14:03:07.250+01:00\",\"remote\":\"192.0.2.7\",\"method\":\"GET\","
                        + "\"target\":\"/docs/a.html?x=1\",\"protocol\":\"HTTP/1.1\",\"status\":200,\"bytes\":1234,"
                        + "\"referer\":\"http://example.com/\",\"userAgent\":\"curl/8.5.0\",\"durationMicros\":1234,"
                        + "\"prefix\":\"/docs\",\"complete\":true,\"localPort\":8080}\n",
                line);
        JsonObject json = parseJson(line);
        assertEquals(13, json.size());
        assertEquals("2026-11-30T14:03:07.250+01:00", json.get("time").getAsString());
        assertEquals(START, Instant.parse(json.get("time").getAsString()));
        assertEquals("192.0.2.7", json.get("remote").getAsString());
        assertEquals("GET", json.get("method").getAsString());
        assertEquals("/docs/a.html?x=1", json.get("target").getAsString());
        assertEquals("HTTP/1.1", json.get("protocol").getAsString());
        assertEquals(200, json.get("status").getAsInt());
        assertEquals(1234, json.get("bytes").getAsLong());
        assertEquals("http://example.com/", json.get("referer").getAsString());
        assertEquals("curl/8.5.0", json.get("userAgent").getAsString());
        assertEquals(1234, json.get("durationMicros").getAsLong());
        assertEquals("/docs", json.get("prefix").getAsString());
        assertTrue(json.get("complete").getAsBoolean());
        assertEquals(8080, json.get("localPort").getAsInt());
    }

    @Test
    void jsonWritesWhatTheRequestDidNotCarryAsNull() throws IOException {
        ExchangeFacts rejected = new ExchangeFacts(
                get().remote(), null, START.toEpochMilli(), "-", "-", "-", "-", "-", "", 400, 0, 0, false);
        JsonObject json = parseJson(line(LineFormat.JSON, ZoneOffset.UTC, rejected));
        for (String absent : List.of("method", "target", "protocol", "referer", "userAgent", "prefix", "localPort")) {
            assertTrue(json.get(absent).isJsonNull(), absent);
        }
        assertEquals(0, json.get("bytes").getAsLong());
        assertFalse(json.get("complete").getAsBoolean());
        assertEquals("2026-11-30T13:03:07.250Z", json.get("time").getAsString());
    }

    @Test
    void jsonMillisecondsArePadded() throws IOException {
        ExchangeFacts early = new ExchangeFacts(
                get().remote(),
                null,
                START.toEpochMilli() - 245,
                "GET",
                "/",
                "HTTP/1.1",
                "-",
                "-",
                "",
                200,
                0,
                0,
                true);
        assertEquals(
                "2026-11-30T13:03:07.005Z",
                parseJson(line(LineFormat.JSON, ZoneOffset.UTC, early))
                        .get("time")
                        .getAsString());
    }

    @Test
    void jsonCarriesHostileTextExactlyAndStaysOneAsciiLine() throws IOException {
        String line = line(
                LineFormat.JSON,
                PARIS,
                facts("GET", HOSTILE_TARGET, "HTTP/1.1", HOSTILE_REFERER, HOSTILE_AGENT, 404, 9));
        assertEquals(1, line.chars().filter(c -> c == '\n').count());
        JsonObject json = parseJson(line);
        assertEquals(HOSTILE_TARGET, json.get("target").getAsString());
        assertEquals(HOSTILE_REFERER, json.get("referer").getAsString());
        assertEquals(HOSTILE_AGENT, json.get("userAgent").getAsString());
        StringBuilder escaped = new StringBuilder();
        Escapes.json(escaped, "\"\\\n\r\t\b\f\u0000\u007f\u00e9\u2028");
        assertEquals("\"\\\"\\\\\\n\\r\\t\\b\\f\\u0000\\u007f\\u00e9\\u2028\"", escaped.toString());
    }

    @Test
    void formatsAreNamedInAnyCase() {
        assertEquals(LineFormat.COMBINED, LineFormat.named("combined"));
        assertEquals(LineFormat.COMMON, LineFormat.named(" Common "));
        assertEquals(LineFormat.JSON, LineFormat.named("JSON"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> LineFormat.named("w3c"));
        assertTrue(unknown.getMessage().contains("combined, common, json"), unknown.getMessage());
    }
}

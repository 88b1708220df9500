package dev.plinth.handlers.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Runs one row of a table-driven socket test: {@code method | request fields | status | body | response fields}.
 * Lists are separated by {@code &&}. Placeholders: {@code {E}} the file's current ETag, {@code {L}} its
 * Last-Modified, {@code {L+1}} and {@code {L-1}} a second later and earlier, {@code {L850}} and {@code {LASC}} the
 * same date in the obsolete RFC 850 and asctime forms. Expected body: {@code *} any, {@code ALL} the whole file,
 * {@code a-b} bytes a to b inclusive of the file, anything else literally. An expected field {@code Name=!} must be
 * absent.
 */
final class Table {

    private final InetSocketAddress server;
    private final String target;
    private final String content;
    private final String etag;

    /**
     * @param server the server
     * @param target the file's path
     * @param content the file's content
     * @throws IOException if the file's ETag cannot be fetched
     */
    Table(InetSocketAddress server, String target, String content) throws IOException {
        this.server = server;
        this.target = target;
        this.content = content;
        this.etag = Wire.send(server, "GET", target).header("ETag");
    }

    /** @return the file's current ETag */
    String etag() {
        return etag;
    }

    void check(String method, String fields, int status, String body, String expected) throws IOException {
        UnaryOperator<String> fill = this::fill;
        String[] request = fields == null
                ? new String[0]
                : Arrays.stream(fields.split("&&")).map(String::strip).map(fill).toArray(String[]::new);
        Wire.Reply reply = Wire.send(server, method, target, request);
        String row = method + " " + Arrays.toString(request) + " -> " + reply;
        assertEquals(status, reply.status(), row);
        String want = body == null ? "" : body.strip();
        if (want.equals("ALL")) {
            assertEquals(content, reply.text(), row);
        } else if (want.matches("\\d+-\\d+")) {
            String[] bounds = want.split("-");
            assertEquals(
                    content.substring(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]) + 1), reply.text(), row);
        } else if (!want.equals("*")) {
            assertEquals(want, reply.text(), row);
        }
        if (expected != null) {
            for (String pair : expected.split("&&")) {
                int equals = pair.indexOf('=');
                String name = pair.substring(0, equals).strip();
                String value = fill(pair.substring(equals + 1).strip());
                if (value.equals("!")) {
                    assertFalse(reply.field(name).isPresent(), name + " should be absent: " + row);
                } else {
                    assertEquals(value, reply.field(name).orElse(null), name + ": " + row);
                }
            }
        }
    }

    private String fill(String text) {
        var modified =
                dev.plinth.http.handler.HttpDates.parse(Site.LAST_MODIFIED).orElseThrow();
        Map<String, String> values = Map.of(
                "{E}", etag,
                "{W}", "W/" + etag,
                "{L}", Site.LAST_MODIFIED,
                "{L+1}", dev.plinth.http.handler.HttpDates.format(modified.plusSeconds(1)),
                "{L-1}", dev.plinth.http.handler.HttpDates.format(modified.minusSeconds(1)),
                "{L850}",
                        DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.US)
                                .withZone(ZoneOffset.UTC)
                                .format(modified),
                "{LASC}",
                        DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US)
                                .withZone(ZoneOffset.UTC)
                                .format(modified));
        String filled = text;
        for (Map.Entry<String, String> value : values.entrySet()) {
            filled = filled.replace(value.getKey(), value.getValue());
        }
        return filled;
    }
}

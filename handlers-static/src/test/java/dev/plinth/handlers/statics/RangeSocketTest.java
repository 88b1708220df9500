package dev.plinth.handlers.statics;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Range requests (RFC 9110 §14) over a real socket. See {@link Table} for the notation. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RangeSocketTest extends SharedSite {

    private static final String TEXT = "text/plain; charset=utf-8";

    private static Table table;

    @BeforeAll
    static void start() throws IOException {
        table = new Table(server, "/digits.txt", Site.DIGITS);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            nullValues = "",
            value = {
                // one range: 206 with Content-Range, from a zero-copy file region
                "GET  | Range: bytes=0-9                   | 206 | 0-9   | Content-Range=bytes 0-9/100 && "
                        + "Content-Length=10 && Content-Type="
                        + TEXT + " && ETag={E}",
                "GET  | Range: bytes=90-                   | 206 | 90-99 | Content-Range=bytes 90-99/100",
                "GET  | Range: bytes=-5                    | 206 | 95-99 | Content-Range=bytes 95-99/100",
                "GET  | Range: bytes=-500                  | 206 | ALL   | Content-Range=bytes 0-99/100",
                "GET  | Range: bytes=95-500                | 206 | 95-99 | Content-Range=bytes 95-99/100",
                "GET  | Range: bytes=0-0                   | 206 | 0-0   | Content-Range=bytes 0-0/100",
                "GET  | Range: bytes=99-99                 | 206 | 99-99 | Content-Range=bytes 99-99/100",
                "GET  | Range: BYTES=10-19                 | 206 | 10-19 | Content-Range=bytes 10-19/100",
                "GET  | Range: bytes=0-99999999999999999999999 | 206 | ALL | Content-Range=bytes 0-99/100",
                "GET  | Range: bytes= 3-4                  | 206 | 3-4   |",
                // coalesced into one range
                "GET  | Range: bytes=0-1,,2-3              | 206 | 0-3   | Content-Range=bytes 0-3/100",
                "GET  | Range: bytes=0-4, 2-8              | 206 | 0-8   | Content-Range=bytes 0-8/100",
                "GET  | Range: bytes=5-9,0-4,-90           | 206 | ALL   | Content-Range=bytes 0-99/100",
                "GET  | Range: bytes=5-9,0-4               | 206 | 0-9   | Content-Range=bytes 0-9/100",
                "GET  | Range: bytes=5-9,0-5               | 206 | 0-9   | Content-Range=bytes 0-9/100",
                "GET  | Range: bytes=0-4,6-9,5-5           | 206 | 0-9   | Content-Range=bytes 0-9/100",
                "GET  | Range: bytes=0-1,200-300           | 206 | 0-1   | Content-Range=bytes 0-1/100",
                // unsatisfiable: 416 with the complete length
                "GET  | Range: bytes=100-                  | 416 | *     | Content-Range=bytes */100",
                "GET  | Range: bytes=100-200, 300-400      | 416 | *     | Content-Range=bytes */100",
                "GET  | Range: bytes=-0                    | 416 | *     | Content-Range=bytes */100",
                "GET  | Range: bytes=99999999999999999999999- | 416 | *   | Content-Range=bytes */100",
                // ignored: 200 with the whole file
                "GET  | Range: bytes=5-1                   | 200 | ALL   | Content-Range=!",
                "GET  | Range: bytes=0-1,5-1               | 200 | ALL   | Content-Range=!",
                "GET  | Range: bytes=abc                   | 200 | ALL   | Content-Range=!",
                "GET  | Range: bytes=1                     | 200 | ALL   |",
                "GET  | Range: bytes=                      | 200 | ALL   |",
                "GET  | Range: bytes=--5                   | 200 | ALL   |",
                "GET  | Range: bytes=+1-2                  | 200 | ALL   |",
                "GET  | Range: bytes 0-1                   | 200 | ALL   |",
                "GET  | Range: items=0-1                   | 200 | ALL   | Content-Range=!",
                "GET  | Range: none                        | 200 | ALL   |",
                "GET  | Range: bytes=0-1 && Range: bytes=2-3 | 200 | ALL |",
                "HEAD | Range: bytes=0-9                   | 200 |       | Content-Length=100 && Content-Range=!",
                // If-Range (§13.1.5): a strong ETag match, or the exact Last-Modified (strong: long past)
                "GET  | Range: bytes=0-9 && If-Range: {E}  | 206 | 0-9   | Content-Range=bytes 0-9/100",
                "GET  | Range: bytes=0-9 && If-Range: {L}  | 206 | 0-9   |",
                "GET  | Range: bytes=0-9 && If-Range: {L850} | 206 | 0-9 |",
                "GET  | Range: bytes=0-9 && If-Range: \"x\" | 200 | ALL  | Content-Range=!",
                "GET  | Range: bytes=0-9 && If-Range: {W}  | 200 | ALL   |",
                "GET  | Range: bytes=0-9 && If-Range: {L+1} | 200 | ALL  |",
                "GET  | Range: bytes=0-9 && If-Range: {L-1} | 200 | ALL  |",
                "GET  | Range: bytes=0-9 && If-Range: soon | 200 | ALL   |",
                "GET  | Range: bytes=500- && If-Range: \"x\" | 200 | ALL  |",
                "GET  | If-Range: \"x\"                    | 200 | ALL   |",
                "GET  | If-Range: {E}                      | 200 | ALL   |"
            })
    void ranges(String method, String fields, int status, String body, String expected) throws IOException {
        table.check(method, fields, status, body, expected);
    }

    @Test
    void severalRangesAreMultipartInTheOrderAsked() throws IOException {
        Wire.Reply reply = Wire.send(server, "GET", "/digits.txt", "Range: bytes=50-59,0-9,-5");
        assertEquals(206, reply.status());
        Multipart.assertSlices(
                Multipart.parse(reply),
                Site.DIGITS.getBytes(ISO_8859_1),
                TEXT,
                new long[] {50, 59},
                new long[] {0, 9},
                new long[] {95, 99});
        Wire.Reply merged = Wire.send(server, "GET", "/digits.txt", "Range: bytes=20-29,6-9,0-4,5-5");
        Multipart.assertSlices(
                Multipart.parse(merged), Site.DIGITS.getBytes(ISO_8859_1), TEXT, new long[] {20, 29}, new long[] {0, 9
                }); // the merged slice takes the place of the earliest it absorbed
    }

    @Test
    void multipartPartsOfABinaryFileMatchItsSlicesAcrossChunks() throws IOException {
        Wire.Reply reply =
                Wire.send(server, "GET", "/blob.bin", "Range: bytes=0-99999, 150000-, 120000-120000, 100000-100009");
        assertEquals(206, reply.status());
        Multipart.assertSlices(
                Multipart.parse(reply),
                site.blob,
                "application/octet-stream",
                new long[] {0, 100009},
                new long[] {150000, 199999},
                new long[] {120000, 120000});
    }

    @Test
    void boundariesAreRandom() throws IOException {
        String first =
                Wire.send(server, "GET", "/digits.txt", "Range: bytes=0-0,2-2").header("Content-Type");
        String second =
                Wire.send(server, "GET", "/digits.txt", "Range: bytes=0-0,2-2").header("Content-Type");
        assertNotEquals(first, second);
    }

    @Test
    void sixteenRangesAreServedAndSeventeenAreIgnored() throws IOException {
        String sixteen =
                IntStream.range(0, 16).mapToObj(i -> i * 3 + "-" + i * 3).collect(Collectors.joining(","));
        Wire.Reply parts = Wire.send(server, "GET", "/digits.txt", "Range: bytes=" + sixteen);
        assertEquals(206, parts.status());
        List<Multipart.Part> parsed = Multipart.parse(parts);
        assertEquals(16, parsed.size());
        Multipart.assertSlices(
                parsed,
                Site.DIGITS.getBytes(ISO_8859_1),
                TEXT,
                IntStream.range(0, 16).mapToObj(i -> new long[] {i * 3, i * 3}).toArray(long[][]::new));
        Wire.Reply whole = Wire.send(server, "GET", "/digits.txt", "Range: bytes=" + sixteen + ",60-60");
        assertEquals(200, whole.status());
        assertEquals(Site.DIGITS, whole.text());
        String manyOverlapping = IntStream.range(0, 200)
                .mapToObj(i -> i % 50 + "-" + (i % 50 + 1))
                .collect(Collectors.joining(","));
        Wire.Reply coalesced = Wire.send(server, "GET", "/digits.txt", "Range: bytes=" + manyOverlapping);
        assertEquals(206, coalesced.status());
        assertEquals("bytes 0-50/100", coalesced.header("Content-Range"));
    }

    @Test
    void anEmptyFileIgnoresRanges() throws IOException {
        Wire.Reply reply = Wire.send(server, "GET", "/empty.txt", "Range: bytes=-5");
        assertEquals(200, reply.status());
        assertEquals("0", reply.header("Content-Length"));
    }

    @Test
    void aSingleRangeOfALargerFileIsExact() throws IOException {
        Wire.Reply reply = Wire.send(server, "GET", "/blob.bin", "Range: bytes=65530-131080");
        assertEquals(206, reply.status());
        assertEquals("bytes 65530-131080/200000", reply.header("Content-Range"));
        assertEquals(new String(site.blob, 65530, 131080 - 65530 + 1, ISO_8859_1), reply.text());
    }
}

package dev.plinth.handlers.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Precompressed siblings chosen by Accept-Encoding (RFC 9110 §12.5.3), over a real socket. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PrecompressedSocketTest extends SharedSite {

    private static final String JS = "text/javascript; charset=utf-8";
    private static final String IDENTITY = "console.log('identity');\n";

    private static String identityTag;

    @BeforeAll
    static void start() throws IOException {
        identityTag = Wire.send(server, "GET", "/app.js").header("ETag");
    }

    @ParameterizedTest(name = "Accept-Encoding: {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "-                              | identity",
                "''                             | identity",
                "identity                       | identity",
                "gzip                           | gzip",
                "x-gzip                         | gzip",
                "GZIP                           | gzip",
                "br                             | br",
                "gzip, br                       | br",
                "gzip, deflate, br, zstd        | br",
                "br;q=0.5, gzip                 | gzip",
                "br;q=0.5, gzip;q=0.50          | br",
                "br;q=0, gzip                   | gzip",
                "br;q=0, gzip;q=0               | identity",
                "*                              | br",
                "*;q=0.5, br;q=0                | gzip",
                "*;q=0                          | identity",
                "br;q=0.1, identity;q=0.5       | identity",
                "gzip;q=0.5, identity;q=0.5     | gzip",
                "gzip;q=0.001                   | gzip",
                "gzip;q=1.5                     | identity",
                "gzip;q=abc, br;Q=1             | br",
                "deflate                        | identity",
                "gzip ; q=0.8 , br ; q=0.9      | br"
            })
    void codingIsChosenByWeight(String acceptEncoding, String expected) throws IOException {
        Wire.Reply reply = acceptEncoding == null
                ? Wire.send(server, "GET", "/app.js")
                : Wire.send(server, "GET", "/app.js", "Accept-Encoding: " + acceptEncoding);
        assertEquals(200, reply.status(), reply.toString());
        assertEquals(JS, reply.header("Content-Type"), "the original's type");
        assertEquals("Accept-Encoding", reply.header("Vary"));
        switch (expected) {
            case "identity" -> {
                assertFalse(reply.field("Content-Encoding").isPresent(), reply.toString());
                assertEquals(IDENTITY, reply.text());
                assertEquals(identityTag, reply.header("ETag"));
            }
            case "br" -> {
                assertEquals("br", reply.header("Content-Encoding"));
                assertEquals("BROTLI-BYTES", reply.text());
                assertTrue(reply.header("ETag").endsWith("-br\""), reply.header("ETag"));
            }
            default -> {
                assertEquals("gzip", reply.header("Content-Encoding"));
                assertEquals("GZIP-BYTES-LONGER", reply.text());
                assertTrue(reply.header("ETag").endsWith("-gz\""), reply.header("ETag"));
            }
        }
    }

    @Test
    void eachRepresentationHasItsOwnValidators() throws IOException {
        String brTag =
                Wire.send(server, "GET", "/app.js", "Accept-Encoding: br").header("ETag");
        Wire.Reply notModified = Wire.send(server, "GET", "/app.js", "Accept-Encoding: br", "If-None-Match: " + brTag);
        assertEquals(304, notModified.status());
        assertEquals(brTag, notModified.header("ETag"));
        assertEquals("Accept-Encoding", notModified.header("Vary"));
        Wire.Reply other = Wire.send(server, "GET", "/app.js", "Accept-Encoding: gzip", "If-None-Match: " + brTag);
        assertEquals(200, other.status(), "the gzip representation does not match the br one's tag");
        assertEquals("gzip", other.header("Content-Encoding"));
        assertEquals(
                200,
                Wire.send(server, "GET", "/app.js", "If-None-Match: " + brTag).status());
    }

    @Test
    void rangesCountBytesOfTheCompressedFile() throws IOException {
        Wire.Reply reply = Wire.send(server, "GET", "/app.js", "Accept-Encoding: br", "Range: bytes=0-5");
        assertEquals(206, reply.status());
        assertEquals("br", reply.header("Content-Encoding"));
        assertEquals("bytes 0-5/12", reply.header("Content-Range"));
        assertEquals("BROTLI", reply.text());
        Wire.Reply unsatisfiable = Wire.send(server, "GET", "/app.js", "Accept-Encoding: gzip", "Range: bytes=17-");
        assertEquals(416, unsatisfiable.status());
        assertEquals("bytes */17", unsatisfiable.header("Content-Range"));
        assertEquals("Accept-Encoding", unsatisfiable.header("Vary"));
    }

    @Test
    void headAnnouncesTheCompressedLength() throws IOException {
        Wire.Reply reply = Wire.send(server, "HEAD", "/app.js", "Accept-Encoding: gzip");
        assertEquals(200, reply.status());
        assertEquals("17", reply.header("Content-Length"));
        assertEquals("gzip", reply.header("Content-Encoding"));
    }

    @Test
    void onlyExistingSiblingsAreOffered() throws IOException {
        Wire.Reply brOnly = Wire.send(server, "GET", "/only-gz.css", "Accept-Encoding: br");
        assertFalse(brOnly.field("Content-Encoding").isPresent());
        assertEquals("p{}\n", brOnly.text());
        assertEquals("Accept-Encoding", brOnly.header("Vary"));
        Wire.Reply gzip = Wire.send(server, "GET", "/only-gz.css", "Accept-Encoding: br, gzip");
        assertEquals("gzip", gzip.header("Content-Encoding"));
        assertEquals("text/css; charset=utf-8", gzip.header("Content-Type"));
        assertEquals("GZ-CSS", gzip.text());
    }

    @Test
    void varyOnlyWhereSiblingsMayExist() throws IOException {
        assertFalse(
                Wire.send(server, "GET", "/logo.png", "Accept-Encoding: br")
                        .field("Vary")
                        .isPresent(),
                "an image without siblings does not vary");
        assertEquals(
                "Accept-Encoding",
                Wire.send(server, "GET", "/site.css").header("Vary"),
                "a compressible type varies even without siblings");
    }

    @Test
    void aSiblingAskedForByNameIsAnOrdinaryFile() throws IOException {
        Wire.Reply reply = Wire.send(server, "GET", "/app.js.gz", "Accept-Encoding: gzip");
        assertEquals("application/gzip", reply.header("Content-Type"));
        assertFalse(reply.field("Content-Encoding").isPresent());
        assertEquals("GZIP-BYTES-LONGER", reply.text());
    }
}

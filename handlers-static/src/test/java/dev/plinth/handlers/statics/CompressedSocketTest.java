package dev.plinth.handlers.statics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.plinth.http.core.Compression;
import dev.plinth.http.core.CoreConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The static handler behind a listener that compresses on the fly, over a real socket: files from memory and from
 * disk arrive gzip'd with their own tag, that tag revalidates to 304, ranges and precompressed files are left alone.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class CompressedSocketTest {

    private static final String GZIP = "Accept-Encoding: gzip";

    /** 60 KB of HTML: more than is compressed whole. */
    private static final String LARGE = "<li>an item of a long list</li>\n".repeat(2000);

    @TempDir
    static Path temp;

    private static Site site;
    private static InetSocketAddress fromMemory;
    private static InetSocketAddress fromDisk;

    @BeforeAll
    static void start() throws IOException {
        site = Site.in(temp);
        Site.write(site.docroot.resolve("large.html"), LARGE);
        CoreConfig core = CoreConfig.DEFAULT.withCompression(Compression.gzip(6, 10, Compression.DEFAULT_TYPES));
        fromMemory = site.serve(site.mount(), core);
        fromDisk = site.serve(site.mount().memory(0, 0), core);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        site.close();
    }

    private static String gunzip(byte[] body) throws IOException {
        return new String(new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes(), UTF_8);
    }

    @Test
    void filesFromMemoryAndFromDiskArriveCompressedWithTheirOwnTag() throws IOException {
        for (InetSocketAddress server : new InetSocketAddress[] {fromMemory, fromDisk}) {
            for (String file : new String[] {"/large.html", "/digits.txt"}) {
                Wire.Reply identity = Wire.send(server, "GET", file);
                Wire.Reply gzip = Wire.send(server, "GET", file, GZIP);
                assertEquals("gzip", gzip.header("Content-Encoding"), file);
                assertEquals("Accept-Encoding", gzip.header("Vary"), file);
                assertEquals(identity.text(), gunzip(gzip.body()), file);
                String tag = identity.header("ETag");
                assertEquals(tag.substring(0, tag.length() - 1) + "-gzip\"", gzip.header("ETag"), file);
                assertFalse(gzip.field("Accept-Ranges").isPresent(), file);

                Wire.Reply revalidated = Wire.send(server, "GET", file, GZIP, "If-None-Match: " + gzip.header("ETag"));
                assertEquals(304, revalidated.status(), file);
                assertEquals(gzip.header("ETag"), revalidated.header("ETag"));
                Wire.Reply identityRevalidated = Wire.send(server, "GET", file, GZIP, "If-None-Match: " + tag);
                assertEquals(304, identityRevalidated.status(), "the handler's own match: " + file);
            }
        }
    }

    @Test
    void rangesAndPrecompressedFilesAreLeftAlone() throws IOException {
        Wire.Reply range = Wire.send(fromMemory, "GET", "/large.html", GZIP, "Range: bytes=0-9");
        assertEquals(206, range.status());
        assertFalse(range.field("Content-Encoding").isPresent());
        assertArrayEquals(LARGE.substring(0, 10).getBytes(UTF_8), range.body());
        Wire.Reply precompressed = Wire.send(fromMemory, "GET", "/app.js", GZIP);
        assertEquals("gzip", precompressed.header("Content-Encoding"));
        assertEquals("GZIP-BYTES-LONGER", precompressed.text(), "the .gz sibling as it is");
    }
}

package dev.plinth.handlers.statics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 1 MiB file held in memory (the default limits hold it) over a real socket: whole, by range, and HEAD. The file is
 * deleted once the first response has read it into memory, so only memory can answer afterwards.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MemorySocketTest extends SharedSite {

    private static byte[] mebibyte;
    private static InetSocketAddress held;

    @BeforeAll
    static void file() throws IOException {
        mebibyte = new byte[1 << 20];
        new Random(7).nextBytes(mebibyte);
        Site.write(site.docroot.resolve("1m.bin"), mebibyte);
        held = site.serve(site.mount().metadataCacheMillis(60_000));
        assertArrayEquals(mebibyte, Wire.send(held, "GET", "/1m.bin").body(), "read into memory");
        Files.delete(site.docroot.resolve("1m.bin")); // a later look at the disk would find nothing
    }

    @Test
    void theWholeFileArrivesIntactEveryTime() throws IOException {
        for (int i = 0; i < 3; i++) {
            Wire.Reply reply = Wire.send(held, "GET", "/1m.bin");
            assertEquals(200, reply.status());
            assertEquals(String.valueOf(mebibyte.length), reply.header("Content-Length"));
            assertArrayEquals(mebibyte, reply.body(), "request " + i);
        }
    }

    @Test
    void rangesAndHeadComeFromTheSameBytes() throws IOException {
        Wire.send(held, "GET", "/1m.bin");
        Wire.Reply middle = Wire.send(held, "GET", "/1m.bin", "Range: bytes=500000-600000");
        assertEquals(206, middle.status());
        assertEquals("bytes 500000-600000/1048576", middle.header("Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(mebibyte, 500_000, 600_001), middle.body());
        Wire.Reply head = Wire.send(held, "HEAD", "/1m.bin");
        assertEquals("1048576", head.header("Content-Length"));
        assertEquals(middle.header("ETag"), head.header("ETag"));
    }
}

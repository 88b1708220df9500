package dev.plinth.http.core.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole body published in parts: sizes, demand, the file's region and its closing. */
class RegionPartsTest {

    private static final byte[] DATA = new byte[40_000];

    static {
        new Random(7).nextBytes(DATA);
    }

    @Test
    void bytesArePublishedInPartsOfAtMostTheBufferOnePerDemand() {
        ByteBuffer body = ByteBuffer.wrap(DATA);
        GzipBodyTest.Downstream down = new GzipBodyTest.Downstream(1, 0);
        RegionParts.of(body).subscribe(down);
        assertEquals(List.of(RegionParts.PART_SIZE), down.sizes, "one part for one demand");
        down.subscription.request(Long.MAX_VALUE);
        assertEquals(List.of(16384, 16384, 7232), down.sizes);
        assertEquals(1, down.completions);
        assertArrayEquals(DATA, down.bytes.toByteArray());
        assertEquals(0, body.position(), "the handler's buffer is not moved");
    }

    @Test
    void aFileRegionIsReadAndItsChannelClosedAtTheEnd(@TempDir Path folder) throws IOException {
        FileChannel channel = FileChannel.open(Files.write(folder.resolve("f"), DATA));
        GzipBodyTest.Downstream down = new GzipBodyTest.Downstream(1, 1);
        RegionParts.of(channel, 100, 30_000).subscribe(down);
        assertArrayEquals(Arrays.copyOfRange(DATA, 100, 30_100), down.bytes.toByteArray());
        assertEquals(1, down.completions);
        assertFalse(channel.isOpen());
    }

    @Test
    void aFileShorterThanItsRegionFails(@TempDir Path folder) throws IOException {
        FileChannel channel = FileChannel.open(Files.write(folder.resolve("f"), DATA));
        GzipBodyTest.Downstream down = new GzipBodyTest.Downstream(Long.MAX_VALUE, 0);
        RegionParts.of(channel, 0, DATA.length + 1).subscribe(down);
        assertInstanceOf(EOFException.class, down.error);
        assertEquals(2 * RegionParts.PART_SIZE, down.bytes.size(), "the whole parts before the short one");
        assertFalse(channel.isOpen());
    }

    @Test
    void cancellingClosesTheFileAndSignalsNothingMore(@TempDir Path folder) throws IOException {
        FileChannel channel = FileChannel.open(Files.write(folder.resolve("f"), DATA));
        GzipBodyTest.Downstream down = new GzipBodyTest.Downstream(1, 0);
        RegionParts.of(channel, 0, DATA.length).subscribe(down);
        down.subscription.cancel();
        down.subscription.request(5);
        assertFalse(channel.isOpen());
        assertEquals(1, down.sizes.size());
        assertFalse(down.ended());
    }

    @Test
    void aSecondSubscriberAndABadRequestAreRefused() {
        RegionParts parts = RegionParts.of(ByteBuffer.wrap(DATA));
        parts.subscribe(new GzipBodyTest.Downstream(0, 0));
        GzipBodyTest.Downstream second = new GzipBodyTest.Downstream(0, 0);
        parts.subscribe(second);
        assertInstanceOf(IllegalStateException.class, second.error);
        GzipBodyTest.Downstream bad = new GzipBodyTest.Downstream(0, 0);
        RegionParts.of(ByteBuffer.wrap(DATA)).subscribe(bad);
        bad.subscription.request(0);
        assertInstanceOf(IllegalArgumentException.class, bad.error);
        assertTrue(bad.sizes.isEmpty());
    }
}

package dev.plinth.handlers.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.TestRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The memory a mount holds files in stays within its limits, is counted exactly (one direct buffer per file), makes
 * room by dropping files nobody asked for lately, and follows changes of the files. The metadata cache runs on a
 * clock the test moves.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HeldFilesTest {

    private static final int SIZE = 1000;
    private static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path temp;

    private final AtomicLong clock = new AtomicLong();
    private Path docroot;
    private StaticHandler handler;
    private HeldFiles memory;
    /** The releases of dropped buffers, run when the test plays the garbage collector. */
    private final List<Runnable> uncollected = new ArrayList<>();

    @BeforeEach
    void files() throws Exception {
        docroot = Files.createDirectories(temp.resolve("www"));
        for (String name : new String[] {"a", "b", "c", "d"}) {
            write(name, name.charAt(0), Site.MODIFIED);
        }
        handler = MountConfig.of(docroot).memory(SIZE, 3 * SIZE).handler(clock::get);
        memory = handler.memory();
        memory.collector((buffer, release) -> uncollected.add(release));
    }

    @Test
    void aFullMountSendsFromDiskUntilFilesNobodyAskedForMakeRoom() throws Exception {
        for (String name : new String[] {"a", "b", "c"}) {
            assertHeld(name, (byte) name.charAt(0));
        }
        assertEquals(3, memory.count());
        assertEquals(3 * SIZE, memory.bytes());
        assertInstanceOf(Body.FileRegion.class, get("d").body()).channel().close();
        assertEquals(3, memory.count(), "full: d is sent from disk");
        assertEquals(3 * SIZE, memory.bytes());

        clock.addAndGet(PERIOD_NANOS + 1);
        assertInstanceOf(Body.FileRegion.class, get("d").body()).channel().close();
        assertEquals(0, memory.count(), "a, b and c were not asked for during the last period: dropped");
        assertEquals(0, memory.bytes());
        assertEquals(3 * SIZE, memory.uncollected(), "their memory is free only once collected: d is sent from disk");
        clock.addAndGet(PERIOD_NANOS + 1);
        assertInstanceOf(Body.FileRegion.class, get("d").body()).channel().close();
        assertEquals(0, memory.count(), "still not collected: still no room");

        collectGarbage();
        clock.addAndGet(PERIOD_NANOS + 1);
        assertHeld("d", (byte) 'd');
        assertEquals(1, memory.count());
        assertEquals(SIZE, memory.bytes());
        assertEquals(0, memory.uncollected());
        assertEquals(4, memory.reads(), "one read per file held");
    }

    @Test
    void aFileThatFitsToTheByteDropsNothing() throws Exception {
        assertHeld("a", (byte) 'a');
        assertHeld("b", (byte) 'b');
        clock.addAndGet(PERIOD_NANOS + 1); // a and b could be dropped, if room were needed
        assertHeld("c", (byte) 'c');
        assertEquals(3, memory.count(), "c fills the memory exactly: a and b stay");
        assertEquals(0, memory.uncollected());
    }

    @Test
    void aFileAskedForExactlyOnePeriodAgoIsNotDropped() throws Exception {
        for (String name : new String[] {"a", "b", "c"}) {
            assertHeld(name, (byte) name.charAt(0));
        }
        clock.set(PERIOD_NANOS);
        assertInstanceOf(Body.FileRegion.class, get("d").body()).channel().close();
        assertEquals(3, memory.count());
    }

    @Test
    void roomMadeByDroppingOneFileIsUsedToTheByte() throws Exception {
        memory.collector((buffer, release) -> release.run()); // collected at once
        for (String name : new String[] {"a", "b", "c"}) {
            assertHeld(name, (byte) name.charAt(0));
        }
        clock.set(PERIOD_NANOS + 1);
        assertHeld("a", (byte) 'a'); // looked up again, and asked for
        assertHeld("b", (byte) 'b');
        assertHeld("d", (byte) 'd');
        assertEquals(3, memory.count(), "c made room for d");
        assertEquals(3 * SIZE, memory.bytes());
        assertEquals(4, memory.reads());
    }

    @Test
    void aFileAnsweredFromMemoryCountsAsAskedForAndIsKeptWhenRoomIsMade() throws Exception {
        for (String name : new String[] {"a", "b", "c"}) {
            assertHeld(name, (byte) name.charAt(0));
        }
        clock.set(PERIOD_NANOS - 1);
        assertHeld("a", (byte) 'a'); // from memory: the lookup is still fresh
        clock.set(PERIOD_NANOS + 1);
        assertInstanceOf(Body.FileRegion.class, get("d").body()).channel().close();
        assertEquals(1, memory.count(), "b and c were not asked for during the last period, a was");
        assertEquals(SIZE, memory.bytes());
    }

    @Test
    void aPrecompressedSiblingIsHeldOnlyOnceSent() throws Exception {
        write("a.br", 'b', Site.MODIFIED);
        assertHeld("a", (byte) 'a');
        assertEquals(1, memory.reads(), "a.br was looked up but not sent");
        Response brotli = Answers.of(handler, TestRequest.get("/a").header("Accept-Encoding", "br"));
        assertEquals("br", brotli.headers().first("Content-Encoding").orElseThrow());
        assertTrue(assertInstanceOf(Body.Bytes.class, brotli.body()).content().isDirect());
        assertEquals(2, memory.reads());
        assertEquals(2, memory.count());
    }

    @Test
    void anUnchangedFileIsKeptAcrossLookupsAndAChangedOneIsReadAgain() throws Exception {
        assertHeld("a", (byte) 'a');
        clock.addAndGet(PERIOD_NANOS + 1);
        assertHeld("a", (byte) 'a');
        assertEquals(1, memory.reads(), "same size, time and identity, unchanged long before it was read: kept");

        write("a", 'z', Site.MODIFIED.plusSeconds(1));
        assertHeld("a", (byte) 'a'); // the lookup is still fresh: bytes and validators belong together
        clock.addAndGet(PERIOD_NANOS + 1);
        assertHeld("a", (byte) 'z');
        assertEquals(2, memory.reads());
        assertEquals(1, memory.count(), "the new bytes replace the old ones");
        assertEquals(SIZE, memory.bytes());
        assertEquals(SIZE, memory.uncollected(), "the old ones count until collected");
        collectGarbage();
        assertEquals(0, memory.uncollected());
    }

    @Test
    void aFileNotSettledYetIsSentFromDiskUntilItIs() throws Exception {
        // dated in the future, like changed within the last second, however long the test takes: may still change
        write("a", 'n', Instant.now().plus(1, ChronoUnit.DAYS));
        for (int i = 0; i < 2; i++) {
            assertInstanceOf(Body.FileRegion.class, get("a").body()).channel().close();
            clock.addAndGet(PERIOD_NANOS + 1);
        }
        assertEquals(0, memory.reads(), "a change within its modification time's tick would go unseen");
        assertEquals(0, memory.bytes());

        Files.setLastModifiedTime(docroot.resolve("a"), FileTime.from(Site.MODIFIED));
        assertHeld("a", (byte) 'n');
        assertEquals(1, memory.reads());
    }

    @Test
    void aFileRewrittenInPlaceWithItsSizeAndModificationTimeKeptIsReadAgain() throws Exception {
        Path file = docroot.resolve("a");
        assumeTrue(file.getFileSystem().supportedFileAttributeViews().contains("unix"), "no change time here");
        assertHeld("a", (byte) 'a');
        Object changed = Files.getAttribute(file, "unix:ctime");
        do { // like cp -p or rsync --inplace -t: same inode, size and modification time
            write("a", 'z', Site.MODIFIED);
        } while (Files.getAttribute(file, "unix:ctime").equals(changed)); // at most one tick of the kernel's clock
        assertHeld("a", (byte) 'a'); // the lookup is still fresh: bytes and validators belong together
        clock.addAndGet(PERIOD_NANOS + 1);
        assertHeld("a", (byte) 'z');
        assertEquals(2, memory.reads());
    }

    @ParameterizedTest
    @ValueSource(strings = {"runtime", "io", "direct memory"})
    void aFailureWhileHoldingAFileSendsItFromDiskAndGivesItsRoomBack(String kind) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        memory.versions(file -> {
            if (calls.incrementAndGet() == 1) {
                return HeldFiles.Version.ON_DISK.of(file);
            }
            // the second look, after the file was read into a new buffer
            if (kind.equals("io")) {
                throw new IOException("injected");
            }
            if (kind.equals("runtime")) {
                throw new IllegalStateException("injected");
            }
            throw new OutOfMemoryError("Direct buffer memory");
        });
        Response response = get("a");
        try (FileChannel channel =
                assertInstanceOf(Body.FileRegion.class, response.body()).channel()) {
            assertEquals(SIZE, channel.size());
        }
        assertEquals(1, memory.reads());
        assertEquals(0, memory.count());
        assertEquals(0, memory.bytes(), "the reservation was given back");
        assertEquals(SIZE, memory.uncollected(), "the buffer read into counts until collected");
    }

    @Test
    void limitsAreChecked() {
        assertThrows(
                IllegalArgumentException.class,
                () -> MountConfig.of(docroot).memory(-1, 10).handler());
        assertThrows(
                IllegalArgumentException.class,
                () -> MountConfig.of(docroot).memory(10, -1).handler());
        assertThrows(
                IllegalArgumentException.class,
                () -> MountConfig.of(docroot).memory(1L << 31, 1L << 32).handler());
        assertThrows(IllegalArgumentException.class, () -> new HeldFiles.Limits(Integer.MAX_VALUE - 7, 1L << 32));
        new HeldFiles.Limits(Integer.MAX_VALUE - 8, 1L << 32); // the largest array a JVM allocates
        new HeldFiles.Limits(0, 0);
    }

    @Test
    void aFileChangedSinceItsLookupIsNotHeld() throws Exception {
        memory.versions(file -> {
            HeldFiles.Version now = HeldFiles.Version.ON_DISK.of(file);
            return new HeldFiles.Version(now.size(), now.modifiedNanos() + 1, now.fileKey(), now.changedNanos());
        });
        assertInstanceOf(Body.FileRegion.class, get("a").body()).channel().close();
        assertEquals(0, memory.reads(), "the lookup's attributes describe another version: nothing is read");
        assertEquals(0, memory.bytes());
    }

    /** Asserts that the file is served from a direct buffer holding it. */
    private void assertHeld(String name, byte expected) throws Exception {
        Body.Bytes body = assertInstanceOf(Body.Bytes.class, get(name).body(), name);
        ByteBuffer content = body.content();
        assertTrue(content.isDirect(), "no copy into a temporary direct buffer at each write");
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        assertTrue(Arrays.equals(fill((char) expected), bytes), name);
    }

    private void collectGarbage() {
        uncollected.forEach(Runnable::run);
        uncollected.clear();
    }

    private Response get(String name) throws Exception {
        return Answers.of(handler, TestRequest.get("/" + name));
    }

    private void write(String name, char c, Instant modified) throws Exception {
        Path file = docroot.resolve(name);
        Files.write(file, fill(c));
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }

    private static byte[] fill(char c) {
        byte[] bytes = new byte[SIZE];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }
}

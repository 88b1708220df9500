package dev.plinth.handlers.statics;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.TestRequest;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sparse file larger than 4 GiB: its length must survive every int boundary, and its body must be a file region
 * (zero-copy, flat heap). Only its head and tail travel over the socket.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LargeFileSocketTest {

    private static final long SIZE = (4L << 30) + 4096 + 17;
    private static final String HEAD = "the first bytes of a huge file";
    private static final String TAIL = "and its very last bytes";

    @TempDir
    Path temp;

    private Path docroot;
    private StaticHandler handler;
    private Site site;
    private InetSocketAddress server;

    @BeforeEach
    void sparseFile() throws IOException, InterruptedException {
        docroot = Files.createDirectories(temp.resolve("big"));
        Path file = docroot.resolve("huge.bin");
        try (RandomAccessFile random = new RandomAccessFile(file.toFile(), "rw")) {
            random.setLength(SIZE);
            random.seek(0);
            random.write(HEAD.getBytes(ISO_8859_1));
            random.seek(SIZE - TAIL.length());
            random.write(TAIL.getBytes(ISO_8859_1));
        }
        assumeTrue(allocatedBytes(file) < 64L << 20, "the temp folder's file system keeps files sparse");
        handler = MountConfig.of(docroot).handler();
        site = Site.in(Files.createDirectories(temp.resolve("site")));
        server = site.serve(MountConfig.of(docroot));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (site != null) {
            site.close();
        }
    }

    @Test
    void headAnnouncesTheWholeLength() throws IOException {
        Wire.Reply reply = Wire.send(server, "HEAD", "/huge.bin");
        assertEquals(200, reply.status());
        assertEquals(String.valueOf(SIZE), reply.header("Content-Length"));
    }

    @Test
    void theHeadAndTailAreServedByRange() throws IOException {
        Wire.Reply first = Wire.send(server, "GET", "/huge.bin", "Range: bytes=0-4095");
        assertEquals(206, first.status());
        assertEquals("bytes 0-4095/" + SIZE, first.header("Content-Range"));
        assertEquals(HEAD + "\0".repeat(4096 - HEAD.length()), first.text());
        Wire.Reply last = Wire.send(server, "GET", "/huge.bin", "Range: bytes=-4096");
        assertEquals("bytes " + (SIZE - 4096) + "-" + (SIZE - 1) + "/" + SIZE, last.header("Content-Range"));
        assertEquals("\0".repeat(4096 - TAIL.length()) + TAIL, last.text());
        Wire.Reply beyond =
                Wire.send(server, "GET", "/huge.bin", "Range: bytes=" + (4L << 30) + "-" + ((4L << 30) + 9));
        assertEquals("\0".repeat(10), beyond.text());
    }

    @Test
    void multipartReachesPastFourGibibytes() throws IOException {
        Wire.Reply reply = Wire.send(server, "GET", "/huge.bin", "Range: bytes=0-29, -23");
        assertEquals(206, reply.status());
        var parts = Multipart.parse(reply);
        assertEquals(2, parts.size());
        assertEquals(HEAD, new String(parts.get(0).bytes(), ISO_8859_1));
        assertEquals(SIZE - 23, parts.get(1).first());
        assertEquals(SIZE, parts.get(1).complete());
        assertEquals(TAIL, new String(parts.get(1).bytes(), ISO_8859_1));
    }

    /**
     * A client that leaves mid-transfer: the file is released, whether it was sent as a region or read part by part.
     * The client's small receive buffer keeps gigabytes from ever fitting in the sockets' buffers.
     */
    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-1999999999", "bytes=0-999999999, 2000000000-2999999999"})
    void aClientLeavingMidTransferReleasesTheFile(String range) throws Exception {
        Path file = docroot.resolve("huge.bin");
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(server, (int) Answers.WAIT_MILLIS);
            socket.setSoTimeout((int) Answers.WAIT_MILLIS);
            socket.getOutputStream()
                    .write(Wire.request("GET", "/huge.bin", "Range: " + range).getBytes(ISO_8859_1));
            assertEquals(64 * 1024, socket.getInputStream().readNBytes(64 * 1024).length);
            assertEquals(1, OpenChannels.on(file), "the file is being sent");
        }
        OpenChannels.awaitNone(file);
    }

    @Test
    void theWholeFileIsAZeroCopyRegion() throws Exception {
        Response response = Answers.of(handler, TestRequest.get("/huge.bin"));
        Body.FileRegion region = assertInstanceOf(Body.FileRegion.class, response.body());
        region.channel().close();
        assertEquals(0, region.position());
        assertEquals(SIZE, region.length());
    }

    /** @return the bytes the file system allocated for the file, from {@code stat}; the size if unknown */
    private static long allocatedBytes(Path file) throws InterruptedException {
        try {
            Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString())
                    .redirectErrorStream(true)
                    .start();
            String[] out = new String(stat.getInputStream().readAllBytes(), ISO_8859_1)
                    .strip()
                    .split(" ");
            if (stat.waitFor() == 0 && out.length == 2) {
                return Long.parseLong(out[0]) * Long.parseLong(out[1]);
            }
        } catch (IOException | NumberFormatException unknown) {
            // no stat: treat as not sparse
        }
        return SIZE;
    }
}

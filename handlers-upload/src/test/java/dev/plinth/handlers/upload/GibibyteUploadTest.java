package dev.plinth.handlers.upload;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.CoreConfig;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1 GiB through a real socket to the handler, generated on the fly (never held in memory), in a test JVM whose heap
 * is capped at 128 MiB (see the pom), heap measured by {@link Runtime} (used = total - free) after {@code System.gc()}: the stored file's size and CRC-32C must match what was sent, and the handler
 * must never hold more than one part in flight. Prints the figures:
 * {@code 1 GiB upload: peak in-flight N bytes, heap delta M MiB, X MiB/s}.
 *
 * <p>Runs in {@code mvn verify} (a few seconds on 2 cores); alone: {@code mvn -B -o -q -pl handlers-upload -am verify
 * -Dtest=GibibyteUploadTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GibibyteUploadTest {

    private static final long SIZE = 1L << 30;
    private static final int BLOCK = 1 << 16;

    @TempDir
    Path temp;

    @Test
    void aGibibyteIsStoredWithFlatMemory() throws Exception {
        Recorder events = new Recorder();
        // the upload is answered when stored: the handler timeout must allow for the whole transfer
        CoreConfig core = CoreConfig.DEFAULT.withTimeouts(new CoreConfig.Timeouts(30_000, 10_000, 30_000, 110_000));
        Runtime memory = Runtime.getRuntime(); // java.management is not read by this module
        try (Server server = Server.start(UploadConfig.of(temp.resolve("files")).maxBytes(SIZE), events, core)) {
            Http.Reply warm = Http.send(server.address, Http.head("PUT", "/up/warm", "Content-Length: 1"), new byte[1]);
            assertEquals(201, warm.status(), warm::toString);
            long before = usedAfterGc(memory);
            AtomicLong sampledPeak = new AtomicLong();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    sampledPeak.accumulateAndGet(used(memory), Math::max);
                    try {
                        Thread.sleep(20); // sampling, not synchronisation
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();

            CRC32C sent = new CRC32C();
            long start = System.nanoTime();
            Http.Reply reply;
            try (Socket socket = Http.connect(server.address)) {
                socket.setSoTimeout(60_000);
                OutputStream out = socket.getOutputStream();
                out.write(Http.head("PUT", "/up/big.bin", "Content-Length: " + SIZE)
                        .getBytes(ISO_8859_1));
                byte[] block = new byte[BLOCK];
                ByteBuffer view = ByteBuffer.wrap(block);
                long state = 0x9E3779B97F4A7C15L;
                for (long offset = 0; offset < SIZE; offset += BLOCK) {
                    view.clear();
                    while (view.hasRemaining()) { // xorshift64: fast, and no two blocks alike
                        state ^= state << 13;
                        state ^= state >>> 7;
                        state ^= state << 17;
                        view.putLong(state);
                    }
                    sent.update(block, 0, BLOCK);
                    out.write(block);
                }
                out.flush();
                reply = Http.read(socket.getInputStream());
            }
            long nanos = System.nanoTime() - start;
            sampler.interrupt();
            sampler.join();
            assertEquals(201, reply.status(), reply::toString);
            assertEquals(201, events.next().status()); // the warm-up
            assertEquals(201, events.next().status());
            long after = usedAfterGc(memory);

            Path stored = server.handler.root().resolve("big.bin");
            assertEquals(SIZE, Files.size(stored));
            assertEquals(sent.getValue(), crc(stored), "the stored bytes are the bytes sent");

            long peak = server.handler.inFlight().peak();
            double mibPerSecond = SIZE / (1024.0 * 1024.0) / (nanos / 1e9);
            System.out.printf(
                    "1 GiB upload: peak in-flight %d bytes, heap delta %.1f MiB (after GC: %.1f -> %.1f MiB; "
                            + "sampled peak incl. garbage %.1f MiB of max %.0f MiB), %.0f MiB/s%n",
                    peak,
                    (after - before) / 1048576.0,
                    before / 1048576.0,
                    after / 1048576.0,
                    sampledPeak.get() / 1048576.0,
                    memory.maxMemory() / 1048576.0,
                    mibPerSecond);
            assertTrue(peak <= 2 * 65_536, "at most one read buffer in flight: " + peak);
            assertTrue(after - before < 16L << 20, "heap after GC grew by " + (after - before));
        }
    }

    private static long usedAfterGc(Runtime memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return used(memory);
    }

    private static long used(Runtime memory) {
        return memory.totalMemory() - memory.freeMemory();
    }

    private static long crc(Path file) throws Exception {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(file)) {
            while (channel.read(buffer.clear()) > 0) {
                crc.update(buffer.flip());
            }
        }
        return crc.getValue();
    }
}

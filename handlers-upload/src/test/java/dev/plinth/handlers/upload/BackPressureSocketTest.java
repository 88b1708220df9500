package dev.plinth.handlers.upload;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Back-pressure from the disk to the client, and uploads side by side on the handler's few I/O threads. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackPressureSocketTest {

    private static final int PART = 65_536;

    @TempDir
    Path temp;

    /** A disk that stalls: the first write's report blocks its I/O thread until the gate opens. */
    private static final class StalledDisk extends Recorder {
        final CountDownLatch stalled = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);

        @Override
        public void written(long total) {
            super.written(total);
            stalled.countDown();
            try {
                open.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aStalledDiskStallsTheClientAndTheHandlerHoldsNoMoreThanAPart() throws Exception {
        StalledDisk disk = new StalledDisk();
        long size = 64L << 20;
        try (Server server = Server.start(UploadConfig.of(temp.resolve("files")), disk);
                Socket socket = Http.connect(server.address)) {
            OutputStream out = socket.getOutputStream();
            out.write(Http.head("PUT", "/up/stalled.bin", "Content-Length: " + size)
                    .getBytes(ISO_8859_1));
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> {
                byte[] block = new byte[PART];
                try {
                    for (long offset = 0; offset < size; offset += PART) {
                        out.write(block);
                        sent.addAndGet(PART);
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            writer.setDaemon(true);
            writer.start();
            assertTrue(disk.stalled.await(Recorder.WAIT_MILLIS, TimeUnit.MILLISECONDS), "the first part is written");

            // no event says "the client is blocked": watch its progress stop, within a deadline
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long seen = -1;
            while (sent.get() != seen && System.nanoTime() < deadline) {
                seen = sent.get();
                Thread.sleep(300); // an observation window, not a synchronisation
            }
            assertEquals(seen, sent.get(), "the client's writes stopped");
            assertTrue(seen < size / 4, "the client is held back by the socket: " + seen + " bytes sent");
            assertTrue(
                    server.handler.inFlight().peak() <= PART,
                    "peak " + server.handler.inFlight().peak());
            System.out.printf(
                    "stalled disk: client held at %.1f MiB of %d MiB; handler peak in flight %d bytes%n",
                    seen / 1048576.0, size >> 20, server.handler.inFlight().peak());

            disk.open.countDown();
            writer.join(TimeUnit.SECONDS.toMillis(30));
            Http.Reply reply = Http.read(socket.getInputStream());
            assertEquals(201, reply.status(), reply::toString);
            assertEquals(size, Files.size(server.handler.root().resolve("stalled.bin")));
        }
    }

    @Test
    void uploadsSideBySideEachArriveWhole() throws Exception {
        Recorder events = new Recorder();
        int uploads = 8;
        try (Server server = Server.start(UploadConfig.of(temp.resolve("files")), events)) {
            ExecutorService clients = Executors.newFixedThreadPool(uploads);
            try {
                List<Future<Http.Reply>> replies = new ArrayList<>();
                List<byte[]> bodies = new ArrayList<>();
                for (int i = 0; i < uploads; i++) {
                    byte[] body = UploadSocketTest.random(2_000_000 + i, i);
                    bodies.add(body);
                    String name = "/up/file" + i + ".bin";
                    boolean chunked = i % 2 == 1;
                    replies.add(clients.submit(() -> !chunked
                            ? Http.send(server.address, Http.head("PUT", name, "Content-Length: " + body.length), body)
                            : Http.send(
                                    server.address,
                                    Http.head("PUT", name, "Transfer-Encoding: chunked"),
                                    Http.chunked(body, 50_000))));
                }
                for (int i = 0; i < uploads; i++) {
                    Http.Reply reply = replies.get(i).get(30, TimeUnit.SECONDS);
                    assertEquals(201, reply.status(), reply::toString);
                    assertArrayEquals(
                            bodies.get(i),
                            Files.readAllBytes(server.handler.root().resolve("file" + i + ".bin")));
                }
            } finally {
                clients.shutdownNow();
            }
            assertTrue(
                    server.handler.inFlight().peak() <= (long) uploads * PART,
                    "at most a part per upload: " + server.handler.inFlight().peak());
            assertEquals(0, server.handler.inFlight().now());
        }
    }
}

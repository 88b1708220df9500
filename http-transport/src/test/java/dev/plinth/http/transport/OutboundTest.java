package dev.plinth.http.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbound queue against a socket stand-in that takes only as many bytes as it has room for. */
class OutboundTest {

    private final Outbound outbound = new Outbound();
    private final Socket socket = new Socket();

    @Test
    void gathersConsecutiveBuffersIntoOneWrite() throws IOException {
        outbound.add(bytes("HTTP/1.1 200 OK\r\n\r\n"));
        outbound.add(bytes("hello"));
        outbound.add(bytes(" world"));
        assertEquals(30, outbound.pendingBytes());
        assertEquals(30, outbound.heapBytes());
        outbound.writeTo(socket);
        assertEquals("HTTP/1.1 200 OK\r\n\r\nhello world", socket.received());
        assertEquals(List.of(3), socket.gathered, "one system call for the three buffers");
        assertTrue(outbound.isEmpty());
        assertEquals(0, outbound.pendingBytes());
        assertEquals(0, outbound.heapBytes());
    }

    @Test
    void stopsWhenTheSocketIsFullAndGoesOnWhereItStopped() throws IOException {
        outbound.add(bytes("hello"));
        outbound.add(bytes(" world"));
        socket.room = 7;
        outbound.writeTo(socket);
        assertEquals("hello w", socket.received());
        assertFalse(outbound.isEmpty());
        assertEquals(4, outbound.pendingBytes());
        assertEquals(4, outbound.heapBytes());
        outbound.writeTo(socket);
        assertEquals("hello w", socket.received(), "a full socket takes nothing");
        socket.room = 100;
        outbound.writeTo(socket);
        assertEquals("hello world", socket.received());
        assertTrue(outbound.isEmpty());
    }

    @Test
    void emptyBuffersAreNotQueued() {
        outbound.add(ByteBuffer.allocate(0));
        assertTrue(outbound.isEmpty());
    }

    @Test
    void keepsTheOrderWhileTheQueueWrapsAndGrows() throws IOException {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            outbound.add(bytes(Integer.toString(i)));
            expected.append(i);
        }
        socket.room = 2;
        outbound.writeTo(socket); // the front moves on: what is added next wraps around the ring's end
        for (int i = 3; i < 40; i++) {
            outbound.add(bytes(Integer.toString(i)));
            expected.append(i);
        }
        socket.room = Integer.MAX_VALUE;
        outbound.writeTo(socket);
        assertEquals(expected.toString(), socket.received());
        assertTrue(outbound.isEmpty());
    }

    @Test
    void gathersAtMostSixtyFourBuffersPerWrite() throws IOException {
        for (int i = 0; i < 100; i++) {
            outbound.add(bytes("x"));
        }
        outbound.writeTo(socket);
        assertEquals(List.of(Outbound.MAX_GATHER, 100 - Outbound.MAX_GATHER), socket.gathered);
        assertEquals("x".repeat(100), socket.received());
    }

    @Test
    void sendsFileRegionsInOrderBetweenBuffersAndClosesTheirFiles(@TempDir Path dir) throws IOException {
        FileChannel file = FileChannel.open(Files.writeString(dir.resolve("f"), "0123456789"));
        outbound.add(bytes("head:"));
        outbound.addFile(file, 2, 5);
        outbound.add(bytes(":tail"));
        assertEquals(15, outbound.pendingBytes());
        assertEquals(10, outbound.heapBytes(), "a file region is not held in the heap");
        socket.room = 8;
        outbound.writeTo(socket);
        assertEquals("head:234", socket.received(), "the region is sent in part while the socket has room");
        assertEquals(7, outbound.pendingBytes());
        assertEquals(5, outbound.heapBytes());
        assertTrue(file.isOpen(), "part of the region is still to send");
        socket.room = 100;
        outbound.writeTo(socket);
        assertEquals("head:23456:tail", socket.received());
        assertFalse(file.isOpen(), "closed once its region is sent");
        assertEquals(List.of(1, 1), socket.gathered, "a file region ends a gathering write");
    }

    @Test
    void aFileShorterThanItsRegionFailsInsteadOfWaitingForever(@TempDir Path dir) throws IOException {
        FileChannel file = FileChannel.open(Files.writeString(dir.resolve("short"), "abc"));
        outbound.addFile(file, 0, 10);
        outbound.writeTo(socket); // what the file has goes; the rest is taken, for now, for a full socket
        assertEquals("abc", socket.received());
        assertEquals(7, outbound.pendingBytes());
        assertThrows(IOException.class, () -> outbound.writeTo(socket), "nothing more can come of it");
    }

    @Test
    void anEmptyRegionAtAFilesEndIsSentAsNothing(@TempDir Path dir) throws IOException {
        FileChannel file = FileChannel.open(Files.writeString(dir.resolve("f"), "abc"));
        outbound.addFile(file, 3, 0); // the body of an empty file, say: nothing is missing from it
        outbound.add(bytes("tail"));
        outbound.writeTo(socket);
        assertEquals("tail", socket.received());
        assertTrue(outbound.isEmpty());
        assertFalse(file.isOpen());
    }

    @Test
    void clearingDropsEverythingAndClosesTheFiles(@TempDir Path dir) throws IOException {
        FileChannel file = FileChannel.open(Files.writeString(dir.resolve("f"), "0123456789"));
        outbound.add(bytes("head"));
        outbound.addFile(file, 0, 10);
        outbound.add(bytes("tail"));
        outbound.clear();
        assertTrue(outbound.isEmpty());
        assertEquals(0, outbound.pendingBytes());
        assertEquals(0, outbound.heapBytes());
        assertFalse(file.isOpen());
        outbound.add(bytes("again"));
        outbound.writeTo(socket);
        assertEquals("again", socket.received(), "the queue is usable after clearing");
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Takes at most {@link #room} bytes in all, like a socket whose buffer fills; records each gathering write. A
     * queue that keeps offering writes that take nothing is spinning: after {@link #IDLE_WRITES} it fails the test at
     * once rather than hang it.
     */
    private static final class Socket implements GatheringByteChannel {
        /** Far more than the tests' calls to writeTo, each of which may meet a full socket once. */
        static final int IDLE_WRITES = 100;

        int room = Integer.MAX_VALUE;
        final List<Integer> gathered = new ArrayList<>();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private int idleWrites;

        String received() {
            return received.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(room, src.remaining());
            for (int i = 0; i < n; i++) {
                received.write(src.get());
            }
            room -= n;
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            gathered.add(length);
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                n += write(srcs[i]);
            }
            if (n == 0 && ++idleWrites > IDLE_WRITES) {
                throw new AssertionError("the queue spins on writes that take nothing");
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
            // nothing to release
        }
    }
}

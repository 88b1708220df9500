package dev.plinth.handlers.statics;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The multipart publisher on its own: demand, chunking, the file's life, failures. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MultipartRangesTest {

    @TempDir
    Path temp;

    /**
     * More parts than any body here holds, yet bounded: a publisher that loops over its parts stops when the demand
     * is spent, and fails its test at once instead of hanging it.
     */
    private static final long ENOUGH = 100;

    private Path file;
    private final List<FileChannel> opened = new ArrayList<>();

    @BeforeEach
    void file() throws IOException {
        byte[] bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        file = Files.write(temp.resolve("f.bin"), bytes);
    }

    private MultipartRanges publisher(long... bounds) {
        List<ByteRanges.Slice> slices = new ArrayList<>();
        for (int i = 0; i < bounds.length; i += 2) {
            slices.add(new ByteRanges.Slice(bounds[i], bounds[i + 1]));
        }
        return new MultipartRanges(
                () -> {
                    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                    opened.add(channel);
                    return channel;
                },
                slices,
                300_000,
                "application/octet-stream");
    }

    @Test
    void emitsExactlyWhatIsRequestedInChunksOfAtMost64KiB() {
        MultipartRanges body = publisher(0, 199_999, 250_000, 250_009);
        Recorder recorder = new Recorder();
        body.subscribe(recorder);
        assertTrue(opened.isEmpty(), "nothing is opened before demand");
        recorder.subscription.request(1);
        assertEquals(1, recorder.parts.size(), "the first part's head");
        assertTrue(opened.isEmpty(), "a head needs no file");
        recorder.subscription.request(2);
        assertEquals(3, recorder.parts.size());
        assertEquals(MultipartRanges.CHUNK, recorder.parts.get(1).remaining());
        assertEquals(MultipartRanges.CHUNK, recorder.parts.get(2).remaining(), "the same range goes on");
        recorder.subscription.request(ENOUGH);
        assertTrue(recorder.completed);
        long total = recorder.parts.stream().mapToLong(ByteBuffer::remaining).sum();
        assertEquals(body.length(), total);
        assertTrue(recorder.parts.stream().allMatch(p -> p.remaining() <= MultipartRanges.CHUNK));
        assertFalse(opened.get(0).isOpen(), "closed at the end");
    }

    @Test
    void cancellingClosesTheFile() {
        Recorder recorder = new Recorder();
        publisher(0, 199_999, 250_000, 250_009).subscribe(recorder);
        recorder.subscription.request(2);
        assertTrue(opened.get(0).isOpen());
        recorder.subscription.cancel();
        assertFalse(opened.get(0).isOpen());
        recorder.subscription.request(5);
        assertEquals(2, recorder.parts.size(), "nothing after cancel");
        assertFalse(recorder.completed);
    }

    @Test
    void aNonPositiveRequestFailsTheSubscriptionAndClosesTheFile() {
        Recorder recorder = new Recorder();
        publisher(0, 9, 20, 29).subscribe(recorder);
        recorder.subscription.request(2);
        assertTrue(opened.get(0).isOpen());
        recorder.subscription.request(0);
        assertInstanceOf(IllegalArgumentException.class, recorder.failure);
        assertFalse(opened.get(0).isOpen());
        recorder.subscription.request(5);
        assertEquals(2, recorder.parts.size(), "nothing after the failure");
    }

    @Test
    void aSecondSubscriberIsRefused() {
        MultipartRanges body = publisher(0, 9, 20, 29);
        body.subscribe(new Recorder());
        Recorder second = new Recorder();
        body.subscribe(second);
        assertNotNull(second.subscription, "onSubscribe before onError (Reactive Streams §1.9)");
        assertInstanceOf(IllegalStateException.class, second.failure);
        second.subscription.request(1);
        second.subscription.cancel();
        assertTrue(second.parts.isEmpty());
        assertTrue(opened.isEmpty());
    }

    @Test
    void partsFollowOneAnotherInOrder() {
        Recorder recorder = new Recorder();
        publisher(0, 9, 20, 29).subscribe(recorder);
        recorder.subscription.request(5);
        List<String> parts = recorder.parts.stream()
                .map(part -> ISO_8859_1.decode(part).toString())
                .toList();
        assertTrue(parts.get(0).contains("Content-Range: bytes 0-9/300000"), parts.get(0));
        assertEquals(10, recorder.parts.get(1).limit());
        assertTrue(parts.get(2).contains("Content-Range: bytes 20-29/300000"), parts.get(2));
        assertEquals(10, recorder.parts.get(3).limit());
        assertTrue(parts.get(4).endsWith("--\r\n"), parts.get(4));
        recorder.subscription.request(1);
        assertTrue(recorder.completed);
        assertEquals(5, recorder.parts.size());
    }

    @Test
    void aFileThatShrankFailsTheBodyAndIsClosed() throws IOException {
        Recorder recorder = new Recorder();
        publisher(0, 9, 290_000, 299_999).subscribe(recorder);
        try (FileChannel truncate = FileChannel.open(file, StandardOpenOption.WRITE)) {
            truncate.truncate(1000);
        }
        recorder.subscription.request(ENOUGH);
        assertInstanceOf(EOFException.class, recorder.failure);
        assertFalse(opened.get(0).isOpen());
    }

    /** Records what a publisher emits. */
    private static final class Recorder implements Flow.Subscriber<ByteBuffer> {
        Flow.Subscription subscription;
        final List<ByteBuffer> parts = new ArrayList<>();
        boolean completed;
        Throwable failure;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(ByteBuffer part) {
            parts.add(part);
        }

        @Override
        public void onError(Throwable t) {
            failure = t;
        }

        @Override
        public void onComplete() {
            completed = true;
        }
    }
}

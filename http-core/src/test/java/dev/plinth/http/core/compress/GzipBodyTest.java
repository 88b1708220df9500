package dev.plinth.http.core.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/** Streamed gzip: correct bytes, every part flushed, demand passed through, memory bounded, the Deflater freed. */
class GzipBodyTest {

    private final Deflaters deflaters = new Deflaters();
    private final Upstream upstream = new Upstream();

    /** @return a new subscriber asking for {@code initial} parts of {@link #upstream}, compressed with 64-byte buffers */
    private Downstream compressed(long initial) {
        Downstream downstream = new Downstream(initial, 0);
        deflaters.over(upstream, 64).subscribe(downstream);
        return downstream;
    }

    /** An upstream the test drives by hand; it records what was asked of it. */
    static final class Upstream implements Flow.Publisher<ByteBuffer>, Flow.Subscription {
        Flow.Subscriber<? super ByteBuffer> subscriber;
        long requested;
        long delivered;
        long maxOutstanding;
        boolean cancelled;
        boolean subscribeLater;
        Runnable onRequest = () -> {};

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
            subscriber = s;
            if (!subscribeLater) {
                s.onSubscribe(this);
            }
        }

        @Override
        public void request(long n) {
            requested += n;
            maxOutstanding = Math.max(maxOutstanding, requested - delivered);
            onRequest.run();
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        long outstanding() {
            return requested - delivered;
        }

        void send(ByteBuffer part) {
            delivered++;
            subscriber.onNext(part);
        }
    }

    /** An upstream that answers each request at once from a list, then completes. */
    static class ListUpstream implements Flow.Publisher<ByteBuffer> {
        final List<ByteBuffer> parts;
        long maxOutstanding;

        ListUpstream(List<ByteBuffer> parts) {
            this.parts = parts;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
            s.onSubscribe(new Flow.Subscription() {
                int next;
                long demand;
                boolean emitting;
                boolean done;

                @Override
                public void request(long n) {
                    demand += n;
                    maxOutstanding = Math.max(maxOutstanding, demand);
                    if (emitting) {
                        return;
                    }
                    emitting = true;
                    while (!done && demand > 0 && next < parts.size()) {
                        demand--;
                        s.onNext(parts.get(next++));
                    }
                    if (!done && next == parts.size()) {
                        done = true;
                        s.onComplete();
                    }
                    emitting = false;
                }

                @Override
                public void cancel() {
                    done = true;
                }
            });
        }
    }

    /** A subscriber that keeps what it gets, asks for {@code initial} at first and {@code each} after every part. */
    static class Downstream implements Flow.Subscriber<ByteBuffer> {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> sizes = new ArrayList<>();
        final long initial;
        final long each;
        Flow.Subscription subscription;
        Throwable error;
        int completions;
        int signalsAfterEnd;
        Consumer<ByteBuffer> onEach = part -> {};

        Downstream(long initial, long each) {
            this.initial = initial;
            this.each = each;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (initial > 0) {
                s.request(initial);
            }
        }

        @Override
        public void onNext(ByteBuffer part) {
            if (ended()) {
                signalsAfterEnd++;
            }
            sizes.add(part.remaining());
            byte[] copy = new byte[part.remaining()];
            part.get(copy);
            bytes.write(copy, 0, copy.length);
            onEach.accept(ByteBuffer.wrap(copy));
            if (each > 0) {
                subscription.request(each);
            }
        }

        @Override
        public void onError(Throwable failure) {
            signalsAfterEnd += ended() ? 1 : 0;
            error = failure;
        }

        @Override
        public void onComplete() {
            signalsAfterEnd += ended() ? 1 : 0;
            completions++;
        }

        boolean ended() {
            return error != null || completions > 0;
        }
    }

    /** Counts what happens to the Deflaters it makes. */
    static final class Deflaters {
        int made;
        int ended;

        GzipBody over(Flow.Publisher<ByteBuffer> upstream, int bufferSize) {
            return new GzipBody(
                    upstream,
                    () -> {
                        made++;
                        return new Deflater(Deflater.DEFAULT_COMPRESSION, true) {
                            @Override
                            public void end() {
                                ended++;
                                super.end();
                            }
                        };
                    },
                    bufferSize);
        }
    }

    private static byte[] gunzip(byte[] gzip) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] concat(List<ByteBuffer> parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteBuffer part : parts) {
            byte[] bytes = new byte[part.remaining()];
            part.duplicate().get(bytes);
            all.write(bytes, 0, bytes.length);
        }
        return all.toByteArray();
    }

    /** Text-like bytes (a few letters, so they compress) or noise (so they do not). */
    private static byte[] content(Random random, int size) {
        byte[] bytes = new byte[size];
        if (random.nextBoolean()) {
            random.nextBytes(bytes);
        } else {
            for (int i = 0; i < size; i++) {
                bytes[i] = (byte) ('a' + random.nextInt(6));
            }
        }
        return bytes;
    }

    private static List<ByteBuffer> randomParts(Random random) {
        int count = random.nextInt(4) == 0 ? random.nextInt(2) : random.nextInt(30);
        List<ByteBuffer> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int size = random.nextInt(5) == 0 ? 0 : random.nextInt(random.nextBoolean() ? 100 : 40_000);
            parts.add(ByteBuffer.wrap(content(random, size)));
        }
        return parts;
    }

    @Test
    void randomPartSequencesRoundTrip() {
        Random random = new Random(20261130);
        for (int round = 0; round < 150; round++) {
            List<ByteBuffer> parts = randomParts(random);
            int bufferSize = new int[] {64, 100, 1000, GzipBody.BUFFER_SIZE}[random.nextInt(4)];
            boolean oneAtATime = random.nextBoolean();
            Deflaters counted = new Deflaters();
            Downstream downstream = oneAtATime ? new Downstream(1, 1) : new Downstream(Long.MAX_VALUE, 0);
            counted.over(new ListUpstream(parts), bufferSize).subscribe(downstream);

            String what = "round " + round + ": " + parts.size() + " parts, buffer " + bufferSize;
            assertEquals(1, downstream.completions, what);
            assertNull(downstream.error, what);
            assertArrayEquals(concat(parts), gunzip(downstream.bytes.toByteArray()), what);
            assertTrue(downstream.sizes.stream().allMatch(size -> size > 0 && size <= bufferSize), what);
            assertEquals(1, counted.made, what);
            assertEquals(1, counted.ended, what);
            for (ByteBuffer part : parts) {
                assertEquals(0, part.position(), "a handler's buffer is left as it was");
            }
        }
    }

    @Test
    void zeroPartsMakeAnEmptyGzipMemberInOnePart() {
        Downstream downstream = new Downstream(1, 0);
        new GzipBody(new ListUpstream(List.of()), 6).subscribe(downstream);
        assertEquals(1, downstream.completions);
        assertEquals(List.of(20), downstream.sizes); // header, an empty final block, trailer
        assertEquals(0, gunzip(downstream.bytes.toByteArray()).length);
    }

    @Test
    void emptyPartsEmitNothingAndAskForTheNext() {
        Downstream downstream = compressed(1);
        for (int i = 0; i < 5; i++) {
            assertEquals(1, upstream.outstanding());
            upstream.send(ByteBuffer.allocate(0));
        }
        assertEquals(List.of(), downstream.sizes);
        upstream.subscriber.onComplete();
        assertEquals(1, downstream.completions);
        assertEquals(0, gunzip(downstream.bytes.toByteArray()).length);
    }

    /**
     * Whenever the compressor asks for the next part, everything sent so far must inflate from what it emitted: no
     * part waits in the Deflater for more input (SYNC_FLUSH).
     */
    @Test
    void everyPartIsOutBeforeTheNextIsAskedFor() {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            List<ByteBuffer> parts = new ArrayList<>(randomParts(random));
            parts.removeIf(part -> !part.hasRemaining());
            Inflater inflater = new Inflater(true);
            ByteArrayOutputStream inflated = new ByteArrayOutputStream();
            Downstream downstream = new Downstream(Long.MAX_VALUE, 0);
            int[] sent = {0};
            int[] headerLeft = {10};
            downstream.onEach = part -> {
                int skip = Math.min(headerLeft[0], part.remaining());
                headerLeft[0] -= skip;
                part.position(part.position() + skip);
                inflater.setInput(part);
                inflateAll(inflater, inflated);
            };
            ListUpstream checked = new ListUpstream(parts) {
                @Override
                public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
                    super.subscribe(new Flow.Subscriber<ByteBuffer>() {
                        @Override
                        public void onSubscribe(Flow.Subscription subscription) {
                            s.onSubscribe(new Flow.Subscription() {
                                @Override
                                public void request(long n) {
                                    byte[] expected = concat(parts.subList(0, sent[0]));
                                    assertArrayEquals(expected, inflated.toByteArray(), "parts so far: " + sent[0]);
                                    subscription.request(n);
                                }

                                @Override
                                public void cancel() {
                                    subscription.cancel();
                                }
                            });
                        }

                        @Override
                        public void onNext(ByteBuffer item) {
                            sent[0]++;
                            s.onNext(item);
                        }

                        @Override
                        public void onError(Throwable throwable) {
                            s.onError(throwable);
                        }

                        @Override
                        public void onComplete() {
                            s.onComplete();
                        }
                    });
                }
            };
            new GzipBody(checked, 6).subscribe(downstream);
            assertEquals(1, downstream.completions);
            assertArrayEquals(concat(parts), inflated.toByteArray());
            assertTrue(inflater.finished());
            assertEquals(8, inflater.getRemaining(), "the trailer follows the deflate stream");
            inflater.end();
        }
    }

    private static void inflateAll(Inflater inflater, ByteArrayOutputStream into) {
        byte[] chunk = new byte[8192];
        try {
            while (true) {
                int n = inflater.inflate(chunk);
                if (n == 0) {
                    return;
                }
                into.write(chunk, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The upstream sends from its thread, the subscriber asks from another: signals to the subscriber never overlap,
     * never exceed its demand, and the bytes still round-trip.
     */
    @Test
    void signalsStaySerialWhenBothSidesRunOnTheirOwnThreads() throws Exception {
        ExecutorService producer = Executors.newSingleThreadExecutor();
        ExecutorService consumer = Executors.newSingleThreadExecutor();
        try {
            Random random = new Random(42);
            for (int round = 0; round < 40; round++) {
                List<ByteBuffer> parts = randomParts(random);
                Flow.Publisher<ByteBuffer> async = s -> s.onSubscribe(new Flow.Subscription() {
                    final AtomicInteger next = new AtomicInteger();

                    @Override
                    public void request(long n) {
                        producer.execute(() -> {
                            for (long i = 0; i < n; i++) {
                                int at = next.getAndIncrement();
                                if (at < parts.size()) {
                                    s.onNext(parts.get(at));
                                } else if (at == parts.size()) {
                                    s.onComplete();
                                }
                            }
                        });
                    }

                    @Override
                    public void cancel() {}
                });
                CompletableFuture<byte[]> result = new CompletableFuture<>();
                AtomicInteger inside = new AtomicInteger();
                AtomicLong demand = new AtomicLong();
                new GzipBody(async, () -> new Deflater(1, true), 100).subscribe(new Flow.Subscriber<ByteBuffer>() {
                    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    Flow.Subscription subscription;

                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        subscription = s;
                        ask();
                    }

                    private void ask() {
                        int n = 1 + random.nextInt(3);
                        consumer.execute(() -> {
                            demand.addAndGet(n);
                            subscription.request(n);
                        });
                    }

                    @Override
                    public void onNext(ByteBuffer part) {
                        check(inside.getAndIncrement() == 0 && demand.decrementAndGet() >= 0);
                        byte[] copy = new byte[part.remaining()];
                        part.get(copy);
                        bytes.write(copy, 0, copy.length);
                        if (demand.get() == 0) {
                            ask();
                        }
                        inside.decrementAndGet();
                    }

                    @Override
                    public void onError(Throwable failure) {
                        result.completeExceptionally(failure);
                    }

                    @Override
                    public void onComplete() {
                        check(inside.get() == 0);
                        result.complete(bytes.toByteArray());
                    }

                    private void check(boolean serialAndWithinDemand) {
                        if (!serialAndWithinDemand) {
                            result.completeExceptionally(new AssertionError("overlapping or unasked-for signal"));
                        }
                    }
                });
                assertArrayEquals(concat(parts), gunzip(result.get(10, TimeUnit.SECONDS)), "round " + round);
            }
        } finally {
            producer.shutdownNow();
            consumer.shutdownNow();
        }
    }

    @Test
    void oneDownstreamRequestAtATimeMeansOneUpstreamRequestAtATime() {
        Random random = new Random(11);
        List<ByteBuffer> parts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            parts.add(ByteBuffer.wrap(content(random, random.nextInt(3000))));
        }
        ListUpstream list = new ListUpstream(parts);
        Downstream downstream = new Downstream(1, 1);
        new GzipBody(list, () -> new Deflater(6, true), 64).subscribe(downstream);
        assertEquals(1, downstream.completions);
        assertEquals(1, list.maxOutstanding);
        assertTrue(downstream.sizes.size() > 200, "small buffers split parts");
        assertArrayEquals(concat(parts), gunzip(downstream.bytes.toByteArray()));
    }

    @Test
    void nothingIsAskedOrEmittedWithoutDemand() {
        Downstream downstream = compressed(0);
        assertEquals(0, upstream.requested);

        downstream.subscription.request(2);
        assertEquals(1, upstream.requested);
        upstream.send(ByteBuffer.wrap(content(new Random(3), 1000)));
        assertEquals(2, downstream.sizes.size(), "a part that needs many buffers waits for demand");
        assertEquals(1, upstream.requested);
        upstream.subscriber.onComplete();
        assertEquals(0, downstream.completions, "the rest of the part, the end and the trailer wait too");

        while (downstream.completions == 0) {
            downstream.subscription.request(1);
        }
        assertEquals(1, upstream.requested);
        assertEquals(1000, gunzip(downstream.bytes.toByteArray()).length);
    }

    @Test
    void demandAccumulatesUpToUnbounded() {
        Random random = new Random(5);
        List<ByteBuffer> parts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            parts.add(ByteBuffer.wrap(content(random, 500)));
        }
        Downstream downstream = new Downstream(Long.MAX_VALUE, Long.MAX_VALUE); // sums overflow: still unbounded
        new GzipBody(new ListUpstream(parts), 1).subscribe(downstream);
        assertEquals(1, downstream.completions);
        assertArrayEquals(concat(parts), gunzip(downstream.bytes.toByteArray()));
    }

    /** 100 MiB in parts of up to 64 KiB: the compressor holds its buffer and one part, never the body. */
    @Test
    void aLongStreamIsCompressedInBoundedMemory() {
        Random random = new Random(100);
        byte[] pool = content(random, 1 << 20);
        long total = 100L << 20;
        int maxPart = 64 * 1024;
        Flow.Publisher<ByteBuffer> upstream = s -> s.onSubscribe(new Flow.Subscription() {
            long sent;
            boolean done;

            @Override
            public void request(long n) {
                for (long i = 0; i < n && !done; i++) {
                    if (sent == total) {
                        done = true;
                        s.onComplete();
                        return;
                    }
                    int size = (int) Math.min(total - sent, random.nextInt(maxPart + 1));
                    int at = random.nextInt(pool.length - size + 1);
                    sent += size;
                    s.onNext(ByteBuffer.wrap(pool, at, size).slice());
                }
            }

            @Override
            public void cancel() {
                done = true;
            }
        });
        GzipBody body = new GzipBody(upstream, Deflater.BEST_SPEED);
        Inflater inflater = new Inflater(true);
        CRC32 crc = new CRC32();
        long[] inflated = {0};
        long[] maxRetained = {0};
        long[] heapAtHalf = {-1};
        long heapBefore = usedHeapAfterGc();
        Downstream downstream = new Downstream(1, 1) {
            boolean headerSkipped;
            final byte[] chunk = new byte[64 * 1024];

            @Override
            public void onNext(ByteBuffer part) {
                maxRetained[0] = Math.max(maxRetained[0], body.retainedBytes());
                if (!headerSkipped) {
                    part.position(part.position() + 10);
                    headerSkipped = true;
                }
                inflater.setInput(part);
                try {
                    for (int n; (n = inflater.inflate(chunk)) > 0; ) {
                        crc.update(chunk, 0, n);
                        inflated[0] += n;
                    }
                } catch (DataFormatException e) {
                    throw new IllegalStateException(e);
                }
                if (heapAtHalf[0] < 0 && inflated[0] > total / 2) {
                    heapAtHalf[0] = usedHeapAfterGc();
                }
                subscription.request(1);
            }
        };
        body.subscribe(downstream);

        assertEquals(1, downstream.completions);
        assertEquals(total, inflated[0]);
        assertTrue(inflater.finished());
        assertEquals(8, inflater.getRemaining());
        inflater.end();
        assertTrue(
                maxRetained[0] <= GzipBody.BUFFER_SIZE + maxPart,
                "retained " + maxRetained[0] + " bytes at most, not the stream");
        assertTrue(
                heapAtHalf[0] - heapBefore < 16 << 20,
                "heap grew by " + (heapAtHalf[0] - heapBefore) + " bytes while 50 MiB passed");
        assertEquals(0, body.retainedBytes(), "all is let go at the end");
    }

    private static long usedHeapAfterGc() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @Test
    void cancelCancelsTheUpstreamAndEndsTheDeflaterOnce() {
        Downstream downstream = compressed(1);
        upstream.send(ByteBuffer.wrap(content(new Random(1), 5000)));
        assertEquals(1, downstream.sizes.size());

        downstream.subscription.cancel();
        assertTrue(upstream.cancelled);
        assertEquals(1, deflaters.ended);
        downstream.subscription.cancel();
        downstream.subscription.request(10);
        upstream.subscriber.onComplete();
        assertEquals(1, deflaters.ended);
        assertEquals(1, downstream.sizes.size(), "nothing after cancel");
        assertFalse(downstream.ended());
    }

    @Test
    void cancelBeforeAnyPartMakesNoDeflater() {
        Downstream downstream = compressed(1);
        downstream.subscription.cancel();
        assertTrue(upstream.cancelled);
        assertEquals(0, deflaters.made);
    }

    @Test
    void anUpstreamThatSubscribesAfterCancelIsCancelled() {
        upstream.subscribeLater = true;
        Downstream downstream = compressed(1);
        downstream.subscription.cancel();
        upstream.subscriber.onSubscribe(upstream);
        assertTrue(upstream.cancelled);
        assertEquals(0, upstream.requested);
    }

    @Test
    void demandBeforeTheUpstreamSubscribesIsKept() {
        upstream.subscribeLater = true;
        Downstream downstream = compressed(1);
        upstream.subscriber.onSubscribe(upstream);
        assertEquals(1, upstream.requested);
    }

    @Test
    void anUpstreamErrorEndsTheStreamAtOnce() {
        Downstream downstream = compressed(1);
        upstream.send(ByteBuffer.wrap(content(new Random(2), 5000)));
        assertEquals(1, downstream.sizes.size(), "the rest waits for demand");

        IllegalStateException failure = new IllegalStateException("handler broke");
        upstream.subscriber.onError(failure);
        assertSame(failure, downstream.error);
        assertEquals(1, deflaters.ended);
        assertFalse(upstream.cancelled, "an upstream that failed is not cancelled");
        downstream.subscription.request(100);
        assertEquals(1, downstream.sizes.size(), "nothing after the error");
        assertEquals(0, downstream.signalsAfterEnd);
    }

    @Test
    void completionEndsTheDeflaterOnceAndACancelAfterwardsChangesNothing() {
        Downstream downstream = new Downstream(Long.MAX_VALUE, 0);
        ListUpstream list = new ListUpstream(List.of(ByteBuffer.wrap("event: x\n\n".getBytes())));
        deflaters.over(list, 64).subscribe(downstream);
        assertEquals(1, downstream.completions);
        downstream.subscription.cancel();
        assertEquals(1, deflaters.made);
        assertEquals(1, deflaters.ended);
        assertEquals(0, downstream.signalsAfterEnd);
    }

    @Test
    void aNonPositiveRequestFailsTheStreamAndCancelsTheUpstream() {
        Downstream downstream = compressed(0);
        downstream.subscription.request(0);
        assertInstanceOf(IllegalArgumentException.class, downstream.error);
        assertTrue(upstream.cancelled);
    }

    @Test
    void aPartNobodyAskedForFailsTheStream() {
        Downstream downstream = compressed(1);
        upstream.send(ByteBuffer.wrap(new byte[10]));
        assertEquals(1, downstream.sizes.size());
        upstream.send(ByteBuffer.wrap(new byte[10]));
        assertInstanceOf(IllegalStateException.class, downstream.error);
        assertTrue(upstream.cancelled);
        assertEquals(1, deflaters.made);
        assertEquals(1, deflaters.ended);
    }

    @Test
    void aSecondSubscriberIsRefused() {
        GzipBody body = new GzipBody(new ListUpstream(List.of()), 6);
        body.subscribe(new Downstream(1, 0));
        Downstream second = new Downstream(1, 0);
        body.subscribe(second);
        assertInstanceOf(IllegalStateException.class, second.error);
    }

    @Test
    void aWholeBodyIsCompressedAtOnce() {
        Random random = new Random(9);
        for (int size : new int[] {0, 1, 100, 70_000, 300_000}) {
            for (boolean noise : new boolean[] {false, true}) {
                byte[] bytes = noise ? new byte[size] : content(random, size);
                if (noise) {
                    random.nextBytes(bytes);
                }
                ByteBuffer whole = ByteBuffer.allocate(size + 6).position(3).limit(size + 3);
                whole.put(bytes).position(3);
                ByteBuffer gzip = GzipBody.gzip(whole, 6);
                assertEquals(3, whole.position(), "the body's position is left as it was");
                byte[] out = new byte[gzip.remaining()];
                gzip.get(out);
                assertArrayEquals(bytes, gunzip(out), size + (noise ? " noise" : " text"));
            }
        }
        byte[] text = "aaaa".repeat(10_000).getBytes();
        assertTrue(GzipBody.gzip(ByteBuffer.wrap(text), 9).remaining() < 200);
        assertTrue(Arrays.equals(text, gunzip(toArray(GzipBody.gzip(ByteBuffer.wrap(text), 1)))));
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}

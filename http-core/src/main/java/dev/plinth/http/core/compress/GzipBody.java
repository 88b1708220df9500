package dev.plinth.http.core.compress;

import dev.plinth.http.handler.Bodies;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A streamed body compressed to gzip (RFC 1952) as it flows: a publisher over the handler's publisher of parts.
 *
 * <ul>
 *   <li><b>Back-pressure.</b> It asks its upstream for one part only when its subscriber has demand and every byte of
 *       the previous part has been emitted, so at most one upstream request is outstanding and a slow connection
 *       slows the handler just as without compression.</li>
 *   <li><b>Memory.</b> It holds one output buffer ({@link #BUFFER_SIZE}), the part being compressed, and the
 *       Deflater's fixed state; each emitted part is a fresh buffer of exactly the bytes produced, owned by the
 *       subscriber.</li>
 *   <li><b>Latency.</b> Every upstream part is deflated with {@link Deflater#SYNC_FLUSH}: all of it is emitted before
 *       the next part is asked for, so a server-sent event or any other part a handler meant to go out now is never
 *       held back in the compressor. The first emission carries the gzip header; at upstream completion the stream is
 *       finished and the CRC32 and ISIZE trailer follows, then {@code onComplete}.</li>
 *   <li><b>Ending.</b> An upstream error reaches the subscriber at once, and nothing is emitted after it; the
 *       subscriber's cancel cancels the upstream. The Deflater is created at the first part (or completion) and
 *       {@code end()}ed exactly once when the stream ends in any of these ways.</li>
 * </ul>
 * One subscriber only, like the handler's own body publisher. Signals to the subscriber are serial and never beyond
 * its demand; demand accumulates (also from within {@code onNext}) up to {@code Long.MAX_VALUE}, which means
 * unbounded.
 */
public final class GzipBody implements Flow.Publisher<ByteBuffer> {

    /** The size of the output buffer, and so the largest part emitted. */
    public static final int BUFFER_SIZE = 16 * 1024;

    /** ID1 ID2, CM = deflate, no flags, MTIME 0 (none), XFL 0, OS 255 (unknown) (RFC 1952 §2.3). */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private static final int TRAILER = 8;

    private static final byte[] NOTHING = {};

    private final Flow.Publisher<ByteBuffer> upstream;
    private final Supplier<Deflater> deflaters;
    private final int bufferSize;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile Relay relay;

    /**
     * @param upstream the parts to compress
     * @param level the compression level, 1 (fast) to 9 (small), or {@link Deflater#DEFAULT_COMPRESSION}
     */
    public GzipBody(Flow.Publisher<ByteBuffer> upstream, int level) {
        this(upstream, deflaters(level), BUFFER_SIZE);
    }

    /** For tests: another Deflater (to count its end) or a smaller buffer (to split the output). */
    GzipBody(Flow.Publisher<ByteBuffer> upstream, Supplier<Deflater> deflaters, int bufferSize) {
        if (bufferSize < 64) {
            throw new IllegalArgumentException("buffer too small: " + bufferSize);
        }
        this.upstream = Objects.requireNonNull(upstream);
        this.deflaters = deflaters;
        this.bufferSize = bufferSize;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        Objects.requireNonNull(subscriber);
        if (!subscribed.compareAndSet(false, true)) {
            Bodies.refuse(subscriber, "a compressed body has one subscriber");
            return;
        }
        Relay created = new Relay(subscriber, deflaters, bufferSize);
        relay = created;
        subscriber.onSubscribe(created);
        upstream.subscribe(created);
    }

    /**
     * For tests, from within a signal to the subscriber: what the compressor holds now (its output buffer, the part it
     * is compressing), in bytes.
     *
     * @return the bytes held, 0 before subscription and after the end
     */
    long retainedBytes() {
        Relay current = relay;
        return current == null ? 0 : current.retainedBytes();
    }

    /**
     * Compresses a whole body held in memory, for small bodies that are answered at once.
     *
     * @param whole the body; its remaining bytes are read, its position is left as it is
     * @param level the compression level, 1 to 9, or {@link Deflater#DEFAULT_COMPRESSION}
     * @return the gzip member: header, deflated data, trailer
     */
    public static ByteBuffer gzip(ByteBuffer whole, int level) {
        int size = whole.remaining();
        CRC32 crc = new CRC32();
        crc.update(whole.duplicate());
        Deflater deflater = deflaters(level).get();
        try {
            deflater.setInput(whole.duplicate());
            deflater.finish();
            // zlib's deflateBound, roughly: incompressible input grows by a few bytes per 16 KiB block
            byte[] out = new byte[HEADER.length + size + (size >> 12) + (size >> 14) + 64 + TRAILER];
            System.arraycopy(HEADER, 0, out, 0, HEADER.length);
            int length = HEADER.length;
            while (!deflater.finished()) {
                if (length == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                length += deflater.deflate(out, length, out.length - length);
            }
            if (out.length - length < TRAILER) {
                out = Arrays.copyOf(out, length + TRAILER);
            }
            trailer(out, length, crc.getValue(), size);
            return ByteBuffer.wrap(out, 0, length + TRAILER);
        } finally {
            deflater.end();
        }
    }

    private static Supplier<Deflater> deflaters(int level) {
        if (level != Deflater.DEFAULT_COMPRESSION && (level < 1 || level > 9)) {
            throw new IllegalArgumentException("compression level " + level + " is not 1 to 9 or -1");
        }
        return () -> new Deflater(level, true); // nowrap: the gzip header and trailer are ours
    }

    /** Writes CRC32 and ISIZE (the input's length modulo 2^32), little-endian (RFC 1952 §2.3.1). */
    private static void trailer(byte[] out, int at, long crc, long size) {
        for (int i = 0; i < 4; i++) {
            out[at + i] = (byte) (crc >>> (8 * i));
            out[at + 4 + i] = (byte) (size >>> (8 * i));
        }
    }

    /** Where the compressor is. */
    private enum Stage {
        /** Everything received is emitted: the next part may be asked for. */
        IDLE,
        /** A part is in the Deflater: its sync-flushed output is being emitted. */
        FLUSHING,
        /** The upstream completed: the final block and the trailer are being emitted. */
        FINISHING,
        /** The trailer is made: once emitted, the subscriber is completed. */
        DONE,
        /** Completed, failed or cancelled: nothing more is signalled. */
        ENDED
    }

    /**
     * The upstream's subscriber and the downstream's subscription: signals from either side only record what happened
     * and {@linkplain DrainLoop#drain drain}, so the Deflater and the downstream signals are only ever touched by one
     * thread at a time.
     */
    private static final class Relay extends DrainLoop implements Flow.Subscriber<ByteBuffer>, Flow.Subscription {

        private final Flow.Subscriber<? super ByteBuffer> downstream;
        private final Supplier<Deflater> deflaters;
        private final int bufferSize;

        // written by signals from either side
        private final AtomicReference<ByteBuffer> arrived = new AtomicReference<>();
        private volatile Flow.Subscription upstream;
        private volatile Throwable upstreamFailure;
        private volatile boolean upstreamComplete;
        private volatile boolean cancelled;

        // owned by the loop
        private Stage stage = Stage.IDLE;
        private Deflater deflater;
        private byte[] out;
        private final CRC32 crc = new CRC32();
        private long inputSize;
        private boolean headerSent;
        private ByteBuffer ready;
        private int flushing;
        private boolean requested;
        private boolean upstreamReleased;

        Relay(Flow.Subscriber<? super ByteBuffer> downstream, Supplier<Deflater> deflaters, int bufferSize) {
            this.downstream = downstream;
            this.deflaters = deflaters;
            this.bufferSize = bufferSize;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            Objects.requireNonNull(subscription);
            if (upstream != null) {
                subscription.cancel(); // Reactive Streams §2.5
                return;
            }
            upstream = subscription;
            drain();
        }

        @Override
        public void onNext(ByteBuffer part) {
            Objects.requireNonNull(part);
            if (!arrived.compareAndSet(null, part)) {
                violation.compareAndSet(null, new IllegalStateException("the body sent a part nobody asked for"));
            }
            drain();
        }

        @Override
        public void onError(Throwable failure) {
            upstreamFailure = Objects.requireNonNull(failure);
            drain();
        }

        @Override
        public void onComplete() {
            upstreamComplete = true;
            drain();
        }

        @Override
        public void request(long n) {
            demand(n);
        }

        @Override
        public void cancel() {
            cancelled = true;
            drain();
        }

        long retainedBytes() {
            long held = out == null ? 0 : out.length;
            return held + flushing + (ready == null ? 0 : ready.remaining());
        }

        @Override
        void abandon() {
            end(true); // the Deflater is freed still
        }

        /** Does all that can be done now; returns when waiting for demand, a part, or nothing. */
        @Override
        void run() {
            while (true) {
                if (stage == Stage.ENDED) {
                    arrived.set(null);
                    end(true); // cancels an upstream that subscribed late
                    return;
                }
                if (cancelled) {
                    end(true);
                    continue;
                }
                Throwable failure = violation.get();
                if (failure != null) {
                    end(true);
                    downstream.onError(failure);
                    continue;
                }
                failure = upstreamFailure;
                if (failure != null) {
                    end(false);
                    downstream.onError(failure);
                    continue;
                }
                if (ready != null) {
                    if (!takeDemand()) {
                        return;
                    }
                    ByteBuffer part = ready;
                    ready = null;
                    downstream.onNext(part);
                    continue;
                }
                switch (stage) {
                    case FLUSHING:
                        ready = emit(Deflater.SYNC_FLUSH);
                        break;
                    case FINISHING:
                        ready = emit(Deflater.NO_FLUSH);
                        break;
                    case DONE:
                        end(false);
                        downstream.onComplete();
                        break;
                    default:
                        if (!next()) {
                            return;
                        }
                }
            }
        }

        /** In stage IDLE: takes an arrived part, or starts finishing, or asks for a part. */
        private boolean next() {
            boolean complete = upstreamComplete; // read first: a part that arrived before it is then visible
            ByteBuffer part = arrived.getAndSet(null);
            if (part != null) {
                if (!requested) {
                    violation.compareAndSet(null, new IllegalStateException("the body sent a part nobody asked for"));
                    return true;
                }
                requested = false;
                if (part.hasRemaining()) { // an empty part has nothing to flush: the next is asked for
                    flushing = part.remaining();
                    inputSize += flushing;
                    crc.update(part.duplicate());
                    deflater().setInput(part.duplicate()); // the handler may reuse its buffer: keep its position
                    stage = Stage.FLUSHING;
                }
                return true;
            }
            if (complete) {
                deflater().finish();
                stage = Stage.FINISHING;
                return true;
            }
            Flow.Subscription s = upstream;
            if (s == null || requested || !hasDemand()) {
                return false;
            }
            requested = true;
            s.request(1); // may deliver the part at once; this loop then takes it up
            return true;
        }

        /**
         * Deflates into the output buffer, behind the header if not yet sent and before the trailer if finished.
         *
         * @return the bytes to emit, or null if there are none
         */
        private ByteBuffer emit(int flush) {
            int start = 0;
            if (!headerSent) {
                System.arraycopy(HEADER, 0, out, 0, HEADER.length);
                start = HEADER.length;
            }
            int room = out.length - start - TRAILER;
            int length = start + deflater.deflate(out, start, room, flush);
            if (stage == Stage.FLUSHING && length - start < room) {
                stage = Stage.IDLE; // the flush had room to complete: all input so far is out
                flushing = 0;
                deflater.setInput(NOTHING); // lets go of the handler's part
            } else if (stage == Stage.FINISHING && deflater.finished()) {
                trailer(out, length, crc.getValue(), inputSize);
                length += TRAILER;
                stage = Stage.DONE;
            }
            if (length == start) {
                return null;
            }
            headerSent = true;
            return ByteBuffer.wrap(Arrays.copyOf(out, length));
        }

        private Deflater deflater() {
            if (deflater == null) {
                deflater = deflaters.get();
                out = new byte[bufferSize];
            }
            return deflater;
        }

        /**
         * Ends the stream: frees the Deflater once, and cancels the upstream unless it ended itself.
         *
         * @param cancelUpstream whether the upstream has not ended itself
         */
        private void end(boolean cancelUpstream) {
            stage = Stage.ENDED;
            ready = null;
            out = null;
            flushing = 0;
            if (deflater != null) {
                deflater.end();
                deflater = null;
            }
            if (!cancelUpstream) {
                upstreamReleased = true;
            }
            Flow.Subscription s = upstream;
            if (!upstreamReleased && s != null) {
                upstreamReleased = true;
                s.cancel();
            }
        }
    }
}

package dev.plinth.http.core.compress;

import dev.plinth.http.handler.Bodies;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A body the handler gave whole (bytes in memory, or a region of a file) published as parts of at most
 * {@link #PART_SIZE} bytes, one per unit of demand: the upstream of a compressor, which must see a large body
 * stepwise. A file is read on the thread that asks for a part, which in the core is a worker, never an I/O thread;
 * its channel is closed when the body ends in any way (completed, failed, cancelled). One subscriber only.
 */
public final class RegionParts implements Flow.Publisher<ByteBuffer> {

    /** The largest part: the compressor's output buffer, so one part is one flush. */
    public static final int PART_SIZE = GzipBody.BUFFER_SIZE;

    private final ByteBuffer bytes;
    private final FileChannel channel;
    private final long start;
    private final long length;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    private RegionParts(ByteBuffer bytes, FileChannel channel, long start, long length) {
        this.bytes = bytes;
        this.channel = channel;
        this.start = start;
        this.length = length;
    }

    /**
     * @param bytes the body; its remaining bytes are published, its position is left as it is
     * @return the publisher
     */
    public static RegionParts of(ByteBuffer bytes) {
        return new RegionParts(bytes.duplicate(), null, 0, bytes.remaining());
    }

    /**
     * @param channel the file, owned from now on: closed when the body ends
     * @param position where the region starts
     * @param length its length in bytes
     * @return the publisher
     */
    public static RegionParts of(FileChannel channel, long position, long length) {
        return new RegionParts(null, Objects.requireNonNull(channel), position, length);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        Objects.requireNonNull(subscriber);
        if (!subscribed.compareAndSet(false, true)) {
            Bodies.refuse(subscriber, "a body has one subscriber");
            return;
        }
        Feed feed = new Feed(subscriber);
        subscriber.onSubscribe(feed);
        feed.drain();
    }

    /** The subscription: reads and signals in its {@linkplain DrainLoop#drain drain loop}, so signals are serial. */
    private final class Feed extends DrainLoop implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private volatile boolean cancelled;
        private long sent;
        private boolean ended;

        Feed(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
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

        @Override
        void abandon() {
            end(); // the file is closed still
        }

        @Override
        void run() {
            while (!ended) {
                if (cancelled) {
                    end();
                } else if (violation.get() != null) {
                    end();
                    subscriber.onError(violation.get());
                } else if (sent == length) {
                    end();
                    subscriber.onComplete();
                } else if (!takeDemand()) {
                    return;
                } else {
                    ByteBuffer part;
                    try {
                        part = next((int) Math.min(PART_SIZE, length - sent));
                    } catch (IOException | UncheckedIOException failure) {
                        end();
                        subscriber.onError(failure);
                        return;
                    }
                    sent += part.remaining();
                    subscriber.onNext(part);
                }
            }
        }

        /** @return the next {@code size} bytes, a fresh buffer the subscriber owns */
        private ByteBuffer next(int size) throws IOException {
            ByteBuffer part = ByteBuffer.allocate(size);
            if (bytes != null) {
                part.put(bytes.slice(bytes.position() + (int) sent, size));
            } else {
                while (part.hasRemaining()) {
                    if (channel.read(part, start + sent + part.position()) < 0) {
                        throw new EOFException("the file ended " + (length - sent - part.position())
                                + " bytes before the region's end");
                    }
                }
            }
            return part.flip();
        }

        private void end() {
            ended = true;
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // read-only: nothing is lost
                }
            }
        }
    }
}

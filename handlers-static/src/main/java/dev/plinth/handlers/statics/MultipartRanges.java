package dev.plinth.handlers.statics;

import dev.plinth.http.handler.Bodies;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@code multipart/byteranges} body (RFC 9110 §14.6) produced on demand: each part's header block, then the
 * part's bytes read from the file in chunks of at most {@value #CHUNK} bytes with positional reads, one buffer per
 * requested item. Nothing is read before it is requested; the file is opened on subscription and closed at the end,
 * on failure or on cancellation. The total length is computed up front, so the body goes out with
 * {@code Content-Length}.
 */
final class MultipartRanges implements Flow.Publisher<ByteBuffer> {

    /** The most bytes of file content in one emitted buffer. */
    static final int CHUNK = 64 * 1024;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Opens the file when the body is subscribed to. */
    @FunctionalInterface
    interface Opener {
        /**
         * @return a readable channel, closed by the publisher
         * @throws IOException if the file cannot be opened
         */
        FileChannel open() throws IOException;
    }

    /** One piece of the body: literal bytes, or a slice of the file. */
    private record Piece(ByteBuffer text, long first, long count) {}

    private final String boundary;
    private final Opener opener;
    private final List<Piece> pieces;
    private final long length;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    /**
     * @param opener opens the file
     * @param slices the ranges, at least one
     * @param complete the representation's length, for {@code Content-Range}
     * @param contentType each part's {@code Content-Type}
     */
    MultipartRanges(Opener opener, List<ByteRanges.Slice> slices, long complete, String contentType) {
        this.opener = opener;
        this.boundary = HexFormat.of().formatHex(random());
        List<Piece> list = new ArrayList<>();
        long total = 0;
        for (ByteRanges.Slice slice : slices) {
            String head = (list.isEmpty() ? "" : "\r\n") + "--" + boundary + "\r\nContent-Type: " + contentType
                    + "\r\nContent-Range: " + slice.contentRange(complete) + "\r\n\r\n";
            total += addText(list, head);
            list.add(new Piece(null, slice.first(), slice.length()));
            total += slice.length();
        }
        total += addText(list, "\r\n--" + boundary + "--\r\n");
        this.pieces = List.copyOf(list);
        this.length = total;
    }

    private static byte[] random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static int addText(List<Piece> list, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        list.add(new Piece(ByteBuffer.wrap(bytes), 0, bytes.length));
        return bytes.length;
    }

    /** @return the boundary, for the response's {@code Content-Type} */
    String boundary() {
        return boundary;
    }

    /** @return the exact length of the body in bytes */
    long length() {
        return length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        if (!subscribed.compareAndSet(false, true)) {
            Bodies.refuse(subscriber, "a multipart body can be subscribed to once");
            return;
        }
        Emission emission = new Emission(subscriber);
        subscriber.onSubscribe(emission);
    }

    /** One subscription: emits pieces while there is demand, serialised by a work-in-progress counter. */
    private final class Emission implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger work = new AtomicInteger();
        private volatile boolean cancelled;
        private volatile Throwable badRequest;
        private boolean done;
        private FileChannel channel;
        private int index;
        private long offset;

        Emission(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = new IllegalArgumentException("non-positive request (Reactive Streams §3.9): " + n);
            } else {
                demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            }
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
            drain();
        }

        private void drain() {
            if (work.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                if (done) {
                    return;
                }
                if (cancelled) {
                    finish();
                    return;
                }
                if (badRequest != null) {
                    finish();
                    subscriber.onError(badRequest);
                    return;
                }
                while (demand.get() > 0 && !cancelled) {
                    ByteBuffer next;
                    try {
                        next = next();
                    } catch (IOException | RuntimeException e) {
                        finish();
                        subscriber.onError(e);
                        return;
                    }
                    if (next == null) {
                        finish();
                        subscriber.onComplete();
                        return;
                    }
                    demand.decrementAndGet();
                    subscriber.onNext(next);
                }
                missed = work.addAndGet(-missed);
            } while (missed != 0);
        }

        /** @return the next buffer to emit, or {@code null} at the end */
        private ByteBuffer next() throws IOException {
            if (index == pieces.size()) {
                return null;
            }
            Piece piece = pieces.get(index);
            if (piece.text() != null) {
                index++;
                return piece.text().duplicate();
            }
            if (channel == null) {
                channel = opener.open();
            }
            int size = (int) Math.min(CHUNK, piece.count() - offset);
            ByteBuffer buffer = ByteBuffer.allocate(size);
            long position = piece.first() + offset;
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw new EOFException("the file is shorter than when the response began");
                }
            }
            offset += size;
            if (offset == piece.count()) {
                index++;
                offset = 0;
            }
            return buffer.flip();
        }

        private void finish() {
            done = true;
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

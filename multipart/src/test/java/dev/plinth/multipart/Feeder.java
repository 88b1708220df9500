package dev.plinth.multipart;

import java.nio.ByteBuffer;

/**
 * Feeds a body to a parser in chosen reads and checks what must hold for any input, valid or not:
 * <ul>
 * <li>nothing but {@link MultipartException} is thrown, with a message, a status of 400 or 413 and an offset
 * within the body;</li>
 * <li>{@code feed} consumes all its input;</li>
 * <li>the parser holds back no more than the delimiter's length, plus the header block limit while in part headers,
 * and its header line buffer stays within that limit;</li>
 * <li>the listener is called a bounded number of times, in the order it is promised (see {@link Recorder});</li>
 * <li>after an error, the parser refuses more input.</li>
 * </ul>
 * The transcript it returns has one line per event (a part's data merged), then the error if any, so that two ways
 * of feeding the same bytes can be compared.
 */
final class Feeder {
    /** How a read's bytes are held. */
    enum Buffers {
        HEAP,
        DIRECT,
        READ_ONLY,
        /** A heap buffer whose array has bytes before and after the read, and a position past them. */
        OFFSET
    }

    /** The outcome: the transcript, and the error, if any. */
    record Result(String transcript, MultipartException error) {}

    private static final ThreadLocal<ByteBuffer> DIRECT_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(4096));

    private Feeder() {}

    /** Feeds the body in one read. */
    static Result whole(Boundary boundary, MultipartLimits limits, byte[] body) {
        return feed(boundary, limits, body, new int[0], Buffers.HEAP);
    }

    /**
     * @param reads the sizes of successive reads, repeated cyclically; empty or non-positive means one read
     */
    static Result feed(Boundary boundary, MultipartLimits limits, byte[] body, int[] reads, Buffers buffers) {
        Recorder recorder = new Recorder();
        MultipartParser parser = new MultipartParser(boundary, limits, recorder);
        int delimiter = boundary.value().length() + 4;
        int feeds = 0;
        int start = 0;
        try {
            while (start < body.length) {
                int size = reads.length == 0 || reads[feeds % reads.length] <= 0
                        ? body.length
                        : reads[feeds % reads.length];
                int end = Math.min(body.length, start + size);
                ByteBuffer piece = piece(buffers, body, start, end);
                feeds++;
                parser.feed(piece);
                check(!piece.hasRemaining(), "feed left input");
                check(parser.held() <= delimiter + limits.maxHeaderBytes(), "held " + parser.held() + " bytes");
                check(parser.lineCapacity() <= Math.max(64, limits.maxHeaderBytes()), "line buffer grew too much");
                start = end;
            }
            parser.end();
        } catch (MultipartException e) {
            check(e.getMessage() != null && !e.getMessage().isEmpty(), "error without message");
            check(e.status() == 400 || e.status() == 413, "status " + e.status());
            check(e.offset() >= 0 && e.offset() <= body.length, "offset " + e.offset());
            check(e.offset() >= start, "error at " + e.offset() + " before the read that began at " + start);
            refusesMore(parser);
            recorder.add(Recorder.describe(e));
            return new Result(recorder.transcript(), e);
        }
        check(recorder.events <= 2 * feeds + 2 * body.length + 2, "too many events: " + recorder.events);
        refusesMore(parser);
        return new Result(recorder.transcript(), null);
    }

    private static void refusesMore(MultipartParser parser) {
        try {
            parser.feed(ByteBuffer.allocate(1));
            throw new AssertionError("fed after the end or an error");
        } catch (IllegalStateException | MultipartException expected) {
            check(expected instanceof IllegalStateException, "not IllegalStateException: " + expected);
        }
    }

    static ByteBuffer piece(Buffers buffers, byte[] input, int start, int end) {
        int length = end - start;
        switch (buffers) {
            case DIRECT:
                // one direct buffer per thread, reused: a new one per read piles up Cleaners when fuzzing
                ByteBuffer direct = DIRECT_BUFFER.get();
                if (direct.capacity() < length) {
                    direct = ByteBuffer.allocateDirect(Math.max(length, 2 * direct.capacity()));
                    DIRECT_BUFFER.set(direct);
                }
                direct.clear();
                direct.put(input, start, length);
                return direct.flip();
            case READ_ONLY:
                return ByteBuffer.wrap(input, start, length).slice().asReadOnlyBuffer();
            case OFFSET:
                byte[] padded = new byte[length + 7];
                padded[0] = '\r';
                padded[padded.length - 1] = '-';
                System.arraycopy(input, start, padded, 3, length);
                // an array offset of 1, and a position of 2 in the slice
                return ByteBuffer.wrap(padded, 1, padded.length - 1)
                        .slice()
                        .position(2)
                        .limit(2 + length);
            default:
                return ByteBuffer.wrap(input.clone(), start, length);
        }
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}

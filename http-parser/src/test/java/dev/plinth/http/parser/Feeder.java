package dev.plinth.http.parser;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds arbitrary bytes to a parser in chosen read sizes, as a connection would (reset after each complete request),
 * and checks what must hold for any input, valid or not:
 * <ul>
 * <li>nothing but {@link HttpParseException} is thrown, and it always names a {@link Rule} with an RFC reference
 * and one of the statuses the parser answers with;</li>
 * <li>parsing terminates: the number of {@code parse} calls is bounded by the input length and the events;</li>
 * <li>events come in the order {@link RequestListener} promises;</li>
 * <li>no content beyond the declared Content-Length or the body limit is reported, and a complete request with a
 * Content-Length got exactly that many bytes;</li>
 * <li>nothing accepted exceeds a limit: request line, field line, field count and field section size.</li>
 * </ul>
 * The transcript it returns has one line per event (content merged), so that two ways of feeding the same bytes can
 * be compared. Used by the property-based and fuzz tests; the example tests use {@link Harness}.
 */
final class Feeder {
    /** How a read's bytes are held. */
    enum Buffers {
        HEAP,
        DIRECT,
        READ_ONLY,
        OFFSET
    }

    /** The outcome: the transcript, and where an error was thrown. */
    record Result(String transcript, HttpParseException error, int errorReadStart, int errorReadEnd, int requests) {}

    private static final ThreadLocal<ByteBuffer> DIRECT_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(4096));

    private Feeder() {}

    /** Feeds all the input in one read, without pausing. */
    static Result whole(ParserConfig config, byte[] input) {
        return feed(config, input, new int[0], false, Buffers.HEAP);
    }

    /**
     * @param readSizes the sizes of successive reads, repeated cyclically; empty or non-positive means one read
     * @param pause whether the listener asks to pause after every event
     */
    static Result feed(ParserConfig config, byte[] input, int[] readSizes, boolean pause, Buffers buffers) {
        Checker checker = new Checker(config, pause);
        RequestParser parser = new RequestParser(config, checker);
        int calls = 0;
        int callLimit = 4 * input.length + 16;
        int start = 0;
        int read = 0;
        try {
            while (start < input.length || start == 0) {
                int size = readSizes.length == 0 || readSizes[read % readSizes.length] <= 0
                        ? input.length
                        : readSizes[read % readSizes.length];
                read++;
                int end = Math.min(input.length, start + size);
                ByteBuffer piece = piece(buffers, input, start, end);
                try {
                    while (true) {
                        if (++calls > callLimit) {
                            throw new AssertionError("parse called more than " + callLimit + " times");
                        }
                        int before = piece.position();
                        boolean stopped = parser.parse(piece);
                        if (!stopped) {
                            check(!piece.hasRemaining(), "parse returned false with input left");
                            break;
                        }
                        if (parser.isComplete()) {
                            check(checker.completed, "complete without messageComplete");
                            parser.reset();
                            checker.reset();
                        } else {
                            check(pause && checker.events > 0, "parse stopped without a pause or completion");
                            check(piece.position() >= before, "position went back");
                        }
                    }
                } catch (HttpParseException e) {
                    return failure(checker, e, start, end);
                }
                start = end;
                if (input.length == 0) {
                    break;
                }
            }
            parser.endOfInput();
        } catch (HttpParseException e) {
            return failure(checker, e, input.length, input.length);
        }
        return new Result(checker.transcript(), null, -1, -1, checker.requests);
    }

    private static Result failure(Checker checker, HttpParseException e, int readStart, int readEnd) {
        check(e.rule() != null && e.rule().reference().startsWith("RFC "), "rule without RFC reference: " + e.rule());
        check(e.reason().startsWith(e.rule().reference() + ": " + e.rule().message()), "reason: " + e.reason());
        int s = e.status();
        check(s == 400 || s == 413 || s == 414 || s == 431 || s == 501 || s == 505, "unexpected status " + s);
        checker.add("error " + e.rule().name());
        return new Result(checker.transcript(), e, readStart, readEnd, checker.requests);
    }

    private static ByteBuffer piece(Buffers buffers, byte[] input, int start, int end) {
        int length = end - start;
        switch (buffers) {
            case DIRECT:
                // one direct buffer per thread, reused: allocateDirect for each read made millions of Cleaners
                // pile up faster than they were processed in a fuzzing campaign
                ByteBuffer direct = DIRECT_BUFFER.get();
                if (direct.capacity() < length) {
                    direct = ByteBuffer.allocateDirect(Math.max(length, 2 * direct.capacity()));
                    DIRECT_BUFFER.set(direct);
                }
                direct.clear();
                direct.put(input, start, length);
                return direct.flip().slice();
            case READ_ONLY:
                return ByteBuffer.wrap(input, start, length).slice().asReadOnlyBuffer();
            case OFFSET:
                ByteBuffer b = Harness.offsetBuffer(length);
                b.put(input, start, length);
                return b.limit(b.position()).position(2);
            default:
                return ByteBuffer.wrap(input.clone(), start, length);
        }
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    /** A listener that checks the order of events and the limits, and writes a transcript. */
    private static final class Checker implements RequestListener {
        private final ParserConfig config;
        private final boolean pause;
        private final List<String> lines = new ArrayList<>();
        private final StringBuilder content = new StringBuilder();

        /** 0 nothing, 1 request line, 2 headers complete, 3 trailers, 4 complete. */
        private int stage;

        private int fields;
        private long sectionBytes;
        private long declared;
        private long received;
        boolean completed;
        int events;
        int requests;

        Checker(ParserConfig config, boolean pause) {
            this.config = config;
            this.pause = pause;
        }

        void reset() {
            stage = 0;
            fields = 0;
            sectionBytes = 0;
            received = 0;
            completed = false;
        }

        @Override
        public void requestLine(String method, String target, int minorVersion) {
            check(stage == 0, "request line out of order");
            check(!method.isEmpty() && !target.isEmpty(), "empty method or target");
            // method SP target SP HTTP/x.y
            check(
                    method.length() + target.length() + 10 <= config.maxRequestLineLength(),
                    "accepted a request line over the limit");
            stage = 1;
            events++;
            requests++;
            add("request " + method + " " + target + " HTTP/1." + minorVersion);
        }

        @Override
        public void header(String name, String value) {
            check(stage == 1, "header out of order");
            field(name, value);
            add("header " + name + "=[" + value + "]");
        }

        private void field(String name, String value) {
            check(!name.isEmpty(), "empty field name");
            fields++;
            check(fields <= config.maxHeaderCount(), "accepted more fields than the limit");
            int line = name.length() + 1 + value.length();
            check(line <= config.maxFieldLineLength(), "accepted a field line over the limit");
            sectionBytes += line + 1;
            check(sectionBytes <= config.maxHeaderBlockBytes(), "accepted a field section over the limit");
            events++;
        }

        @Override
        public boolean headersComplete(long contentLength) {
            check(stage == 1, "headersComplete out of order");
            check(contentLength >= -1 && contentLength <= config.maxBodyLength(), "length beyond the body limit");
            stage = 2;
            declared = contentLength;
            fields = 0;
            sectionBytes = 0;
            events++;
            add("headers " + contentLength);
            return pause;
        }

        @Override
        public boolean content(ByteBuffer part) {
            check(stage == 2, "content out of order");
            check(part.hasRemaining(), "empty content part");
            received += part.remaining();
            check(declared < 0 || received <= declared, "content beyond Content-Length");
            check(received <= config.maxBodyLength(), "content beyond the body limit");
            byte[] bytes = new byte[part.remaining()];
            part.get(bytes);
            content.append(new String(bytes, StandardCharsets.ISO_8859_1));
            events++;
            return pause;
        }

        @Override
        public void trailer(String name, String value) {
            check((stage == 2 || stage == 3) && declared == -1, "trailer out of order or without chunked body");
            stage = 3;
            field(name, value);
            add("trailer " + name + "=[" + value + "]");
        }

        @Override
        public boolean messageComplete() {
            check(stage == 2 || stage == 3, "messageComplete out of order");
            check(declared < 0 || received == declared, "complete with fewer bytes than Content-Length");
            stage = 4;
            completed = true;
            events++;
            add("complete");
            return pause;
        }

        void add(String line) {
            if (content.length() > 0) {
                lines.add("content " + content);
                content.setLength(0);
            }
            lines.add(line);
        }

        String transcript() {
            add("end");
            lines.remove(lines.size() - 1);
            return String.join("\n", lines);
        }
    }
}

package dev.plinth.http.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Property-based tests: generated valid requests parse to their model in any split of reads; mutated requests fail
 * only with {@link HttpParseException}, terminate, never report content beyond the declared length, give the same
 * result in any split, and never get past a limit by more than the byte that passes it.
 */
class RequestParserPropertyTest {
    private static final int TRIES = 1000;

    /** Limits small enough that mutated requests reach them. */
    private static final ParserConfig SMALL = new ParserConfig(64, 256, 48, 8, 64, Compliance.STRICT);

    @Provide
    Arbitrary<List<RequestModel>> pipelines() {
        return RequestModel.requests().list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<int[]> reads() {
        return Arbitraries.integers().between(1, 64).array(int[].class).ofMaxSize(10);
    }

    @Property(tries = TRIES)
    void validRequestsParseToTheirModelInAnySplit(@ForAll("pipelines") List<RequestModel> requests,
            @ForAll("reads") int[] reads, @ForAll boolean pause, @ForAll Feeder.Buffers buffers) {
        byte[] wire = concat(requests);
        String expected = requests.stream().map(RequestModel::transcript).collect(Collectors.joining("\n"));
        Feeder.Result result = Feeder.feed(ParserConfig.DEFAULT, wire, reads, pause, buffers);
        assertNull(result.error(), () -> "rejected: " + result.error().getMessage());
        assertEquals(expected, result.transcript());
        assertEquals(requests.size(), result.requests());
    }

    @Property(tries = TRIES)
    void validRequestsParseAlikeWithBareLfTolerated(@ForAll("pipelines") List<RequestModel> requests,
            @ForAll("reads") int[] reads) {
        byte[] wire = concat(requests);
        String expected = requests.stream().map(RequestModel::transcript).collect(Collectors.joining("\n"));
        assertEquals(expected, Feeder.feed(ParserConfig.DEFAULT.withCompliance(Harness.LF), wire, reads, false,
                Feeder.Buffers.HEAP).transcript());
    }

    /**
     * Many requests on one connection whose fields have names the per-connection value cache keeps, with values that
     * often repeat and collide: every value is still reported exactly as received.
     */
    @Property(tries = 300)
    void cachedFieldValuesAreReportedExactly(
            @ForAll @Size(min = 1, max = 40) List<@From("cacheableFields") List<RequestModel.Field>> requests) {
        StringBuilder wire = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (List<RequestModel.Field> fields : requests) {
            wire.append("GET / HTTP/1.0\r\n");
            expected.add("request GET / HTTP_1_0");
            for (RequestModel.Field f : fields) {
                wire.append(f.line());
                expected.add("header " + f.name() + "=[" + f.value() + "]");
            }
            wire.append("\r\n");
            expected.add("headers 0");
            expected.add("complete");
        }
        Feeder.Result result = Feeder.whole(ParserConfig.DEFAULT, wire.toString().getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(String.join("\n", expected), result.transcript());
    }

    @Provide
    Arbitrary<List<RequestModel.Field>> cacheableFields() {
        Arbitrary<String> names = Arbitraries.of("User-Agent", "user-agent", "Accept", "ACCEPT", "Accept-Language",
                "Connection", "connection", "Content-Type", "Cache-Control", "Cookie", "X-Other", "Origin");
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.of("a", "b", "ab", "ba", "*/*", "keep-alive", "x".repeat(300)),
                RequestModel.values());
        return Combinators.combine(names, values, RequestModel.ows(), RequestModel.ows()).as(RequestModel.Field::new)
                .list().ofMaxSize(12);
    }

    /** One change to the bytes of a request. */
    record Mutation(Kind kind, int where, int value) {
        enum Kind {
            FLIP, INSERT, DELETE, TRUNCATE, DUPLICATE_LINE
        }

        private static final int[] SPECIAL = {'\r', '\n', 0, ' ', '\t', 0x0B, 0x7F, 0x80, 0xFF, ':', ';', ','};

        byte[] apply(byte[] in) {
            if (in.length == 0) {
                return in;
            }
            int at = Math.floorMod(where, in.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            switch (kind) {
                case FLIP:
                    byte[] flipped = in.clone();
                    flipped[at] ^= (byte) Math.max(1, value & 0xFF);
                    return flipped;
                case INSERT:
                    int b = value < SPECIAL.length * 4 ? SPECIAL[value % SPECIAL.length] : 0x80 + value % 0x80;
                    out.write(in, 0, at);
                    out.write(b);
                    out.write(in, at, in.length - at);
                    return out.toByteArray();
                case DELETE:
                    out.write(in, 0, at);
                    out.write(in, at + 1, in.length - at - 1);
                    return out.toByteArray();
                case TRUNCATE:
                    return java.util.Arrays.copyOf(in, at);
                default:
                    // the line (up to and with its LF) that contains byte `at`, written twice
                    int start = at;
                    while (start > 0 && in[start - 1] != '\n') {
                        start--;
                    }
                    int end = at;
                    while (end < in.length && in[end] != '\n') {
                        end++;
                    }
                    end = Math.min(in.length, end + 1);
                    out.write(in, 0, end);
                    out.write(in, start, end - start);
                    out.write(in, end, in.length - end);
                    return out.toByteArray();
            }
        }
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Combinators.combine(Arbitraries.of(Mutation.Kind.class), Arbitraries.integers().between(0, 1 << 20),
                Arbitraries.integers().between(0, 255)).as(Mutation::new).list().ofMinSize(1).ofMaxSize(5);
    }

    @Property(tries = TRIES)
    void mutatedRequestsFailOnlyWithParseErrorsAndAlikeInAnySplit(@ForAll("pipelines") List<RequestModel> requests,
            @ForAll("mutations") List<Mutation> mutations, @ForAll("reads") int[] reads, @ForAll boolean pause,
            @ForAll boolean small, @ForAll boolean lenient) {
        byte[] input = concat(requests);
        for (Mutation m : mutations) {
            input = m.apply(input);
        }
        ParserConfig config = small ? SMALL : ParserConfig.DEFAULT;
        if (lenient) {
            config = config.withCompliance(Harness.LF);
        }
        // Feeder checks: only HttpParseException, bounded calls, event order, content within the declared length,
        // nothing accepted beyond a limit.
        Feeder.Result split = Feeder.feed(config, input, reads, pause, Feeder.Buffers.HEAP);
        Feeder.Result whole = Feeder.whole(config, input);
        assertEquals(whole.transcript(), split.transcript());
        Statistics.label("outcome").collect(whole.error() == null ? "accepted" : "error " + whole.error().status());
    }

    @Property(tries = TRIES)
    void randomBytesFailOnlyWithParseErrors(@ForAll @Size(max = 200) byte[] input, @ForAll("reads") int[] reads,
            @ForAll boolean small) {
        ParserConfig config = small ? SMALL : ParserConfig.DEFAULT;
        assertEquals(Feeder.whole(config, input).transcript(),
                Feeder.feed(config, input, reads, false, Feeder.Buffers.HEAP).transcript());
    }

    // ---- limits, through behaviour: the error comes on the byte that passes the limit, not later ----

    private static ParserConfig limits(int requestLine, int block, int fieldLine, int count) {
        return new ParserConfig(requestLine, block, fieldLine, count, 1000, Compliance.STRICT);
    }

    /** Feeds byte by byte and returns the index of the byte on which the error was thrown. */
    private static int failingByte(ParserConfig config, String input, int status) {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        Feeder.Result result = Feeder.feed(config, bytes, new int[] {1}, false, Feeder.Buffers.HEAP);
        assertNotNull(result.error(), "accepted");
        assertEquals(status, result.error().status(), result.error().getMessage());
        return result.errorReadStart();
    }

    @Property(tries = 200)
    void requestLineOverTheLimitIs414OnTheByteThatPassesIt(@ForAll @IntRange(min = 16, max = 2000) int limit,
            @ForAll @IntRange(min = 1, max = 300) int excess, @ForAll("reads") int[] reads) {
        String input = "GET /" + "a".repeat(limit + excess) + " HTTP/1.1\r\nHost: a\r\n\r\n";
        assertEquals(limit, failingByte(limits(limit, 16384, 8192, 100), input, 414));
        Feeder.Result split = Feeder.feed(limits(limit, 16384, 8192, 100), input.getBytes(StandardCharsets.ISO_8859_1),
                reads, false, Feeder.Buffers.HEAP);
        assertEquals(414, split.error().status());
        assertTrue(split.errorReadStart() <= limit, "a read wholly beyond the limit was consumed");
    }

    @Property(tries = 200)
    void fieldLineOverTheLimitIs431OnTheByteThatPassesIt(@ForAll @IntRange(min = 16, max = 2000) int limit,
            @ForAll @IntRange(min = 1, max = 300) int excess, @ForAll @IntRange(min = 0, max = 5) int before) {
        String head = "GET / HTTP/1.1\r\nHost: a\r\n" + "X: 1\r\n".repeat(before);
        String input = head + "Y: " + "v".repeat(limit + excess) + "\r\n\r\n";
        assertEquals(head.length() + limit, failingByte(limits(64, 1 << 20, limit, 100), input, 431));
    }

    @Property(tries = 200)
    void fieldSectionOverTheLimitIs431OnTheByteThatPassesIt(@ForAll @IntRange(min = 16, max = 2000) int limit,
            @ForAll @IntRange(min = 1, max = 40) int lineLength) {
        String requestLine = "GET / HTTP/1.1\r\n";
        String line = "X: " + "v".repeat(lineLength) + "\r\n";
        String input = requestLine + "Host: a\r\n" + line.repeat(limit / line.length() + 2) + "\r\n";
        int index = failingByte(limits(64, limit, 64, 1000), input, 431);
        assertTrue(index >= requestLine.length() + limit && index <= requestLine.length() + limit + 1,
                () -> "failed at " + index);
    }

    @Property(tries = 200)
    void tooManyFieldsIs431OnTheFirstByteOfTheFieldTooMany(@ForAll @IntRange(min = 1, max = 200) int count) {
        String head = "GET / HTTP/1.1\r\nHost: a\r\n" + "X: 1\r\n".repeat(count - 1);
        assertEquals(head.length(), failingByte(limits(64, 1 << 20, 64, count), head + "Y: 2\r\n\r\n", 431));
    }

    @Property(tries = 200)
    void contentLengthOverTheBodyLimitIs413BeforeAnyContent(@ForAll @IntRange(min = 0, max = 10000) int limit,
            @ForAll @IntRange(min = 1, max = 1000) int excess) {
        String head = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + (limit + excess) + "\r\n\r\n";
        ParserConfig config = ParserConfig.DEFAULT.withMaxBodyLength(limit);
        assertEquals(head.length() - 1, failingByte(config, head + "x".repeat(limit + excess), 413));
    }

    @Property(tries = 200)
    void chunkedBodyOverTheBodyLimitIs413BeforeTheChunkThatPassesIt(@ForAll @IntRange(min = 0, max = 2000) int limit,
            @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 1, max = 500) Integer> chunks) {
        int total = chunks.stream().mapToInt(Integer::intValue).sum();
        StringBuilder body = new StringBuilder();
        List<Integer> ends = new ArrayList<>();
        String head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (int size : chunks) {
            body.append(Integer.toHexString(size)).append("\r\n");
            ends.add(head.length() + body.length() - 1);
            body.append("x".repeat(size)).append("\r\n");
        }
        body.append("0\r\n\r\n");
        ParserConfig config = ParserConfig.DEFAULT.withMaxBodyLength(limit);
        byte[] input = (head + body).getBytes(StandardCharsets.ISO_8859_1);
        Feeder.Result result = Feeder.feed(config, input, new int[] {1}, false, Feeder.Buffers.HEAP);
        if (total <= limit) {
            assertNull(result.error());
            return;
        }
        int sum = 0;
        int i = 0;
        while (sum + chunks.get(i) <= limit) {
            sum += chunks.get(i++);
        }
        assertEquals(413, result.error().status());
        assertEquals(ends.get(i), result.errorReadStart(), "413 on the LF ending the size line of the chunk too many");
    }

    private static byte[] concat(List<RequestModel> requests) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        requests.forEach(r -> out.writeBytes(r.wire()));
        return out.toByteArray();
    }
}

package dev.plinth.http.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests: generated valid requests parse to their model in any split of reads; mutated requests fail
 * only with {@link HttpParseException}, terminate, never report content beyond the declared length, give the same
 * result in any split, and never get past a limit by more than the byte that passes it.
 *
 * <p>Each property is checked in a bounded number of seeded random tries (see {@link Tries}: a failure names the seed
 * and the try that replay it).
 */
class RequestParserPropertyTest {
    private static final int TRIES = 1000;
    private static final int LIMIT_TRIES = 200;

    /** Limits small enough that mutated requests reach them. */
    private static final ParserConfig SMALL = new ParserConfig(64, 256, 48, 8, 64, Compliance.STRICT);

    /** One to three valid requests, sent one after the other. */
    static List<RequestModel> pipeline(Tries.Trial t) {
        List<RequestModel> requests = t.list(1, 3, () -> RequestModel.request(t));
        t.note("wire", concat(requests));
        return requests;
    }

    /** Sizes of successive reads, used cyclically; none means one read. */
    static int[] reads(Tries.Trial t) {
        return t.note("reads", t.ints(10, 1, 64));
    }

    @Test
    void validRequestsParseToTheirModelInAnySplit() {
        Tries.check("validRequestsParseToTheirModelInAnySplit", TRIES, t -> {
            List<RequestModel> requests = pipeline(t);
            int[] reads = reads(t);
            boolean pause = t.note("pause", t.bool());
            Feeder.Buffers buffers = t.note("buffers", t.of(Feeder.Buffers.class));
            byte[] wire = concat(requests);
            String expected = requests.stream().map(RequestModel::transcript).collect(Collectors.joining("\n"));
            Feeder.Result result = Feeder.feed(ParserConfig.DEFAULT, wire, reads, pause, buffers);
            assertNull(result.error(), () -> "rejected: " + result.error().getMessage());
            assertEquals(expected, result.transcript());
            assertEquals(requests.size(), result.requests());
        });
    }

    @Test
    void validRequestsParseAlikeWithBareLfTolerated() {
        Tries.check("validRequestsParseAlikeWithBareLfTolerated", TRIES, t -> {
            List<RequestModel> requests = pipeline(t);
            int[] reads = reads(t);
            byte[] wire = concat(requests);
            String expected = requests.stream().map(RequestModel::transcript).collect(Collectors.joining("\n"));
            assertEquals(
                    expected,
                    Feeder.feed(
                                    ParserConfig.DEFAULT.withCompliance(Harness.LF),
                                    wire,
                                    reads,
                                    false,
                                    Feeder.Buffers.HEAP)
                            .transcript());
        });
    }

    /**
     * Many requests on one connection whose fields have names the per-connection value cache keeps, with values that
     * often repeat and collide: every value is still reported exactly as received.
     */
    @Test
    void cachedFieldValuesAreReportedExactly() {
        Tries.check("cachedFieldValuesAreReportedExactly", 300, t -> {
            List<List<RequestModel.Field>> requests = t.note("fields", t.list(1, 40, () -> cacheableFields(t)));
            StringBuilder wire = new StringBuilder();
            List<String> expected = new ArrayList<>();
            for (List<RequestModel.Field> fields : requests) {
                wire.append("GET / HTTP/1.0\r\n");
                expected.add("request GET / HTTP/1.0");
                for (RequestModel.Field f : fields) {
                    wire.append(f.line());
                    expected.add("header " + f.name() + "=[" + f.value() + "]");
                }
                wire.append("\r\n");
                expected.add("headers 0");
                expected.add("complete");
            }
            Feeder.Result result =
                    Feeder.whole(ParserConfig.DEFAULT, wire.toString().getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(String.join("\n", expected), result.transcript());
        });
    }

    /** Up to 12 fields with names the value cache keeps, and values that often repeat and collide. */
    private static List<RequestModel.Field> cacheableFields(Rand r) {
        return r.list(0, 12, () -> {
            String name = r.of(
                    "User-Agent",
                    "user-agent",
                    "Accept",
                    "ACCEPT",
                    "Accept-Language",
                    "Connection",
                    "connection",
                    "Content-Type",
                    "Cache-Control",
                    "Cookie",
                    "X-Other",
                    "Origin");
            String value = r.oneOf(
                    () -> r.of("a", "b", "ab", "ba", "*/*", "keep-alive", "x".repeat(300)),
                    () -> RequestModel.value(r));
            return new RequestModel.Field(name, value, RequestModel.ows(r), RequestModel.ows(r));
        });
    }

    /** One change to the bytes of a request. */
    record Mutation(Kind kind, int where, int value) {
        enum Kind {
            FLIP,
            INSERT,
            DELETE,
            TRUNCATE,
            DUPLICATE_LINE
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

    /** One to five mutations. */
    private static List<Mutation> mutations(Rand r) {
        return r.list(1, 5, () -> new Mutation(r.of(Mutation.Kind.class), r.between(0, 1 << 20), r.between(0, 255)));
    }

    @Test
    void mutatedRequestsFailOnlyWithParseErrorsAndAlikeInAnySplit() {
        Map<String, Integer> outcomes = new TreeMap<>();
        Tries.check("mutatedRequestsFailOnlyWithParseErrorsAndAlikeInAnySplit", TRIES, t -> {
            List<RequestModel> requests = pipeline(t);
            List<Mutation> mutations = t.note("mutations", mutations(t));
            int[] reads = reads(t);
            boolean pause = t.note("pause", t.bool());
            boolean small = t.note("small", t.bool());
            boolean lenient = t.note("lenient", t.bool());
            byte[] input = concat(requests);
            for (Mutation m : mutations) {
                input = m.apply(input);
            }
            t.note("input", input);
            ParserConfig config = small ? SMALL : ParserConfig.DEFAULT;
            if (lenient) {
                config = config.withCompliance(Harness.ALL);
            }
            // Feeder checks: only HttpParseException, bounded calls, event order, content within the declared
            // length, nothing accepted beyond a limit.
            Feeder.Result split = Feeder.feed(config, input, reads, pause, Feeder.Buffers.HEAP);
            Feeder.Result whole = Feeder.whole(config, input);
            assertEquals(whole.transcript(), split.transcript());
            outcomes.merge(
                    whole.error() == null
                            ? "accepted"
                            : "error " + whole.error().status(),
                    1,
                    Integer::sum);
        });
        // mutations that never lead to an error, or always do, would test little: in a full run both must occur
        int tried = outcomes.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(
                tried < 100 || outcomes.containsKey("accepted") && outcomes.size() > 1,
                () -> "outcomes " + outcomes + ", seed " + Tries.SEED);
    }

    @Test
    void randomBytesFailOnlyWithParseErrors() {
        Tries.check("randomBytesFailOnlyWithParseErrors", TRIES, t -> {
            byte[] input = t.note("input", t.bytes(200));
            int[] reads = reads(t);
            boolean small = t.note("small", t.bool());
            ParserConfig config = small ? SMALL : ParserConfig.DEFAULT;
            assertEquals(
                    Feeder.whole(config, input).transcript(),
                    Feeder.feed(config, input, reads, false, Feeder.Buffers.HEAP)
                            .transcript());
        });
    }

    // ---- limits, through behaviour: the error comes on the byte that passes the limit, not later ----

    private static ParserConfig limits(int requestLine, int block, int fieldLine, int count) {
        return new ParserConfig(requestLine, block, fieldLine, count, 1000, Compliance.STRICT);
    }

    /** Feeds byte by byte and returns the index of the byte on which the error was thrown. */
    private static int failingByte(ParserConfig config, String input, Rule rule) {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        Feeder.Result result = Feeder.feed(config, bytes, new int[] {1}, false, Feeder.Buffers.HEAP);
        assertNotNull(result.error(), "accepted");
        assertEquals(rule, result.error().rule(), result.error().getMessage());
        return result.errorReadStart();
    }

    @Test
    void requestLineOverTheLimitIs414OnTheByteThatPassesIt() {
        Tries.check("requestLineOverTheLimitIs414OnTheByteThatPassesIt", LIMIT_TRIES, t -> {
            int limit = t.note("limit", t.between(16, 2000));
            int excess = t.note("excess", t.between(1, 300));
            int[] reads = reads(t);
            String input = "GET /" + "a".repeat(limit + excess) + " HTTP/1.1\r\nHost: a\r\n\r\n";
            assertEquals(limit, failingByte(limits(limit, 16384, 8192, 100), input, Rule.REQUEST_LINE_TOO_LONG));
            Feeder.Result split = Feeder.feed(
                    limits(limit, 16384, 8192, 100),
                    input.getBytes(StandardCharsets.ISO_8859_1),
                    reads,
                    false,
                    Feeder.Buffers.HEAP);
            assertEquals(Rule.REQUEST_LINE_TOO_LONG, split.error().rule());
            assertTrue(split.errorReadStart() <= limit, "a read wholly beyond the limit was consumed");
        });
    }

    @Test
    void fieldLineOverTheLimitIs431OnTheByteThatPassesIt() {
        Tries.check("fieldLineOverTheLimitIs431OnTheByteThatPassesIt", LIMIT_TRIES, t -> {
            int limit = t.note("limit", t.between(16, 2000));
            int excess = t.note("excess", t.between(1, 300));
            int before = t.note("before", t.between(0, 5));
            String head = "GET / HTTP/1.1\r\nHost: a\r\n" + "X: 1\r\n".repeat(before);
            String input = head + "Y: " + "v".repeat(limit + excess) + "\r\n\r\n";
            assertEquals(
                    head.length() + limit,
                    failingByte(limits(64, 1 << 20, limit, 100), input, Rule.FIELD_LINE_TOO_LONG));
        });
    }

    @Test
    void fieldSectionOverTheLimitIs431OnTheByteThatPassesIt() {
        Tries.check("fieldSectionOverTheLimitIs431OnTheByteThatPassesIt", LIMIT_TRIES, t -> {
            int limit = t.note("limit", t.between(16, 2000));
            int lineLength = t.note("lineLength", t.between(1, 40));
            String requestLine = "GET / HTTP/1.1\r\n";
            String line = "X: " + "v".repeat(lineLength) + "\r\n";
            String input = requestLine + "Host: a\r\n" + line.repeat(limit / line.length() + 2) + "\r\n";
            int index = failingByte(limits(64, limit, 64, 1000), input, Rule.FIELD_SECTION_TOO_LARGE);
            assertTrue(
                    index >= requestLine.length() + limit && index <= requestLine.length() + limit + 1,
                    () -> "failed at " + index);
        });
    }

    @Test
    void tooManyFieldsIs431OnTheFirstByteOfTheFieldTooMany() {
        Tries.check("tooManyFieldsIs431OnTheFirstByteOfTheFieldTooMany", LIMIT_TRIES, t -> {
            int count = t.note("count", t.between(1, 200));
            String head = "GET / HTTP/1.1\r\nHost: a\r\n" + "X: 1\r\n".repeat(count - 1);
            assertEquals(
                    head.length(),
                    failingByte(limits(64, 1 << 20, 64, count), head + "Y: 2\r\n\r\n", Rule.TOO_MANY_FIELDS));
        });
    }

    @Test
    void contentLengthOverTheBodyLimitIs413BeforeAnyContent() {
        Tries.check("contentLengthOverTheBodyLimitIs413BeforeAnyContent", LIMIT_TRIES, t -> {
            int limit = t.note("limit", t.between(0, 10000));
            int excess = t.note("excess", t.between(1, 1000));
            String head = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + (limit + excess) + "\r\n\r\n";
            ParserConfig config = ParserConfig.DEFAULT.withMaxBodyLength(limit);
            assertEquals(
                    head.length() - 1,
                    failingByte(config, head + "x".repeat(limit + excess), Rule.CONTENT_LENGTH_TOO_LARGE));
        });
    }

    @Test
    void chunkedBodyOverTheBodyLimitIs413BeforeTheChunkThatPassesIt() {
        Tries.check("chunkedBodyOverTheBodyLimitIs413BeforeTheChunkThatPassesIt", LIMIT_TRIES, t -> {
            int limit = t.note("limit", t.between(0, 2000));
            List<Integer> chunks = t.note("chunks", t.list(1, 10, () -> t.between(1, 500)));
            chunkedBodyOverTheBodyLimit(limit, chunks);
        });
    }

    private static void chunkedBodyOverTheBodyLimit(int limit, List<Integer> chunks) {
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
        assertEquals(Rule.CHUNKED_BODY_TOO_LARGE, result.error().rule());
        assertEquals(ends.get(i), result.errorReadStart(), "413 on the LF ending the size line of the chunk too many");
    }

    private static byte[] concat(List<RequestModel> requests) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        requests.forEach(r -> out.writeBytes(r.wire()));
        return out.toByteArray();
    }
}

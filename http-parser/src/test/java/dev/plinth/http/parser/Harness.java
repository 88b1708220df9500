package dev.plinth.http.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Feeds a request to a parser in every way a connection might: whole, split in two at every point, one byte at a
 * time, pausing after every event or not, from heap, direct, read-only and offset buffers; and checks that each way
 * gives the same transcript. Pipelined requests are handled as the connection core would: reset after each one.
 */
final class Harness {
    static final ParserConfig STRICT = ParserConfig.DEFAULT;
    static final Compliance LF = new Compliance("LF", EnumSet.of(Violation.LF_LINE_ENDINGS));
    static final ParserConfig LENIENT = STRICT.withCompliance(LF);
    /** Every violation tolerated: for tests that check what holds in any mode. */
    static final Compliance ALL = new Compliance("ALL", EnumSet.allOf(Violation.class));

    /** @return {@code config} with {@code more} tolerated too */
    static ParserConfig tolerating(ParserConfig config, Violation... more) {
        EnumSet<Violation> allowed = EnumSet.noneOf(Violation.class);
        allowed.addAll(config.compliance().allowed());
        allowed.addAll(List.of(more));
        return config.withCompliance(new Compliance(allowed.toString(), allowed));
    }

    private Harness() {}

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Asserts that every way of feeding {@code input} gives {@code expected}, one line per event. */
    static void assertParses(String input, String... expected) {
        assertParses(STRICT, input, expected);
    }

    /**
     * As {@link #assertParses(String, String...)}; also, unless {@code config} tolerates bare LF, the same request
     * with LF instead of CRLF in its first header block is rejected (400), and accepted alike with
     * {@link Violation#LF_LINE_ENDINGS}.
     */
    static void assertParses(ParserConfig config, String input, String... expected) {
        String transcript = String.join("\n", expected);
        assertTranscript(config, input, transcript);
        int head = input.indexOf("\r\n\r\n");
        if (head >= 0 && !config.compliance().allows(Violation.LF_LINE_ENDINGS)) {
            String lf = input.substring(0, head + 4).replace("\r\n", "\n") + input.substring(head + 4);
            assertTranscript(config, lf, "error BARE_LF");
            assertTranscript(tolerating(config, Violation.LF_LINE_ENDINGS), lf, transcript);
        }
    }

    /** Asserts that every way of feeding {@code input} ends in the same error, breaking {@code rule}. */
    static void assertRejects(String input, Rule rule) {
        assertRejects(STRICT, input, rule);
    }

    /** As {@link #assertRejects(String, Rule)}, with {@code config}. */
    static void assertRejects(ParserConfig config, String input, Rule rule) {
        String whole = feed(config, bytes(input), new int[0], false, ByteBuffer::allocate);
        assertTrue(whole.endsWith("error " + rule.name()), () -> "expected error " + rule + ", got:\n" + whole);
        assertTranscript(config, input, whole);
    }

    /** Asserts that every way of feeding {@code input} gives exactly {@code expected}. */
    static void assertTranscript(ParserConfig config, String input, String expected) {
        byte[] bytes = bytes(input);
        for (boolean pause : new boolean[] {false, true}) {
            for (int[] cuts : cuts(bytes.length)) {
                String got = feed(config, bytes, cuts, pause, ByteBuffer::allocate);
                assertEquals(expected, got, () -> "cuts " + describe(cuts) + (pause ? ", pausing" : ""));
            }
        }
        assertEquals(expected, feed(config, bytes, new int[0], false, ByteBuffer::allocateDirect), "direct");
        assertEquals(
                expected,
                feed(
                        config,
                        bytes,
                        new int[0],
                        false,
                        n -> ByteBuffer.allocate(n).asReadOnlyBuffer()),
                "read-only");
        assertEquals(expected, feed(config, bytes, new int[0], false, Harness::offsetBuffer), "offset");
    }

    /** @return a heap buffer whose array starts 3 bytes before it (arrayOffset) and whose position is 2 */
    static ByteBuffer offsetBuffer(int capacity) {
        return ByteBuffer.allocate(capacity + 6).position(3).slice().position(2);
    }

    /** No cut, one cut at each point, and a cut between every two bytes. */
    private static List<int[]> cuts(int length) {
        List<int[]> all = new ArrayList<>();
        all.add(new int[0]);
        for (int i = 1; i < length; i++) {
            all.add(new int[] {i});
        }
        int[] everyByte = new int[Math.max(0, length - 1)];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        all.add(everyByte);
        return all;
    }

    private static String describe(int[] cuts) {
        return cuts.length > 3 ? "every byte" : java.util.Arrays.toString(cuts);
    }

    /**
     * Feeds the pieces between the cuts, each in its own buffer, then ends the input.
     *
     * @param allocate makes a buffer whose position is where a piece is written and whose capacity fits it
     */
    static String feed(ParserConfig config, byte[] input, int[] cuts, boolean pause, IntFunction<ByteBuffer> allocate) {
        Recorder recorder = new Recorder(pause);
        RequestParser parser = new RequestParser(config, recorder);
        try {
            int start = 0;
            for (int i = 0; i <= cuts.length; i++) {
                int end = i < cuts.length ? cuts[i] : input.length;
                ByteBuffer piece = piece(allocate, input, start, end);
                while (true) {
                    if (!parser.parse(piece)) {
                        assertFalse(piece.hasRemaining(), "parse returned false with input left");
                        break;
                    }
                    assertTrue(pause || parser.isComplete(), "parse stopped without a pause or completion");
                    if (parser.isComplete()) {
                        int position = piece.position();
                        assertTrue(parser.parse(piece), "complete parser must keep returning true");
                        assertEquals(position, piece.position(), "complete parser must consume nothing");
                        parser.reset();
                        assertTrue(parser.isIdle());
                    }
                }
                start = end;
            }
            parser.endOfInput();
        } catch (HttpParseException e) {
            assertTrue(e.rule().reference().startsWith("RFC "), () -> "rule without RFC reference: " + e.rule());
            assertEquals(e.rule().status(), e.status());
            recorder.add("error " + e.rule().name());
        }
        return recorder.transcript();
    }

    private static ByteBuffer piece(IntFunction<ByteBuffer> allocate, byte[] input, int start, int end) {
        ByteBuffer buffer = allocate.apply(end - start);
        int position = buffer.position();
        if (buffer.isReadOnly()) {
            return ByteBuffer.wrap(input.clone(), start, end - start).slice().asReadOnlyBuffer();
        }
        buffer.put(input, start, end - start);
        buffer.limit(buffer.position());
        buffer.position(position);
        return buffer;
    }
}

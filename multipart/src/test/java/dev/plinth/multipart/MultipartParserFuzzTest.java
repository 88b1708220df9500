package dev.plinth.multipart;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz test. By default (and in CI) it replays the committed inputs under
 * {@code src/test/resources/dev/plinth/multipart/MultipartParserFuzzTestInputs/parse/} (written by
 * {@link FuzzSeeds}), plus any findings Jazzer wrote there. With {@code JAZZER_FUZZ=1} it fuzzes for
 * {@code maxDuration}: {@code JAZZER_FUZZ=1 mvn -o test -Dtest=MultipartParserFuzzTest} from {@code multipart/}.
 *
 * <p>Layout of an input: the body, then (consumed from the end, as FuzzedDataProvider does) one byte of flags, one
 * byte choosing the boundary from {@link #BOUNDARIES}, one byte giving the number of read sizes (0 to 7), and one
 * byte per read size (1 to 256). Flags: 1 small limits; 2 and 4 the kind of buffer.
 *
 * <p>Every input is fed in those reads and whole; {@link Feeder} checks that nothing but {@link MultipartException}
 * is thrown, that the listener is called a bounded number of times and in order, and that the parser holds back no
 * more than the delimiter's length plus the header block limit. The two transcripts must be equal, and agree with
 * {@link Reference}: its events for a body it accepts, an error for one it rejects.
 */
class MultipartParserFuzzTest {
    /** The boundaries an input may choose: the realistic ones of {@link SplitInvarianceTest}, and short odd ones. */
    static final String[] BOUNDARIES = {
        Parse.BOUNDARY,
        SplitInvarianceTest.CURL_BOUNDARY,
        SplitInvarianceTest.CHROME_BOUNDARY,
        SplitInvarianceTest.FIREFOX_BOUNDARY,
        SplitInvarianceTest.BINARY_BOUNDARY,
        SplitInvarianceTest.EMPTY_BOUNDARY,
        "-",
        "a b",
    };

    /** Small limits, so that the fuzzer reaches them with short inputs. */
    static final MultipartLimits SMALL = new MultipartLimits(64, 4, 4);

    @FuzzTest(maxDuration = "10m")
    void parse(FuzzedDataProvider data) {
        int flags = data.consumeByte() & 0xFF;
        String boundary = BOUNDARIES[data.consumeInt(0, BOUNDARIES.length - 1)];
        int[] reads = new int[data.consumeInt(0, 7)];
        for (int i = 0; i < reads.length; i++) {
            reads[i] = data.consumeInt(1, 256);
        }
        byte[] body = data.consumeRemainingAsBytes();
        MultipartLimits limits = (flags & 1) != 0 ? SMALL : MultipartLimits.DEFAULT;
        Feeder.Buffers buffers = Feeder.Buffers.values()[(flags >> 1) & 3];
        Boundary b = Parse.boundary(boundary);
        Feeder.Result split = Feeder.feed(b, limits, body, reads, buffers);
        Feeder.Result whole = Feeder.whole(b, limits, body);
        if (!split.transcript().equals(whole.transcript())) {
            throw new AssertionError(
                    "split reads changed the result:\n" + split.transcript() + "\n--- whole:\n" + whole.transcript());
        }
        String reference = Reference.parse(body, boundary, limits);
        if (reference == null ? whole.error() == null : !reference.equals(whole.transcript())) {
            throw new AssertionError("not as Reference parses it:\n" + whole.transcript() + "\n--- Reference:\n"
                    + (reference == null ? "an error" : reference));
        }
    }
}

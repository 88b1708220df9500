package dev.plinth.http.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Jazzer fuzz test. By default (and in CI) it replays the committed inputs under
 * {@code src/test/resources/dev/plinth/http/parser/RequestParserFuzzTestInputs/parse/}, plus any findings Jazzer
 * wrote there. With {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration}:
 * {@code JAZZER_FUZZ=1 mvn test -Dtest=RequestParserFuzzTest} (see benchmarks/README.md, "Parser fuzzing").
 *
 * <p>Layout of an input: the request bytes, then (consumed from the end, as FuzzedDataProvider does) one byte of
 * flags, one byte giving the number of read sizes (0 to 7), and one byte per read size (1 to 256). Flags: 1 small
 * limits, 2 every {@link Violation} tolerated, 4 pause after every event, 8 and 16 the kind of buffer. See
 * {@link FuzzSeeds} for the seeds.
 */
class RequestParserFuzzTest {
    /** Small limits, so that the fuzzer reaches them with short inputs. */
    static final ParserConfig SMALL = new ParserConfig(64, 256, 48, 8, 64, Compliance.STRICT);

    @FuzzTest(maxDuration = "10m")
    void parse(FuzzedDataProvider data) {
        int flags = data.consumeByte() & 0xFF;
        int count = data.consumeInt(0, 7);
        int[] reads = new int[count];
        for (int i = 0; i < count; i++) {
            reads[i] = data.consumeInt(1, 256);
        }
        byte[] input = data.consumeRemainingAsBytes();
        ParserConfig config = (flags & 1) != 0 ? SMALL : ParserConfig.DEFAULT;
        if ((flags & 2) != 0) {
            config = config.withCompliance(Harness.ALL);
        }
        boolean pause = (flags & 4) != 0;
        Feeder.Buffers buffers = Feeder.Buffers.values()[(flags >> 3) & 3];
        Feeder.Result split = Feeder.feed(config, input, reads, pause, buffers);
        Feeder.Result whole = Feeder.whole(config, input);
        if (!split.transcript().equals(whole.transcript())) {
            throw new AssertionError(
                    "split reads changed the result:\n" + split.transcript() + "\n--- whole:\n" + whole.transcript());
        }
    }

    /**
     * Campaign 2's only report: a "slow unit" (10 s) of 4 KB of pipelined, mangled requests. The time went to the
     * test feeder, which then allocated a direct buffer per read until millions of Cleaners were pending; the parser
     * itself parses it in milliseconds. Kept as an input and as this test: every buffer kind, one byte per read.
     */
    @Test
    void slowUnitOfCampaign2ParsesQuickly() throws IOException {
        byte[] input;
        try (InputStream in = getClass()
                .getResourceAsStream("RequestParserFuzzTestInputs/parse/slow-unit-campaign2-direct-buffer-cleaners")) {
            input = in.readAllBytes();
        }
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (ParserConfig config : new ParserConfig[] {ParserConfig.DEFAULT, SMALL}) {
                String whole = Feeder.whole(config, input).transcript();
                for (Feeder.Buffers buffers : Feeder.Buffers.values()) {
                    assertEquals(
                            whole,
                            Feeder.feed(config, input, new int[] {1}, false, buffers)
                                    .transcript());
                }
            }
        });
    }
}

package dev.plinth.handlers.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Range parser on its own: what the socket tests cannot tell apart (an ignored field serves the whole file, as
 * would no answer at all), and numbers at the edges of a long.
 */
class ByteRangesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bytes=5-1",
                "bytes=abc",
                "bytes=1",
                "bytes=",
                "bytes=-",
                "bytes=--5",
                "bytes=1-x",
                "bytes 0-1",
                "items=0-1",
                "=0-1",
                "none",
                "bytes=0-1,5-1"
            })
    void aMalformedOrForeignRangeIsIgnored(String value) {
        assertInstanceOf(ByteRanges.Ignored.class, ByteRanges.parse(List.of(value), 100), value);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void noneOrSeveralFieldsAreIgnored(int fields) {
        assertInstanceOf(
                ByteRanges.Ignored.class,
                ByteRanges.parse(
                        IntStream.range(0, fields).mapToObj(i -> "bytes=0-1").toList(), 100));
    }

    @Test
    void atMost256SpecsAreRead() {
        assertInstanceOf(ByteRanges.Satisfiable.class, ByteRanges.parse(List.of(zeros(256)), 100));
        assertInstanceOf(ByteRanges.Ignored.class, ByteRanges.parse(List.of(zeros(257)), 100));
    }

    private static String zeros(int specs) {
        return IntStream.range(0, specs).mapToObj(i -> "0-0").collect(Collectors.joining(",", "bytes=", ""));
    }

    @Test
    void aRangeBridgingSeveralMergesThemAll() {
        ByteRanges.Satisfiable ranges =
                assertInstanceOf(ByteRanges.Satisfiable.class, ByteRanges.parse(List.of("bytes=0-1,3-4,6-7,2-5"), 100));
        assertEquals(List.of(new ByteRanges.Slice(0, 7)), ranges.slices());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // the largest longs are read exactly, not saturated too early
                "bytes=9223372036854775800-9223372036854775805 | 9223372036854775800 | 9223372036854775805",
                "bytes=9223372036854775806-                    | 9223372036854775806 | 9223372036854775806",
                // larger numbers saturate at the largest long, then are clamped to the representation
                "bytes=0-99999999999999999999999              | 0                   | 9223372036854775806"
            })
    void numbersAreReadUpToTheLargestLong(String value, long first, long last) {
        ByteRanges.Satisfiable ranges =
                assertInstanceOf(ByteRanges.Satisfiable.class, ByteRanges.parse(List.of(value), Long.MAX_VALUE));
        assertEquals(List.of(new ByteRanges.Slice(first, last)), ranges.slices());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=9223372036854775806-9223372036854775805", "bytes=99999999999999999999-1"})
    void aLastBeforeTheFirstIsIgnoredEvenNearTheLargestLong(String value) {
        assertInstanceOf(ByteRanges.Ignored.class, ByteRanges.parse(List.of(value), Long.MAX_VALUE), value);
    }
}

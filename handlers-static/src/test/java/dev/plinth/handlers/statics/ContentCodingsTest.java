package dev.plinth.handlers.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plinth.handlers.statics.ContentCodings.Coding;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Accept-Encoding's edge cases on their own; the common ones run over a socket in PrecompressedSocketTest. */
class ContentCodingsTest {

    @ParameterizedTest(name = "{0} of {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                // a q parameter is recognised whatever its case
                "br;Q=0, gzip              | BR GZIP | GZIP",
                // a malformed weight drops its element, so that * decides for the coding
                "*;q=0.5, gzip;q=2         | GZIP    | GZIP",
                "*;q=0.5, gzip;q=0.5.      | GZIP    | GZIP",
                "identity;q=0.5, gzip;q=x  | GZIP    | identity",
                // a q without a value is no weight at all
                "gzip;q=                   | GZIP    | GZIP"
            })
    void choose(String acceptEncoding, String available, String expected) {
        List<Coding> siblings =
                Arrays.stream(available.split(" ")).map(Coding::valueOf).toList();
        Coding chosen = ContentCodings.parse(List.of(acceptEncoding)).choose(siblings);
        assertEquals(expected, chosen == null ? "identity" : chosen.name());
    }
}

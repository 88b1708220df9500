package dev.plinth.http.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The compressed representation's entity tag, and If-None-Match against either tag. */
class ETagsTest {

    @Test
    void aStrongTagGetsTheSuffixInsideItsQuotes() {
        assertEquals("\"abc-gzip\"", ETags.forGzip("\"abc\""));
        assertEquals("\"-gzip\"", ETags.forGzip("\"\""));
        assertEquals("\"abc-gzip\"", ETags.forGzip(" \"abc\" "));
    }

    @Test
    void aWeakTagStaysWeakAndIsSuffixedToo() {
        assertEquals("W/\"abc-gzip\"", ETags.forGzip("W/\"abc\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "\"abc", "abc\"", "w/\"abc\"", "\"a b\"", "\"a\"b\"", "W/", ""})
    void aValueThatIsNoTagGetsNone(String etag) {
        assertNull(ETags.forGzip(etag), etag);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"abc\"",
                "\"abc-gzip\"",
                "W/\"abc\"",
                "W/\"abc-gzip\"",
                "*",
                " * ",
                "\"x\", \"abc-gzip\"",
                "\"x\",\"abc\" , \"y\"",
                ", \"abc\",",
            })
    void ifNoneMatchNamingEitherRepresentationMatches(String candidate) {
        assertTrue(ETags.matchesEither(candidate, "\"abc\""), candidate);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"abd\"",
                "\"abc-gzip-gzip\"",
                "\"abc-gz\"",
                "\"ABC\"",
                "abc",
                "\"abc\" \"x\"",
                "\"abc\", x",
                "\"abc",
                "",
            })
    void otherOrMalformedCandidatesDoNot(String candidate) {
        assertFalse(ETags.matchesEither(candidate, "\"abc\""), candidate);
    }

    @Test
    void aWeakIdentityTagMatchesByWeakComparison() {
        assertTrue(ETags.matchesEither("\"abc-gzip\"", "W/\"abc\""));
        assertTrue(ETags.matchesEither("W/\"abc\"", "W/\"abc\""));
    }

    @Test
    void aMalformedIdentityTagMatchesNothing() {
        assertFalse(ETags.matchesEither("\"abc\"", "abc"));
        assertFalse(ETags.matchesEither("*", "abc"));
    }
}

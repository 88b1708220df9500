package dev.plinth.http.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpDatesTest {

    @org.junit.jupiter.api.Test
    void formatsImfFixdateWithATwoDigitDayAndNoFraction() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.format(Instant.parse("1994-11-06T08:49:37.999Z")));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Sun, 06 Nov 1994 08:49:37 GMT  | 1994-11-06T08:49:37Z",
                "Sunday, 06-Nov-94 08:49:37 GMT | 1994-11-06T08:49:37Z",
                "Sun Nov  6 08:49:37 1994       | 1994-11-06T08:49:37Z",
                "Thu, 29 Feb 2024 23:59:59 GMT  | 2024-02-29T23:59:59Z",
                "Monday, 01-Jan-24 00:00:00 GMT | 2024-01-01T00:00:00Z",
                "Mon Jan 15 10:00:00 2024       | 2024-01-15T10:00:00Z"
            })
    void parsesTheThreeForms(String text, String instant) {
        assertEquals(Optional.of(Instant.parse(instant)), HttpDates.parse(text));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "yesterday",
                "Sun, 06 Nov 1994 08:49:37 UTC",
                "Sun, 6 Nov 1994 08:49:37 GMT",
                "Sun, 31 Nov 1994 08:49:37 GMT",
                "Sun, 06 nov 1994 08:49:37 GMT",
                "Sunday, 06-Nov-x4 08:49:37 GMT",
                "Sun Nov 6 08:49:37 1994",
                "1994-11-06T08:49:37Z",
                "Sun, 06 Nov 1994 25:49:37 GMT"
            })
    void refusesOtherText(String text) {
        assertEquals(Optional.empty(), HttpDates.parse(text));
    }
}

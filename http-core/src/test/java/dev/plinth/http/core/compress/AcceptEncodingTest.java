package dev.plinth.http.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Accept-Encoding as RFC 9110 §12.5.3 reads it, for the two codings the server makes. */
class AcceptEncodingTest {

    private static AcceptEncoding of(String... values) {
        return AcceptEncoding.of(List.of(values));
    }

    @Test
    void anAbsentFieldGetsIdentityThoughAnyCodingWouldDo() {
        AcceptEncoding absent = AcceptEncoding.of(List.of());
        assertFalse(absent.present());
        assertFalse(absent.acceptsGzip());
        assertFalse(absent.gzipPreferred());
        assertTrue(absent.identityAcceptable());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ",", " , ,"})
    void anEmptyValueMeansOnlyIdentity(String value) {
        AcceptEncoding empty = of(value);
        assertTrue(empty.present());
        assertFalse(empty.acceptsGzip());
        assertTrue(empty.identityAcceptable());
    }

    /** The examples of §12.5.3, and variants of spelling. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "compress, gzip",
                "*",
                "compress;q=0.5, gzip;q=1.0",
                "gzip;q=1.0, identity; q=0.5, *;q=0",
                "gzip",
                "GZip",
                "x-gzip",
                "X-GZIP;Q=0.5",
                " gzip ; q=0.5 ",
                "gzip;q = 0.5",
                "gzip;q=0.001",
                "gzip;q=1.",
                "gzip;q=1.000",
                "br;q=1, gzip;q=0.8, deflate",
                "br, *;q=0.1",
            })
    void gzipIsAccepted(String value) {
        assertTrue(of(value).acceptsGzip(), value);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "br",
                "identity",
                "gzip;q=0",
                "gzip;q=0.000",
                "gzip;q=0.",
                "gzip;q=0, *",
                "*, gzip;q=0",
                "x-gzip;q=0, *",
                "*;q=0",
                "gzip;q=0, gzip",
                "gzip, x-gzip;q=0",
            })
    void gzipIsRefused(String value) {
        assertFalse(of(value).acceptsGzip(), value);
        assertFalse(of(value).gzipPreferred(), value);
    }

    /** A malformed element is dropped as if absent; the rest of the field still counts. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "gzip;q=2",
                "gzip;q=",
                "gzip;q",
                "gzip;q=1.001",
                "gzip;q=0.1234",
                "gzip;q=.5",
                "gzip;q=abc",
                "gzip;q=-0",
                "gzip;level=9",
                "gzip;q=0.5;q=0.5",
                "gz ip",
                "gzip/1",
                "\"gzip\"",
            })
    void aMalformedElementIsIgnored(String value) {
        assertFalse(of(value).acceptsGzip(), value);
        assertTrue(of(value + ", *").acceptsGzip(), value + ", *");
    }

    @Test
    void identityIsAcceptableUnlessExcluded() {
        assertTrue(of("gzip").identityAcceptable());
        assertTrue(of("identity;q=0.5").identityAcceptable());
        assertFalse(of("identity;q=0").identityAcceptable());
        assertFalse(of("gzip, *;q=0").identityAcceptable());
        assertTrue(of("*;q=0, identity").identityAcceptable());
        assertTrue(of("*;q=0, identity;q=0.1").identityAcceptable());
        assertFalse(of("*, identity;q=0").identityAcceptable());
    }

    @Test
    void severalFieldsAreOneList() {
        assertTrue(of("br", "gzip").acceptsGzip());
        assertFalse(of("gzip", "gzip;q=0").acceptsGzip());
        assertFalse(of("br", "identity;q=0").identityAcceptable());
        assertTrue(of("", "gzip").acceptsGzip());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "gzip                       | true",
                "*                          | true",
                "gzip, identity             | true",
                "gzip;q=0.5, identity       | false",
                "gzip, identity;q=0.5       | true",
                "gzip;q=0.5, *              | false",
                "gzip;q=0.5, *;q=0.5        | true",
                "gzip;q=0.1                 | true",
                "gzip;q=0.1, identity;q=0   | true",
                "br                         | false",
            })
    void gzipIsPreferredWhenItWeighsNoLessThanIdentity(String value, boolean preferred) {
        assertEquals(preferred, of(value).gzipPreferred(), value);
    }

    @ParameterizedTest
    @CsvSource({"0,0", "0.,0", "0.5,500", "0.05,50", "0.123,123", "1,1000", "1.0,1000", "1.00,1000", "1.000,1000"})
    void qvaluesAreThousandths(String text, int thousandths) {
        assertEquals(thousandths, AcceptEncoding.qvalue(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "1.5", "0.0000", "01", "0.a", "1.01", " 1", "0..", "+1"})
    void malformedQvaluesAreRejected(String text) {
        assertEquals(-1, AcceptEncoding.qvalue(text), text);
    }
}

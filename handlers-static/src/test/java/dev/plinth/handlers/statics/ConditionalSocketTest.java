package dev.plinth.handlers.statics;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Conditional requests over a real socket, in the order of RFC 9110 §13.2.2. See {@link Table} for the notation. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ConditionalSocketTest extends SharedSite {

    private static Table table;

    @BeforeAll
    static void start() throws IOException {
        table = new Table(site.serve(site.mount().cacheControl("max-age=60")), "/digits.txt", Site.DIGITS);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            nullValues = "",
            value = {
                // no conditions
                "GET     |                                        | 200 | ALL | ETag={E} && Last-Modified={L} && "
                        + "Cache-Control=max-age=60 && Vary=Accept-Encoding && Accept-Ranges=bytes",
                "HEAD    |                                        | 200 |     | ETag={E} && Content-Length=100",
                // If-None-Match (§13.1.2): weak comparison, *, lists; 304 carries the validators, Cache-Control and
                // Vary
                "GET     | If-None-Match: {E}                     | 304 |     | ETag={E} && Last-Modified={L} && "
                        + "Cache-Control=max-age=60 && Vary=Accept-Encoding && Content-Length=! && Content-Type=!",
                "HEAD    | If-None-Match: {E}                     | 304 |     | ETag={E}",
                "GET     | If-None-Match: {W}                     | 304 |     | ETag={E}",
                "GET     | If-None-Match: *                       | 304 |     | ETag={E}",
                "GET     | If-None-Match: \"x\", {E}              | 304 |     |",
                "GET     | If-None-Match: \"x\",,W/\"y\" , {W}    | 304 |     |",
                "GET     | If-None-Match: \"x\" && If-None-Match: {E} | 304 |  |",
                "GET     | If-None-Match: \"x\"                   | 200 | ALL |",
                "GET     | If-None-Match: W/\"x\"                 | 200 | ALL |",
                "GET     | If-None-Match: {E}x                    | 200 | ALL |",
                "GET     | If-None-Match: garbage                 | 200 | ALL |",
                "GET     | If-None-Match: W/                      | 200 | ALL |",
                "GET     | If-None-Match: \"abc                   | 200 | ALL |",
                "GET     | If-None-Match: \"x\", garbage, {E}     | 200 | ALL |",
                // If-Modified-Since (§13.1.3): only without If-None-Match, only GET and HEAD, all three date forms
                "GET     | If-Modified-Since: {L}                 | 304 |     | ETag={E} && Last-Modified={L}",
                "GET     | If-Modified-Since: {L+1}               | 304 |     |",
                "GET     | If-Modified-Since: {L850}              | 304 |     |",
                "GET     | If-Modified-Since: {LASC}              | 304 |     |",
                "HEAD    | If-Modified-Since: {L}                 | 304 |     |",
                "GET     | If-Modified-Since: {L-1}               | 200 | ALL |",
                "GET     | If-Modified-Since: yesterday           | 200 | ALL |",
                "GET     | If-Modified-Since: {L} && If-Modified-Since: {L} | 200 | ALL |",
                "GET     | If-None-Match: \"x\" && If-Modified-Since: {L}   | 200 | ALL |",
                "GET     | If-None-Match: {E} && If-Modified-Since: {L-1}   | 304 |     |",
                // If-Match (§13.1.1): strong comparison, *
                "GET     | If-Match: {E}                          | 200 | ALL |",
                "GET     | If-Match: *                            | 200 | ALL |",
                "GET     | If-Match: \"x\", {E}                   | 200 | ALL |",
                "GET     | If-Match: {W}                          | 412 | *   | ETag=!",
                "GET     | If-Match: \"x\"                        | 412 | *   |",
                "HEAD    | If-Match: \"x\"                        | 412 |     |",
                "GET     | If-Match: garbage                      | 412 | *   |",
                "GET     | If-Match: {E}x                         | 412 | *   |",
                // If-Unmodified-Since (§13.1.4): only without If-Match; invalid dates ignored
                "GET     | If-Unmodified-Since: {L}               | 200 | ALL |",
                "GET     | If-Unmodified-Since: {L+1}             | 200 | ALL |",
                "GET     | If-Unmodified-Since: {L-1}             | 412 | *   |",
                "GET     | If-Unmodified-Since: {L-1} && If-Match: {E}  | 200 | ALL |",
                "GET     | If-Unmodified-Since: not a date        | 200 | ALL |",
                // the order of §13.2.2
                "GET     | If-Match: \"x\" && If-None-Match: \"y\"        | 412 | * |",
                "GET     | If-Match: \"x\" && If-None-Match: {E}          | 412 | * |",
                "GET     | If-Unmodified-Since: {L-1} && If-None-Match: {E} | 412 | * |",
                "GET     | If-Match: {E} && If-None-Match: {E}            | 304 |   |",
                "GET     | If-Match: {E} && If-Modified-Since: {L}        | 304 |   |",
                "GET     | If-None-Match: {E} && Range: bytes=0-9         | 304 |   |",
                "GET     | If-Match: \"x\" && Range: bytes=0-9            | 412 | * |",
                "GET     | If-Modified-Since: {L-1} && Range: bytes=0-9   | 206 | 0-9 | Content-Range=bytes 0-9/100",
                // other methods: If-None-Match fails with 412, If-Modified-Since does not apply
                "OPTIONS | If-None-Match: {E}                     | 412 | * |",
                "OPTIONS | If-None-Match: *                       | 412 | * |",
                "OPTIONS | If-None-Match: \"x\"                   | 204 |   | Allow=GET, HEAD, OPTIONS",
                "OPTIONS | If-Modified-Since: {L}                 | 204 |   |",
                "OPTIONS | If-Match: \"x\"                        | 412 | * |"
            })
    void conditionals(String method, String fields, int status, String body, String expected) throws IOException {
        table.check(method, fields, status, body, expected);
    }
}

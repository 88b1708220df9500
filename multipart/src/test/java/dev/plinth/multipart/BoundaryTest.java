package dev.plinth.multipart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link Boundary#fromContentType}: RFC 9110 §8.3.1 media types, RFC 2046 §5.1.1 boundaries. */
class BoundaryTest {

    private static String boundary(String contentType) throws MultipartException {
        return Boundary.fromContentType(contentType).value();
    }

    private static void rejected(int status, String message, String contentType) {
        MultipartException e = assertThrows(MultipartException.class, () -> Boundary.fromContentType(contentType));
        assertEquals(message, e.getMessage(), contentType);
        assertEquals(status, e.status(), contentType);
        assertEquals(-1, e.offset());
    }

    @Test
    void aTokenOrAQuotedString() throws MultipartException {
        assertEquals("AaB03x", boundary("multipart/form-data; boundary=AaB03x"));
        assertEquals(
                "----WebKitFormBoundary7MA4YWxkTrZu0gW",
                boundary("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW"));
        assertEquals(
                "------------------------d74496d66958873e",
                boundary("multipart/form-data; boundary=\"------------------------d74496d66958873e\""));
        assertEquals("a b(c)+_,-./:=?'", boundary("multipart/form-data; boundary=\"a b(c)+_,-./:=?'\""));
        assertEquals("ab", boundary("multipart/form-data; boundary=\"a\\b\""), "a quoted-pair is undone");
    }

    @Test
    void namesAreCaseInsensitiveAndOtherParametersIgnored() throws MultipartException {
        assertEquals("abc", boundary("Multipart/Form-Data; BOUNDARY=abc"));
        assertEquals("abc", boundary("multipart/form-data; charset=utf-8; boundary=abc; x=\"y;z\""));
        assertEquals("abc", boundary(" multipart/form-data ;boundary=abc ; \t"), "OWS around semicolons");
        assertEquals("abc", boundary("multipart/form-data;; boundary=abc"), "empty parameters");
    }

    @Test
    void theMediaTypeMustBeMultipartFormData() {
        rejected(415, "no Content-Type", null);
        rejected(415, "not multipart/form-data: multipart/mixed", "multipart/mixed; boundary=abc");
        rejected(
                415, "not multipart/form-data: application/x-www-form-urlencoded", "application/x-www-form-urlencoded");
    }

    @Test
    void theBoundaryParameterMustBeThereOnce() {
        rejected(400, "missing boundary", "multipart/form-data");
        rejected(400, "missing boundary", "multipart/form-data; charset=utf-8");
        rejected(
                400,
                "malformed Content-Type: more than one boundary parameter",
                "multipart/form-data; boundary=a; Boundary=b");
    }

    @Test
    void theBoundaryMustBeOneToSeventyBcharsNotEndingWithASpace() throws MultipartException {
        String seventy = "x".repeat(70);
        assertEquals(seventy, boundary("multipart/form-data; boundary=" + seventy));
        rejected(400, "boundary longer than 70 characters", "multipart/form-data; boundary=" + seventy + "x");
        rejected(400, "empty boundary", "multipart/form-data; boundary=\"\"");
        rejected(400, "boundary ends with a space", "multipart/form-data; boundary=\"abc \"");
        rejected(400, "invalid character '*' in boundary (RFC 2046 bchars)", "multipart/form-data; boundary=a*b");
        rejected(
                400,
                "invalid character '\"' in boundary (RFC 2046 bchars)",
                "multipart/form-data; boundary=\"a\\\"b\"");
        rejected(
                400,
                "invalid character 0xe9 in boundary (RFC 2046 bchars)",
                "multipart/form-data; boundary=\"\u00e9\"");
        rejected(400, "invalid character 0x09 in boundary (RFC 2046 bchars)", "multipart/form-data; boundary=\"a\tb\"");
    }

    @Test
    void malformedContentTypesAreRejected() {
        rejected(400, "malformed Content-Type: expected type", "");
        rejected(400, "malformed Content-Type: expected '/' after the type", "multipart");
        rejected(400, "malformed Content-Type: expected subtype", "multipart/");
        rejected(400, "malformed Content-Type: expected ';' before a parameter", "multipart/form-data boundary=a");
        rejected(400, "malformed Content-Type: expected '=' after parameter boundary", "multipart/form-data; boundary");
        rejected(
                400,
                "malformed Content-Type: expected '=' after parameter boundary",
                "multipart/form-data; boundary = a");
        rejected(400, "malformed Content-Type: expected value of parameter boundary", "multipart/form-data; boundary=");
        rejected(400, "malformed Content-Type: unterminated quoted-string", "multipart/form-data; boundary=\"abc");
        rejected(
                400,
                "malformed Content-Type: bad quoted-pair in a quoted-string",
                "multipart/form-data; boundary=\"a\\");
        rejected(
                400,
                "malformed Content-Type: control character in a quoted-string",
                "multipart/form-data; boundary=\"a\u0001b\"");
        rejected(
                400,
                "malformed Content-Type: expected ';' before a parameter",
                "multipart/form-data; boundary=\"abc\"x");
    }

    @Test
    void ofValidatesAValueAlone() throws MultipartException {
        Boundary b = Boundary.of("simple boundary");
        assertEquals("simple boundary", b.value());
        assertEquals("simple boundary", b.toString());
        assertEquals(Boundary.of("simple boundary"), b);
        assertEquals(Boundary.of("simple boundary").hashCode(), b.hashCode());
        assertNotEquals(Boundary.of("Simple boundary"), b);
        assertEquals(
                400,
                assertThrows(MultipartException.class, () -> Boundary.of("")).status());
    }
}

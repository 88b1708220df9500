package dev.plinth.multipart;

import java.nio.charset.StandardCharsets;

/**
 * The boundary of a multipart body (RFC 2046 §5.1.1): 1 to 70 characters of {@code bchars} (letters, digits and
 * {@code '()+_,-./:=?} and space), not ending with a space. Immutable; equal when the values are.
 */
public final class Boundary {
    /** The longest boundary RFC 2046 §5.1.1 allows. */
    static final int MAX_LENGTH = 70;

    private static final String MEDIA_TYPE = "multipart/form-data";
    private static final String BCHARS_NOT_ALNUM = "'()+_,-./:=? ";

    private final String value;

    private Boundary(String value) {
        this.value = value;
    }

    /**
     * @param value the boundary itself, as in the {@code boundary} parameter without quotes
     * @return the boundary
     * @throws MultipartException (400) if it is empty, longer than 70 characters, ends with a space or has a
     *         character outside bchars
     */
    public static Boundary of(String value) throws MultipartException {
        if (value.isEmpty()) {
            throw bad("empty boundary");
        }
        if (value.length() > MAX_LENGTH) {
            throw bad("boundary longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!bchar(c)) {
                throw bad("invalid character " + Bytes.describe(c) + " in boundary (RFC 2046 bchars)");
            }
        }
        if (value.endsWith(" ")) {
            throw bad("boundary ends with a space");
        }
        return new Boundary(value);
    }

    /**
     * Reads the boundary of a {@code multipart/form-data} Content-Type such as
     * {@code multipart/form-data; boundary="----WebKitFormBoundaryx9fF"}. The type, subtype and parameter names are
     * matched without regard to case; the boundary may be a token or a quoted-string; other parameters are ignored.
     *
     * @param contentTypeValue the Content-Type field value, as received; null if the request has none
     * @return its boundary
     * @throws MultipartException 415 if there is no Content-Type or it is not {@code multipart/form-data}; 400 if
     *         it is malformed ({@code malformed Content-Type: ...}), has no boundary ({@code missing boundary}), more
     *         than one, or one {@link #of} rejects
     */
    public static Boundary fromContentType(String contentTypeValue) throws MultipartException {
        if (contentTypeValue == null) {
            throw new MultipartException("no Content-Type", MultipartException.UNSUPPORTED_MEDIA_TYPE, -1);
        }
        HeaderValue contentType = HeaderValue.parse(contentTypeValue, true, "Content-Type", -1);
        if (!contentType.type().equalsIgnoreCase(MEDIA_TYPE)) {
            throw new MultipartException(
                    "not " + MEDIA_TYPE + ": " + contentType.type(), MultipartException.UNSUPPORTED_MEDIA_TYPE, -1);
        }
        String boundary = contentType.param("boundary");
        if (boundary == null) {
            throw bad("missing boundary");
        }
        return of(boundary);
    }

    /** @return the boundary, without the leading {@code --} of a delimiter */
    public String value() {
        return value;
    }

    /** @return the bytes of a delimiter: CRLF, {@code --}, the boundary */
    byte[] delimiter() {
        return ("\r\n--" + value).getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean bchar(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || BCHARS_NOT_ALNUM.indexOf(c) >= 0;
    }

    private static MultipartException bad(String message) {
        return MultipartException.malformed(message, -1);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Boundary && ((Boundary) other).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** @return the boundary's value */
    @Override
    public String toString() {
        return value;
    }
}

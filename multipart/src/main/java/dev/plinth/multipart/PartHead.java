package dev.plinth.multipart;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The head of one part: its header fields, and what RFC 7578 makes of them. Immutable.
 *
 * <p>Every part has exactly one {@code Content-Disposition: form-data} field with a {@code name} (RFC 7578 §4.2),
 * else the parser rejects it. Parameter names are matched without regard to case; values are a token or a
 * quoted-string whose quoted-pairs ({@code \x}) are undone, and {@code name} and {@code filename} are then decoded as
 * UTF-8, which is what browsers send (RFC 7578 §5.1); bytes that are not UTF-8 are rejected. A {@code filename*}
 * parameter (RFC 5987 encoding) is rejected: RFC 7578 §4.2 says senders must not use it, and ignoring it could turn
 * a file into a plain field without anyone noticing. Other parameters are ignored.
 *
 * <p><b>The file name is untrusted input</b>: it is exactly what the client sent, which may be a path ({@code
 * ../../x}, {@code C:\x} after quoted-pairs dropped its backslashes), contain percent-encoding that is not undone
 * here (browsers write {@code "} as {@code %22}, RFC 7578 §4.2), control characters, or be empty. Whoever stores a
 * file must make a safe name of it.
 */
public final class PartHead {
    /** The Content-Type of a part without one (RFC 7578 §4.4). */
    public static final String DEFAULT_CONTENT_TYPE = "text/plain";

    /**
     * One header field of a part.
     *
     * @param name the field name as received
     * @param value the field value without leading and trailing SP and HTAB, one char per byte received
     *        (ISO-8859-1), so that no byte is lost
     */
    public record Field(String name, String value) {}

    private final List<Field> fields;
    private final String name;
    private final String filename;
    private final String contentType;

    private PartHead(List<Field> fields, String name, String filename, String contentType) {
        this.fields = fields;
        this.name = name;
        this.filename = filename;
        this.contentType = contentType;
    }

    /**
     * Reads a part's head from its fields.
     *
     * @param offset where errors are said to be: the end of the header block
     */
    static PartHead of(List<Field> fields, long offset) throws MultipartException {
        String disposition = only(fields, "Content-Disposition", offset);
        if (disposition == null) {
            throw MultipartException.malformed("part without Content-Disposition", offset);
        }
        HeaderValue value = HeaderValue.parse(disposition, false, "Content-Disposition", offset);
        if (!value.type().equalsIgnoreCase("form-data")) {
            throw MultipartException.malformed("Content-Disposition is not form-data: " + value.type(), offset);
        }
        if (value.param("filename*") != null) {
            throw MultipartException.malformed(
                    "filename* in Content-Disposition (RFC 7578 §4.2: senders must not use it)", offset);
        }
        String name = value.param("name");
        if (name == null) {
            throw MultipartException.malformed("Content-Disposition without name", offset);
        }
        String filename = value.param("filename");
        String contentType = only(fields, "Content-Type", offset);
        return new PartHead(
                List.copyOf(fields),
                utf8(name, "name", offset),
                filename == null ? null : utf8(filename, "filename", offset),
                contentType == null ? DEFAULT_CONTENT_TYPE : contentType);
    }

    /** @return the value of the only field {@code name}, null if none; an error if there are more */
    private static String only(List<Field> fields, String name, long offset) throws MultipartException {
        String value = null;
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                if (value != null) {
                    throw MultipartException.malformed("more than one " + name + " in a part", offset);
                }
                value = f.value();
            }
        }
        return value;
    }

    /** Decodes a parameter value, one char per byte, as UTF-8. */
    private static String utf8(String latin1, String parameter, long offset) throws MultipartException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(latin1.getBytes(StandardCharsets.ISO_8859_1)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw MultipartException.malformed("malformed UTF-8 in Content-Disposition " + parameter, offset);
        }
    }

    /** @return the header fields, in the order received */
    public List<Field> fields() {
        return fields;
    }

    /**
     * @param name a field name, matched without regard to case
     * @return the value of the first field of that name, if any
     */
    public Optional<String> field(String name) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return Optional.of(f.value());
            }
        }
        return Optional.empty();
    }

    /** @return the form field's name, from Content-Disposition's {@code name} parameter; may be empty */
    public String name() {
        return name;
    }

    /**
     * @return Content-Disposition's {@code filename} parameter, if the part has one: untrusted, see the class
     *         description; may be empty (a browser's file input with no file chosen sends {@code filename=""})
     */
    public Optional<String> filename() {
        return Optional.ofNullable(filename);
    }

    /** @return the Content-Type field's value as received, or {@value #DEFAULT_CONTENT_TYPE} if the part has none */
    public String contentType() {
        return contentType;
    }

    /** @return the name, file name and content type, for logs: {@code name="a" filename="b.txt" text/plain} */
    @Override
    public String toString() {
        return "name=\"" + name + "\"" + (filename == null ? "" : " filename=\"" + filename + "\"") + " " + contentType;
    }
}

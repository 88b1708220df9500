package dev.plinth.handlers.upload;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;

/** Builds a {@code multipart/form-data} body as a browser would. */
final class Form {

    static final String BOUNDARY = "----PlinthFormBoundary7MA4YWxkTrZu0gW";
    static final String CONTENT_TYPE = "Content-Type: multipart/form-data; boundary=" + BOUNDARY;

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    /** Adds a file part. */
    Form file(String field, String filename, byte[] content) {
        return part("form-data; name=\"" + field + "\"; filename=\"" + filename + "\"", content);
    }

    /** Adds a plain field. */
    Form field(String name, String value) {
        return part("form-data; name=\"" + name + "\"", value.getBytes(UTF_8));
    }

    private Form part(String disposition, byte[] content) {
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: " + disposition
                        + "\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(UTF_8));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(UTF_8));
        return this;
    }

    /** @return the bytes so far, without the close delimiter: a form cut short */
    byte[] open() {
        return body.toByteArray();
    }

    /** @return the whole body */
    byte[] bytes() {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.writeBytes(body.toByteArray());
        whole.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(UTF_8));
        return whole.toByteArray();
    }
}

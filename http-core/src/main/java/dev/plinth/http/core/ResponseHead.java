package dev.plinth.http.core;

import dev.plinth.http.handler.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Encodes a response's status line and header block (RFC 9112 §4, §5). */
final class ResponseHead {

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CRLF = {'\r', '\n'};
    /** {@code HTTP/1.1 NNN Reason\r\nDate: } for every status code, encoded once. */
    private static final byte[][] STATUS_LINES = new byte[600][];

    private static final byte[] SERVER = "Server: ".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] HSTS = "Strict-Transport-Security: ".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.ISO_8859_1);

    static {
        for (int status = 100; status < STATUS_LINES.length; status++) {
            STATUS_LINES[status] = ("HTTP/1.1 " + status + " " + StatusText.of(status) + "\r\nDate: ")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private ResponseHead() {}

    /** @return {@code 100 Continue}, a fresh buffer */
    static ByteBuffer continueLine() {
        return ByteBuffer.wrap(CONTINUE);
    }

    /** @return the last chunk and an empty trailer section, a fresh buffer */
    static ByteBuffer lastChunk() {
        return ByteBuffer.wrap(LAST_CHUNK);
    }

    /** @return CRLF, a fresh buffer */
    static ByteBuffer crlf() {
        return ByteBuffer.wrap(CRLF);
    }

    /**
     * @param size a chunk's size, positive
     * @return the chunk-size line
     */
    static ByteBuffer chunkSize(int size) {
        return ByteBuffer.wrap((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * @param status the status code
     * @param fields the handler's fields; framing fields among them are dropped
     * @param framing the framing decided for this response
     * @param serverName the {@code Server} value, or empty for none
     * @param strictTransportSecurity the {@code Strict-Transport-Security} value, or empty for none
     * @return the encoded head
     */
    static ByteBuffer encode(
            int status, Headers fields, Framing framing, String serverName, String strictTransportSecurity) {
        Builder out = new Builder(192 + 48 * fields.size());
        out.bytes(STATUS_LINES[status]).bytes(DateHeader.now()).crlf();
        if (!serverName.isEmpty()) {
            out.bytes(SERVER).ascii(serverName).crlf();
        }
        if (!strictTransportSecurity.isEmpty()) {
            out.bytes(HSTS).ascii(strictTransportSecurity).crlf();
        }
        for (int i = 0, n = fields.size(); i < n; i++) {
            String name = fields.name(i);
            if (isFramingField(name)) {
                continue; // the core alone decides framing; a handler's value could desynchronise the client
            }
            out.ascii(name).ascii(": ").latin1(fields.value(i)).crlf();
        }
        switch (framing.kind()) {
            case CONTENT_LENGTH ->
                out.bytes(CONTENT_LENGTH)
                        .ascii(Long.toString(framing.contentLength()))
                        .crlf();
            case CHUNKED -> out.bytes(CHUNKED);
            default -> {}
        }
        if (!framing.persistent()) {
            out.bytes(CLOSE);
        } else if (framing.keepAliveHeader()) {
            out.bytes(KEEP_ALIVE);
        }
        out.crlf();
        return out.toBuffer();
    }

    private static boolean isFramingField(String name) {
        // by length first: most fields a handler sets have none of these lengths, so no comparison runs
        return switch (name.length()) {
            case 4 -> name.equalsIgnoreCase("Date");
            case 6 -> name.equalsIgnoreCase("Server");
            case 10 -> name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Keep-Alive");
            case 14 -> name.equalsIgnoreCase("Content-Length");
            case 17 -> name.equalsIgnoreCase("Transfer-Encoding");
            default -> false;
        };
    }

    /** A growable byte array for one head. */
    private static final class Builder {
        private byte[] bytes;
        private int size;

        Builder(int capacity) {
            bytes = new byte[capacity];
        }

        Builder ascii(String text) {
            return latin1(text);
        }

        Builder latin1(String text) {
            int n = text.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                char c = text.charAt(i);
                bytes[size++] = c < 256 ? (byte) c : (byte) '?';
            }
            return this;
        }

        Builder bytes(byte[] more) {
            ensure(more.length);
            System.arraycopy(more, 0, bytes, size, more.length);
            size += more.length;
            return this;
        }

        Builder crlf() {
            ensure(2);
            bytes[size++] = '\r';
            bytes[size++] = '\n';
            return this;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        ByteBuffer toBuffer() {
            return ByteBuffer.wrap(bytes, 0, size);
        }
    }
}

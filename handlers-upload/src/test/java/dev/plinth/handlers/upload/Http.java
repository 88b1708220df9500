package dev.plinth.handlers.upload;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A raw HTTP/1.1 client for the socket tests: sends bytes exactly as given, and reads responses framed by the status,
 * Content-Length, chunked encoding or close.
 */
final class Http {

    /**
     * One response.
     *
     * @param status the status code
     * @param fields the header fields, in order, as name and value pairs
     * @param body the body bytes (after de-chunking)
     */
    record Reply(int status, List<String[]> fields, byte[] body) {

        /** @return the first value of a field, if present */
        Optional<String> field(String name) {
            return fields.stream()
                    .filter(f -> f[0].equalsIgnoreCase(name))
                    .map(f -> f[1])
                    .findFirst();
        }

        /** @return the first value of a field, or fail */
        String header(String name) {
            return field(name).orElseThrow(() -> new AssertionError("no " + name + " in " + this));
        }

        /** @return the body as text */
        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder().append(status);
            fields.forEach(f -> text.append("\n").append(f[0]).append(": ").append(f[1]));
            return text.append("\n").append(text()).toString();
        }
    }

    private Http() {}

    /**
     * @param method the method
     * @param target the request target, sent as is
     * @param fields header lines such as {@code Content-Length: 3}
     * @return the request head, with Host and Connection: close
     */
    static String head(String method, String target, String... fields) {
        StringBuilder head =
                new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String field : fields) {
            head.append(field).append("\r\n");
        }
        return head.append("Connection: close\r\n\r\n").toString();
    }

    /** @return a socket connected to the server, reads bounded in time */
    static Socket connect(InetSocketAddress server) throws IOException {
        Socket socket = new Socket();
        socket.connect(server, (int) Recorder.WAIT_MILLIS);
        socket.setSoTimeout((int) Recorder.WAIT_MILLIS);
        return socket;
    }

    /**
     * @param server where to connect
     * @param head the request head
     * @param body the body bytes, as they go on the wire (already chunked, if so)
     * @return the response
     */
    static Reply send(InetSocketAddress server, String head, byte[] body) throws IOException {
        try (Socket socket = connect(server)) {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(ISO_8859_1));
            out.write(body);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /**
     * @param body bytes
     * @param size the chunk size
     * @return the bytes in chunked encoding, with the last chunk
     */
    static byte[] chunked(byte[] body, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int from = 0; from < body.length; from += size) {
            int n = Math.min(size, body.length - from);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(ISO_8859_1));
            out.write(body, from, n);
            out.writeBytes("\r\n".getBytes(ISO_8859_1));
        }
        out.writeBytes("0\r\n\r\n".getBytes(ISO_8859_1));
        return out.toByteArray();
    }

    /** @return one response, interim ones (1xx) included */
    static Reply read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not a status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        List<String[]> fields = new ArrayList<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            fields.add(new String[] {
                line.substring(0, colon), line.substring(colon + 1).strip()
            });
        }
        Reply headOnly = new Reply(status, fields, new byte[0]);
        if (status < 200 || status == 204 || status == 304) {
            return headOnly;
        }
        Optional<String> length = headOnly.field("Content-Length");
        if (length.isPresent()) {
            return new Reply(status, fields, in.readNBytes(Integer.parseInt(length.get())));
        }
        if (headOnly.field("Transfer-Encoding")
                .map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
                .orElse(false)) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).split(";")[0].strip(), 16);
                    size > 0;
                    size = Integer.parseInt(line(in).split(";")[0].strip(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            while (!line(in).isEmpty()) {
                // trailers
            }
            return new Reply(status, fields, body.toByteArray());
        }
        return new Reply(status, fields, in.readAllBytes());
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed in a head; got " + line.toString(ISO_8859_1));
            }
            line.write(b);
        }
        String text = line.toString(ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}

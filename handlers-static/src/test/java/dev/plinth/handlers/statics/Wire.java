package dev.plinth.handlers.statics;

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
 * A raw HTTP/1.1 client for the socket tests: sends bytes exactly as given (so traversal payloads reach the server
 * unchanged) and reads one response, framed by the method, the status, Content-Length, chunked encoding or close.
 */
final class Wire {

    /**
     * One response.
     *
     * @param status the status code
     * @param fields the header fields, in order, as name and value pairs
     * @param body the body bytes as received (after de-chunking)
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

        /** @return the body as ISO-8859-1 text, byte for byte */
        String text() {
            return new String(body, ISO_8859_1);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder().append(status);
            fields.forEach(f -> text.append("\n").append(f[0]).append(": ").append(f[1]));
            return text.append("\n(").append(body.length).append(" body bytes)").toString();
        }
    }

    private Wire() {}

    /**
     * @param method the method
     * @param target the request target, sent as is (each char one byte)
     * @param fields extra header lines such as {@code Range: bytes=0-1}
     * @return the request's bytes, with Host and Connection: close
     */
    static String request(String method, String target, String... fields) {
        StringBuilder request = new StringBuilder(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\n");
        for (String field : fields) {
            request.append(field).append("\r\n");
        }
        return request.append("Connection: close\r\n\r\n").toString();
    }

    /**
     * @param server where to connect
     * @param method the method, which tells whether a body follows
     * @param target the request target
     * @param fields extra header lines
     * @return the response
     * @throws IOException if the exchange fails
     */
    static Reply send(InetSocketAddress server, String method, String target, String... fields) throws IOException {
        return exchange(server, request(method, target, fields), method.equals("HEAD"));
    }

    /**
     * @param server where to connect
     * @param raw the request, each char one byte
     * @param head whether the request is a HEAD (no body follows the response head)
     * @return the response
     * @throws IOException if the exchange fails
     */
    static Reply exchange(InetSocketAddress server, String raw, boolean head) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server, (int) Answers.WAIT_MILLIS);
            socket.setSoTimeout((int) Answers.WAIT_MILLIS); // a server that stops answering fails the test fast
            OutputStream out = socket.getOutputStream();
            out.write(raw.getBytes(ISO_8859_1));
            out.flush();
            return read(socket.getInputStream(), head);
        }
    }

    private static Reply read(InputStream in, boolean head) throws IOException {
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
        if (head || status == 204 || status == 304) {
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

package dev.plinth.handlers.stream.channels;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A raw HTTP client for stream tests: sends a request as given, reads the response head, then reads the body as it
 * arrives, de-chunked when chunked, and tells how it ended: the last chunk, the connection's close, or not yet. Every
 * read is bounded by the socket's timeout.
 */
final class StreamClient implements AutoCloseable {

    /** The longest a read waits: a server that stops sending fails the test, not hangs it. */
    static final int READ_MILLIS = 10_000;

    /** One server-sent event, as a client reads it (WHATWG HTML §9.2.6), with the comments seen before it. */
    record Event(String type, String id, String data, List<String> comments) {}

    private final Socket socket;
    private final InputStream in;
    final int status;
    final String statusLine;
    final Map<String, String> fields = new LinkedHashMap<>();
    final boolean chunked;
    private long chunkLeft; // bytes left in the current chunk; -1 after the last chunk
    private boolean lastChunk;
    private boolean closed;

    private StreamClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        statusLine = headLine();
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not a status line: " + statusLine);
        }
        status = Integer.parseInt(statusLine.substring(9, 12));
        for (String line = headLine(); !line.isEmpty(); line = headLine()) {
            int colon = line.indexOf(':');
            fields.merge(
                    line.substring(0, colon).toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).strip(),
                    (a, b) -> a + ", " + b);
        }
        chunked = field("Transfer-Encoding")
                .map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
                .orElse(false);
    }

    /**
     * @param server where to connect
     * @param request the whole request, each char one byte
     * @return a client with the response head read
     */
    static StreamClient open(InetSocketAddress server, String request) throws IOException {
        return open(server, request, 0);
    }

    /**
     * @param server where to connect
     * @param request the whole request
     * @param receiveBuffer the socket's receive buffer, or 0 for the default
     * @return a client with the response head read
     */
    static StreamClient open(InetSocketAddress server, String request, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(server, READ_MILLIS);
            socket.setSoTimeout(READ_MILLIS);
            socket.getOutputStream().write(request.getBytes(ISO_8859_1));
            socket.getOutputStream().flush();
            return new StreamClient(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Connects and sends a request without reading anything: for a client that stalls.
     *
     * @return the socket
     */
    static Socket stalled(InetSocketAddress server, String request, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(server, READ_MILLIS);
        socket.getOutputStream().write(request.getBytes(ISO_8859_1));
        socket.getOutputStream().flush();
        return socket;
    }

    /**
     * @param method the method
     * @param target the target
     * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
     * @param fields extra header lines
     * @return the request
     */
    static String request(String method, String target, String version, String... fields) {
        StringBuilder request = new StringBuilder(method)
                .append(' ')
                .append(target)
                .append(' ')
                .append(version)
                .append("\r\nHost: localhost\r\n");
        for (String field : fields) {
            request.append(field).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    /** @return a GET over HTTP/1.1 with the given extra fields */
    static String get(String target, String... fields) {
        return request("GET", target, "HTTP/1.1", fields);
    }

    Optional<String> field(String name) {
        return Optional.ofNullable(fields.get(name.toLowerCase(Locale.ROOT)));
    }

    /** @return the next body byte, or -1 at the body's end (the last chunk, or the connection's close) */
    int read() throws IOException {
        if (lastChunk || closed) {
            return -1;
        }
        if (!chunked) {
            int b = in.read();
            closed = b < 0;
            return b;
        }
        if (chunkLeft == 0) {
            String size = headLine().split(";")[0].strip();
            chunkLeft = Long.parseLong(size, 16);
            if (chunkLeft == 0) {
                while (!headLine().isEmpty()) {
                    // trailers
                }
                lastChunk = true;
                return -1;
            }
        }
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed inside a chunk");
        }
        if (--chunkLeft == 0) {
            String crlf = headLine();
            if (!crlf.isEmpty()) {
                throw new IOException("no CRLF after a chunk: " + crlf);
            }
        }
        return b;
    }

    /** @return the next body line (UTF-8, without its LF), or null at the body's end */
    String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = read(); b != '\n'; b = read()) {
            if (b < 0) {
                if (line.size() > 0) {
                    throw new EOFException("body ended inside a line: " + line.toString(UTF_8));
                }
                return null;
            }
            line.write(b);
        }
        return line.toString(UTF_8);
    }

    /**
     * Reads up to the next dispatched event (WHATWG rules: a blank line dispatches, a line starting with a colon is
     * a comment, one space after the colon is dropped, data lines join with LF, an event with no data line is not
     * dispatched), collecting the comments seen before it.
     *
     * @return the event, or null at the body's end (then {@link #comments} has the comments read last)
     */
    Event event() throws IOException {
        List<String> comments = new ArrayList<>();
        String type = "";
        String id = null;
        StringBuilder data = null;
        for (String line = line(); line != null; line = line()) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(type.isEmpty() ? "message" : type, id, data.toString(), comments);
                }
                type = "";
                continue;
            }
            if (line.startsWith(":")) {
                comments.add(line.substring(1).strip());
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (name) {
                case "event" -> type = value;
                case "id" -> id = value;
                case "data" ->
                    data = data == null
                            ? new StringBuilder(value)
                            : data.append('\n').append(value);
                default -> {}
            }
        }
        this.comments = comments;
        return null;
    }

    /** The comments read after the last event, once the body has ended. */
    List<String> comments = List.of();

    /** @return whether the body ended with the last chunk */
    boolean endedWithLastChunk() {
        return lastChunk;
    }

    /** @return whether the body ended by the connection's close */
    boolean endedByClose() {
        return closed;
    }

    /** @return whether the server closed the connection (read after the body's end) */
    boolean serverClosed() throws IOException {
        return in.read() < 0;
    }

    private String headLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed in a line; got " + line.toString(ISO_8859_1));
            }
            line.write(b);
        }
        String text = line.toString(ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

package dev.plinth.distribution.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A minimal HTTP/1.1 client over a plain socket to 127.0.0.1: one request per connection ({@code Connection: close}),
 * a response read with Content-Length, chunked or to the end of the stream. Just enough to check bytes on the wire
 * without any client library's own caching or retries.
 */
final class HttpProbe {

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private HttpProbe() {}

    /**
     * A response.
     *
     * @param status the status code
     * @param headers the header fields, names in lower case (a repeated field keeps its last value)
     * @param body the body, de-chunked
     */
    record Reply(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Sends {@code GET path} and reads the whole response. */
    static Reply get(int port, String path) throws IOException {
        return exchange(port, path, true);
    }

    /**
     * Polls {@code GET path} until it answers {@code status}, for cases where the server's state follows a service
     * event whose listeners run in no defined order.
     */
    static Reply awaitStatus(int port, String path, int status, Duration timeout) throws IOException {
        return await(port, path, status, timeout, true);
    }

    /** As {@link #awaitStatus}, reading only the head: for endless responses. */
    static int awaitHeadStatus(int port, String path, int status, Duration timeout) throws IOException {
        return await(port, path, status, timeout, false).status();
    }

    private static Reply await(int port, String path, int status, Duration timeout, boolean body) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last;
        while (true) {
            try {
                Reply reply = exchange(port, path, body);
                if (reply.status() == status) {
                    return reply;
                }
                last = "status " + reply.status();
            } catch (IOException e) {
                last = e.toString();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("GET " + path + " on port " + port + " did not answer " + status + " within "
                        + timeout.toMillis() + " ms; last: " + last);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static Reply exchange(int port, String path, boolean body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()), body);
        }
    }

    /**
     * Reads one response from a connection, its body too: a keep-alive connection can go on with the next.
     *
     * @param in the connection's input
     * @return the response
     * @throws IOException if the connection ends early or the response is malformed
     */
    static Reply read(InputStream in) throws IOException {
        return read(in, true);
    }

    private static Reply read(InputStream in, boolean body) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new TreeMap<>();
        for (String field = line(in); !field.isEmpty(); field = line(in)) {
            int colon = field.indexOf(':');
            headers.put(
                    field.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    field.substring(colon + 1).trim());
        }
        if (!body) {
            return new Reply(status, headers, new byte[0]);
        }
        String length = headers.get("content-length");
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            return new Reply(status, headers, chunkedBody(in));
        } else if (length != null) {
            int n = Integer.parseInt(length);
            byte[] bytes = in.readNBytes(n);
            if (bytes.length != n) {
                throw new EOFException("body ended after " + bytes.length + " of " + n + " bytes");
            }
            return new Reply(status, headers, bytes);
        } else {
            return new Reply(status, headers, in.readAllBytes());
        }
    }

    /**
     * Reads a chunked body to its last chunk.
     *
     * @param in the connection's input, at the body's first chunk
     * @return the body
     * @throws IOException if the body ends early or is malformed
     */
    static byte[] chunkedBody(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (n == 0) {
                while (!line(in).isEmpty()) {
                    // trailer fields
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(n);
            if (chunk.length != n) {
                throw new EOFException("chunk ended early");
            }
            body.write(chunk);
            if (!line(in).isEmpty()) {
                throw new IOException("no CRLF after a chunk");
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the middle of a line: " + line);
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            line.append((char) b);
            if (line.length() > 16_384) {
                throw new IOException("line too long");
            }
        }
    }
}

package dev.plinth.http.transport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A blocking HTTP/1.1 client over a plain socket that reads responses exactly as framed. Its reads time out after
 * {@link #READ_TIMEOUT_MILLIS}: a loopback server answers in milliseconds, and a broken server (a mutant) must fail
 * the test at once rather than hang it.
 */
final class RawClient implements Closeable {

    /** How long a read waits for the server; a test that waits for a server-side timeout sets its own. */
    static final int READ_TIMEOUT_MILLIS = 1_000;
    /** The first answer in a JVM waits for the server's classes to load, slower still under a coverage agent. */
    private static final int FIRST_READ_TIMEOUT_MILLIS = 2_000;

    private static volatile boolean warm;

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(InetSocketAddress server) throws IOException {
        this(server, 0);
    }

    RawClient(InetSocketAddress server, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setSoTimeout(warm ? READ_TIMEOUT_MILLIS : FIRST_READ_TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress("127.0.0.1", server.getPort()), READ_TIMEOUT_MILLIS);
        in = new BufferedInputStream(socket.getInputStream()); // responses are read byte by byte
        out = socket.getOutputStream();
    }

    /**
     * A client over a socket already connected: a TLS socket, say.
     *
     * @param connected the socket; its read timeout is set here
     */
    RawClient(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(warm ? READ_TIMEOUT_MILLIS : FIRST_READ_TIMEOUT_MILLIS);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    InputStream input() {
        return in;
    }

    /** One response: its head and body, read as its framing says. */
    record Reply(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    Reply read() throws IOException {
        return read(false);
    }

    Reply read(boolean head) throws IOException {
        String statusLine = line();
        warm = true; // clients made from now on need no more patience than READ_TIMEOUT_MILLIS
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.put(
                    l.substring(0, colon).toLowerCase(Locale.ROOT),
                    l.substring(colon + 1).trim());
        }
        if (head || status == 204 || status == 304 || status == 100) {
            return new Reply(status, headers, new byte[0]);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equals(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(), 16); size > 0; size = Integer.parseInt(line(), 16)) {
                body.write(in.readNBytes(size));
                if (!line().isEmpty()) {
                    throw new IOException("missing CRLF after chunk");
                }
            }
            if (!line().isEmpty()) {
                throw new IOException("missing CRLF after last chunk");
            }
        } else {
            body.write(in.readAllBytes());
        }
        return new Reply(status, headers, body.toByteArray());
    }

    /** @return whether the server closed the connection (end of stream) */
    boolean atEnd() throws IOException {
        return in.read() < 0;
    }

    private String line() throws IOException {
        StringBuilder text = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + text);
            }
            if (b == '\n' && text.length() > 0 && text.charAt(text.length() - 1) == '\r') {
                text.setLength(text.length() - 1);
                return text.toString();
            }
            text.append((char) b);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

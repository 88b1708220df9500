package dev.plinth.http.transport;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A TLS client over a blocking socket that drives its own {@link SSLEngine}, so a test sees what the JDK's sockets
 * hide: whether the server ended with close_notify or just closed the connection.
 */
final class EngineClient implements Closeable {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final Socket socket;
    private final SSLEngine engine;
    private final ByteBuffer fromServer;
    private final ByteBuffer plain;
    private boolean closeNotifyReceived;

    /**
     * Connects and finishes the handshake.
     *
     * @param server where
     * @param protocol the one version the client offers
     */
    EngineClient(InetSocketAddress server, String protocol) throws IOException {
        socket = new Socket("127.0.0.1", server.getPort());
        socket.setSoTimeout(2_000);
        engine = TestTls.client().createSSLEngine("localhost", server.getPort());
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {protocol});
        int size = engine.getSession().getPacketBufferSize();
        fromServer = ByteBuffer.allocate(4 * size).flip();
        plain = ByteBuffer.allocate(4 * size);
        engine.beginHandshake();
        for (int steps = 0; engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING; steps++) {
            if (steps > 100) {
                throw new SSLException("handshake stuck at " + engine.getHandshakeStatus());
            }
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> send(NOTHING);
                case NEED_TASK -> engine.getDelegatedTask().run();
                default -> receive();
            }
        }
    }

    /** Encrypts and sends text. */
    void send(String text) throws IOException {
        send(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private void send(ByteBuffer data) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize() * 2);
        do {
            engine.wrap(data, out);
        } while (data.hasRemaining());
        socket.getOutputStream().write(out.array(), 0, out.position());
    }

    /** Reads one more record from the socket (more bytes if needed) and decrypts what it can into {@link #plain}. */
    private boolean receive() throws IOException {
        while (true) {
            SSLEngineResult result = engine.unwrap(fromServer, plain);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                closeNotifyReceived = true;
                return false;
            }
            if (result.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                return true;
            }
            fromServer.compact();
            int n = socket.getInputStream().read(fromServer.array(), fromServer.position(), fromServer.remaining());
            fromServer.flip();
            if (n < 0) {
                return false;
            }
            fromServer.limit(fromServer.limit() + n);
        }
    }

    /** @return everything the server sent until it ended the connection, decrypted */
    String readToEnd() throws IOException {
        while (receive()) {
            // each call adds what one record held
        }
        return new String(plain.array(), 0, plain.position(), StandardCharsets.ISO_8859_1);
    }

    /** @return whether the server ended with close_notify, rather than only closing the connection */
    boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

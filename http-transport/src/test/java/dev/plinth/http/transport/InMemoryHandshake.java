package dev.plinth.http.transport;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Drives a client engine and a server engine through their handshake against each other in memory, flight by
 * flight, the way two peers would over a socket. Whichever side fails throws its {@link SSLException}.
 */
final class InMemoryHandshake {

    /** A TLS 1.2 handshake takes four flights, one with a client certificate five; many more means it is stuck. */
    private static final int MAX_ROUNDS = 20;

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private InMemoryHandshake() {}

    /**
     * @param client an engine in client mode
     * @param server an engine in server mode
     * @throws SSLException what either side threw
     */
    static void run(SSLEngine client, SSLEngine server) throws SSLException {
        int size = Math.max(
                client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(4 * size);
        ByteBuffer toClient = ByteBuffer.allocate(4 * size);
        ByteBuffer received = ByteBuffer.allocate(4 * size);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            if (finished(client) && finished(server)) {
                return;
            }
            send(client, toServer);
            receive(server, toServer, received);
            send(server, toClient);
            receive(client, toClient, received);
        }
        throw new AssertionError("the handshake did not end within " + MAX_ROUNDS + " rounds: client "
                + client.getHandshakeStatus() + ", server " + server.getHandshakeStatus());
    }

    private static boolean finished(SSLEngine engine) {
        return engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
    }

    private static void send(SSLEngine engine, ByteBuffer wire) throws SSLException {
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            SSLEngineResult result = engine.wrap(NOTHING, wire);
            runTasks(engine);
            if (result.getStatus() != SSLEngineResult.Status.OK) {
                return;
            }
        }
    }

    private static void receive(SSLEngine engine, ByteBuffer wire, ByteBuffer received) throws SSLException {
        wire.flip();
        try {
            while (wire.hasRemaining()) {
                SSLEngineResult result = engine.unwrap(wire, received);
                runTasks(engine);
                received.clear();
                if (result.getStatus() != SSLEngineResult.Status.OK || result.bytesConsumed() == 0) {
                    return;
                }
            }
        } finally {
            wire.compact();
        }
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }
}

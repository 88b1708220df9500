package dev.plinth.http.transport;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One open connection of a {@link Listener}, as its selector thread saw it at one moment: for operators, not for
 * steering the server.
 *
 * @param remoteAddress the client's address and port
 * @param age how long ago the connection was accepted
 * @param requestsServed requests taken on it so far
 * @param state where it is, in a word or two: {@code tls handshake}, {@code idle}, {@code reading head},
 *        {@code handling}, {@code streaming}, {@code sending}, {@code closing}… (see {@code HttpConnection.state()}
 *        in http-core)
 * @param queuedBytes bytes queued for the client and not yet handed to the operating system
 * @since 1.3
 */
public record ConnectionInfo(
        InetSocketAddress remoteAddress, Duration age, long requestsServed, String state, long queuedBytes) {}

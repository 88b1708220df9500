package dev.plinth.http.transport.internal;

import dev.plinth.http.core.CoreConfig;

/**
 * Settings of one {@link HttpServer}. Immutable.
 *
 * @param host the address to bind, such as {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port the port; 0 for any free port
 * @param selectorThreads selector loops; connections are spread across them
 * @param workerThreads threads that run handler code
 * @param idleTimeoutMillis how long a connection may sit between requests (or in an incomplete head) without input
 * @param core the per-connection behaviour
 */
record ServerConfig(String host, int port, int selectorThreads, int workerThreads, long idleTimeoutMillis,
        CoreConfig core) {

    ServerConfig {
        if (port < 0 || port > 65535 || selectorThreads < 1 || workerThreads < 1 || idleTimeoutMillis < 1) {
            throw new IllegalArgumentException("invalid server settings");
        }
    }
}

package dev.plinth.http.transport;

import java.util.concurrent.Executor;

/**
 * What a TLS server's connections share.
 *
 * @param engines makes each connection's engine
 * @param buffers the buffers records pass through
 * @param tasks runs handshakes' delegated tasks, off the selector threads
 * @param handshakeTimeoutMillis how long a client may take from connecting to the end of its handshake
 */
record TlsSetup(TlsEngines engines, TlsBuffers buffers, Executor tasks, long handshakeTimeoutMillis) {}

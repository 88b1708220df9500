package dev.plinth.http.transport;

import dev.plinth.http.core.CoreConfig;
import java.util.Objects;

/**
 * Settings of one {@link HttpServer}. Immutable.
 *
 * @param host the address to bind, such as {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port the port; 0 for any free port
 * @param selectorThreads selector loops; connections are spread across them
 * @param workerThreads threads that run handler code (a fixed pool); ignored with virtual workers
 * @param virtualWorkers run handler code on virtual threads, one per task (JDK 21 and later; refused before)
 * @param maxConnections connections open at once; one more is answered 503 and closed at once
 * @param writeTimeoutMillis how long queued output may wait for the client to take any of it; then the connection
 *        closes
 * @param core the per-connection behaviour: limits, ceilings, client timeouts
 * @param readBufferSize bytes a selector loop reads from a socket at once, into one buffer its connections share;
 *        it also bounds the pipelined input a connection holds while it answers (1 KiB to 16 MiB)
 * @param tls how to speak TLS, or null for plain HTTP
 */
public record ServerConfig(
        String host,
        int port,
        int selectorThreads,
        int workerThreads,
        boolean virtualWorkers,
        int maxConnections,
        long writeTimeoutMillis,
        CoreConfig core,
        int readBufferSize,
        TlsConfig tls) {

    // The defaults, named once: the listener's configuration (metatype) and README.md's table follow these.

    /** The default {@link #readBufferSize}: 64 KiB. */
    public static final int DEFAULT_READ_BUFFER_SIZE = 65536;
    /** The default {@link #maxConnections}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** The default {@link #writeTimeoutMillis}: 30 s. */
    public static final long DEFAULT_WRITE_TIMEOUT_MILLIS = 30_000;

    /** Validates the settings. */
    public ServerConfig {
        if (host == null
                || port < 0
                || port > 65535
                || selectorThreads < 1
                || workerThreads < 1
                || maxConnections < 1
                || writeTimeoutMillis < 1
                || core == null
                || readBufferSize < 1024
                || readBufferSize > 16 << 20) {
            throw new IllegalArgumentException("invalid server settings");
        }
    }

    /**
     * Settings for plain HTTP.
     *
     * @param host the address to bind
     * @param port the port; 0 for any free port
     * @param selectorThreads selector loops
     * @param workerThreads threads that run handler code
     * @param virtualWorkers run handler code on virtual threads
     * @param maxConnections connections open at once
     * @param writeTimeoutMillis how long queued output may wait for the client
     * @param core the per-connection behaviour
     * @param readBufferSize bytes a selector loop reads from a socket at once
     */
    public ServerConfig(
            String host,
            int port,
            int selectorThreads,
            int workerThreads,
            boolean virtualWorkers,
            int maxConnections,
            long writeTimeoutMillis,
            CoreConfig core,
            int readBufferSize) {
        this(
                host,
                port,
                selectorThreads,
                workerThreads,
                virtualWorkers,
                maxConnections,
                writeTimeoutMillis,
                core,
                readBufferSize,
                null);
    }

    /**
     * Settings with the default read buffer size.
     *
     * @param host the address to bind
     * @param port the port; 0 for any free port
     * @param selectorThreads selector loops
     * @param workerThreads threads that run handler code
     * @param virtualWorkers run handler code on virtual threads
     * @param maxConnections connections open at once
     * @param writeTimeoutMillis how long queued output may wait for the client
     * @param core the per-connection behaviour
     */
    public ServerConfig(
            String host,
            int port,
            int selectorThreads,
            int workerThreads,
            boolean virtualWorkers,
            int maxConnections,
            long writeTimeoutMillis,
            CoreConfig core) {
        this(
                host,
                port,
                selectorThreads,
                workerThreads,
                virtualWorkers,
                maxConnections,
                writeTimeoutMillis,
                core,
                DEFAULT_READ_BUFFER_SIZE);
    }

    /**
     * @param host the address to bind
     * @param port the port; 0 for any free port
     * @return settings with one selector loop per core, 4 workers per core (at least 8), 10,000 connections, a 30 s
     *         write timeout and the default core behaviour
     */
    public static ServerConfig of(String host, int port) {
        int cores = Runtime.getRuntime().availableProcessors();
        return new ServerConfig(
                host,
                port,
                cores,
                Math.max(8, 4 * cores),
                false,
                DEFAULT_MAX_CONNECTIONS,
                DEFAULT_WRITE_TIMEOUT_MILLIS,
                CoreConfig.DEFAULT);
    }

    /**
     * @param newCore the per-connection behaviour
     * @return a copy with it
     */
    public ServerConfig withCore(CoreConfig newCore) {
        return new ServerConfig(
                host,
                port,
                selectorThreads,
                workerThreads,
                virtualWorkers,
                maxConnections,
                writeTimeoutMillis,
                newCore,
                readBufferSize,
                tls);
    }

    /**
     * @param connections the connection limit
     * @return a copy with it
     */
    public ServerConfig withMaxConnections(int connections) {
        return new ServerConfig(
                host,
                port,
                selectorThreads,
                workerThreads,
                virtualWorkers,
                connections,
                writeTimeoutMillis,
                core,
                readBufferSize,
                tls);
    }

    /**
     * @param millis the write timeout
     * @return a copy with it
     */
    public ServerConfig withWriteTimeoutMillis(long millis) {
        return new ServerConfig(
                host,
                port,
                selectorThreads,
                workerThreads,
                virtualWorkers,
                maxConnections,
                millis,
                core,
                readBufferSize,
                tls);
    }

    /**
     * @param bytes the read buffer size
     * @return a copy with it
     */
    public ServerConfig withReadBufferSize(int bytes) {
        return new ServerConfig(
                host,
                port,
                selectorThreads,
                workerThreads,
                virtualWorkers,
                maxConnections,
                writeTimeoutMillis,
                core,
                bytes,
                tls);
    }

    /**
     * @param settings how to speak TLS, or null for plain HTTP
     * @return a copy with them
     * @since 1.5
     */
    public ServerConfig withTls(TlsConfig settings) {
        return new ServerConfig(
                host,
                port,
                selectorThreads,
                workerThreads,
                virtualWorkers,
                maxConnections,
                writeTimeoutMillis,
                core,
                readBufferSize,
                settings);
    }

    /** @return whether this server speaks TLS */
    public boolean secure() {
        return tls != null;
    }

    /**
     * @param other other settings
     * @return whether applying {@code other} needs a new socket or new threads (rather than only new behaviour for
     *         new connections)
     */
    public boolean needsRestartFor(ServerConfig other) {
        return !host.equals(other.host)
                || port != other.port
                || selectorThreads != other.selectorThreads
                || workerThreads != other.workerThreads
                || virtualWorkers != other.virtualWorkers
                || readBufferSize != other.readBufferSize
                || !Objects.equals(tls, other.tls);
    }
}

package dev.plinth.http.transport;

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
public record ServerConfig(String host, int port, int selectorThreads, int workerThreads, long idleTimeoutMillis,
        CoreConfig core) {

    /** Validates the settings. */
    public ServerConfig {
        if (port < 0 || port > 65535 || selectorThreads < 1 || workerThreads < 1 || idleTimeoutMillis < 1) {
            throw new IllegalArgumentException("invalid server settings");
        }
    }

    /**
     * @param host the address to bind
     * @param port the port; 0 for any free port
     * @return settings with one selector loop per core, 4 workers per core (at least 8), a 30 s idle timeout and
     *         the default core behaviour
     */
    public static ServerConfig of(String host, int port) {
        int cores = Runtime.getRuntime().availableProcessors();
        return new ServerConfig(host, port, cores, Math.max(8, 4 * cores), 30_000, CoreConfig.DEFAULT);
    }
}

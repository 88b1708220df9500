package dev.plinth.http.transport;

import java.net.InetSocketAddress;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A socket the server accepts HTTP connections on. Registered as a service once bound, with the service properties
 * {@link #HOST} and {@link #PORT}, and the {@code service.pid} of its configuration; unregistered when it stops.
 */
@ProviderType
public interface Listener {

    /** Service property: the bound port (an {@code Integer}), the real one even when port 0 was configured. */
    String PORT = "plinth.http.port";

    /** Service property: the configured host or address (a {@code String}). */
    String HOST = "plinth.http.host";

    /** @return the address the socket is bound to */
    InetSocketAddress address();

    /** @return this listener's counters */
    ServerStats stats();

    /**
     * Describes the connections open now. Each selector thread describes its own connections, between two of its
     * events; the caller waits for them at most {@link HttpServer#DESCRIBE_WAIT_MILLIS}, and a thread that does
     * not answer by then is left out.
     *
     * @return one entry per open connection, in no particular order
     * @since 1.3
     */
    List<ConnectionInfo> connections();

    /**
     * Takes this listener out of service gracefully, as the first half of a stop: stops accepting, closes idle
     * connections, lets exchanges in flight finish with {@code Connection: close}, and waits for them at most
     * {@code graceMillis}. The listener stays registered until its component stops; it never accepts again.
     *
     * @param graceMillis how long exchanges in flight may take
     * @return what the drain found and left
     * @throws InterruptedException if interrupted while waiting
     * @since 1.4
     */
    HttpServer.Drained drain(long graceMillis) throws InterruptedException;
}

package dev.plinth.metrics;

/**
 * The handler services of one mount, as the MBean {@code dev.plinth:type=Handler,prefix="<prefix>"} (with
 * {@code ,host="<host>"} for a handler bound to a host) shows them. The MBean is there while at least one handler
 * service is registered at that mount.
 */
public interface HandlerMXBean {

    /** @return the path prefix */
    String getPrefix();

    /** @return the host, or empty for any host */
    String getHost();

    /** @return handler services registered at this mount now; the glue routes to the best-ranked */
    int getServices();

    /**
     * @return exchanges routed by this prefix since this bundle started, on every host (the access log facts name
     *     the prefix only)
     */
    long getRequests();

    /** @return those answered 5xx or ended without their whole response */
    long getErrors();

    /** @return exchanges the handler services of this mount are serving now, as the glue counts them */
    int getInFlight();
}

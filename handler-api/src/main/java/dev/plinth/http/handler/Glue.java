package dev.plinth.http.handler;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Picks the handler that serves a request, from the handler services registered right now. Plinth registers a
 * default glue (longest prefix, then host, then {@code service.ranking}); register one with a higher
 * {@code service.ranking} to replace it.
 *
 * <p>The server asks the glue on a worker thread, unless the glue says (by {@link #nonBlocking()}) that
 * {@link #select} and {@link #choose} never block: then it asks on the I/O thread that read the request, which lets
 * a {@linkplain Handler#NONBLOCKING non-blocking} handler run there too. The default glue is such a glue: a lookup in
 * a table kept up to date as services come and go.
 */
@ConsumerType
public interface Glue {

    /**
     * @param request a request whose head has been read
     * @return the handler to serve it; empty answers 404
     */
    Optional<Handler> select(Request request);

    /**
     * Picks the handler for a request and says how the server may run it. The default runs every handler on
     * workers; a glue that knows the handlers' {@link Handler#NONBLOCKING} property says which may run inline.
     *
     * @param request a request whose head has been read
     * @return the handler and how to run it; empty answers 404
     * @since 1.1
     */
    default Optional<Choice> choose(Request request) {
        return select(request).map(handler -> new Choice(handler, false));
    }

    /**
     * Whether {@link #select} and {@link #choose} never block and return promptly, so that the server may call them
     * on an I/O thread. The default says no: the glue is asked on a worker, and every handler runs there.
     *
     * @return whether the glue may be asked on an I/O thread
     * @since 1.1
     */
    default boolean nonBlocking() {
        return false;
    }

    /**
     * The server reports that a handler it ran on an I/O thread held that thread longer than its threshold. The
     * glue decides when a handler has offended often enough to run on workers from then on. The default ignores
     * the report (its {@link #choose} never runs a handler inline).
     *
     * @param handler the handler that blocked
     * @since 1.1
     */
    default void blocked(Handler handler) {
    }

    /**
     * Says which handler a request for {@code host} and {@code path} would go to, and why each other one lost.
     *
     * @param host the request's host, without port; empty for none
     * @param path the decoded request path
     * @return the decision and every candidate considered
     */
    Explanation explain(String host, String path);

    /**
     * A handler chosen for a request.
     *
     * @param handler the handler
     * @param nonBlocking whether the server may call it on the I/O thread ({@link Handler#NONBLOCKING}, and not
     *        demoted for blocking)
     * @since 1.1
     */
    record Choice(Handler handler, boolean nonBlocking) {
    }

    /**
     * One registered handler as the glue saw it.
     *
     * @param handler a description of the handler service, such as its class and {@code service.id}
     * @param prefix its {@link Handler#PREFIX}
     * @param host its {@link Handler#HOST}, or empty for any host
     * @param ranking its {@code service.ranking}
     * @param verdict why it was chosen or why it lost, such as {@code "prefix /a is shorter than /a/b"}
     */
    record Candidate(String handler, String prefix, String host, int ranking, String verdict) {
    }

    /**
     * The glue's decision for one host and path.
     *
     * @param host the host asked about
     * @param path the path asked about
     * @param chosen the candidate that serves it; empty means 404
     * @param others every other registered handler, with the reason it lost
     */
    record Explanation(String host, String path, Optional<Candidate> chosen, List<Candidate> others) {
        /**
         * @return a readable multi-line account of the decision
         */
        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            text.append(host.isEmpty() ? "(any host)" : host).append(' ').append(path).append(" -> ")
                    .append(chosen.map(c -> c.handler() + " (" + c.verdict() + ")").orElse("404, no handler"))
                    .append('\n');
            for (Candidate other : others) {
                text.append("  not ").append(other.handler()).append(": ").append(other.verdict()).append('\n');
            }
            return text.toString();
        }
    }
}

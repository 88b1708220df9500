package dev.plinth.http.handler;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Picks the handler that serves a request, from the handler services registered right now. Plinth registers a
 * default glue (longest prefix, then host, then {@code service.ranking}); register one with a higher
 * {@code service.ranking} to replace it.
 */
@ConsumerType
public interface Glue {

    /**
     * @param request a request whose head has been read
     * @return the handler to serve it; empty answers 404
     */
    Optional<Handler> select(Request request);

    /**
     * Says which handler a request for {@code host} and {@code path} would go to, and why each other one lost.
     *
     * @param host the request's host, without port; empty for none
     * @param path the decoded request path
     * @return the decision and every candidate considered
     */
    Explanation explain(String host, String path);

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

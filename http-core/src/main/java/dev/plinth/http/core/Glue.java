package dev.plinth.http.core;

import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Picks the handler that serves a request, from the handler services registered right now: the contract between the
 * core and the router, not something a handler author uses. Plinth registers a default glue (longest prefix, then
 * host, then {@code service.ranking}); register one with a higher {@code service.ranking} to replace it. Without
 * OSGi, {@link Router} is the same rules built in code.
 *
 * <p>The server asks the glue on a worker thread, unless the glue says (by {@link #nonBlocking()}) that
 * {@link #choose} never blocks: then it asks on the I/O thread that read the request, which lets a
 * {@linkplain Handler#NONBLOCKING non-blocking} handler run there too. The default glue is such a glue: a lookup in
 * a table kept up to date as services come and go.
 *
 * <p>A glue may also defer its decision ({@link Later}): while a handler's bundle is being updated, the default glue
 * holds the requests for its prefix until the new version registers, so that an update loses none of them.
 */
@ConsumerType
public interface Glue {

    /** What no handler serves: the server answers 404. */
    Decision NOT_FOUND = new NotFound();

    /**
     * Picks the handler for a request and says how the server may run it.
     *
     * @param request a request whose head has been read
     * @return a {@link Choice}: the handler, the prefix it was chosen by, and how to run it; {@link #NOT_FOUND}; or
     *         {@link Later}, a decision that comes later
     */
    Decision choose(Request request);

    /**
     * Whether {@link #choose} never blocks and returns promptly, so that the server may call them
     * on an I/O thread. The default says no: the glue is asked on a worker, and every handler runs there.
     *
     * @return whether the glue may be asked on an I/O thread
     */
    default boolean nonBlocking() {
        return false;
    }

    /**
     * The server reports that a handler it ran on an I/O thread held that thread longer than its threshold. The
     * glue decides when a handler has offended often enough to run on workers from then on. The default ignores
     * the report.
     *
     * @param handler the handler that blocked
     */
    default void blocked(Handler handler) {}

    /**
     * Says which handler a request for {@code host} and {@code path} would go to, and why each other one lost.
     *
     * @param host the request's host, without port; empty for none
     * @param path the decoded request path
     * @return the decision and every candidate considered
     */
    Explanation explain(String host, String path);

    /**
     * The handlers this glue routes to now, best first, for operators. The default says none.
     *
     * @return one route per registered handler service
     * @since 3.0
     */
    default List<Route> routes() {
        return List.of();
    }

    /** What a glue decided for one request: a {@link Choice}, {@link #NOT_FOUND}, or {@link Later}. */
    sealed interface Decision permits Choice, NotFound, Later {}

    /** No handler serves the request. Use {@link Glue#NOT_FOUND}. */
    record NotFound() implements Decision {}

    /**
     * The glue cannot decide yet, for instance because the handler of the request's path is being replaced. The
     * server holds the request, with no thread waiting, until the stage completes, then follows the decision it
     * completes with (a failed stage answers 500). The glue bounds how long that takes; the server's handler
     * timeout bounds it too.
     *
     * @param decision completes with the decision, on any thread
     */
    record Later(CompletionStage<? extends Decision> decision) implements Decision {

        /** Checks that the stage is given. */
        public Later {
            if (decision == null) {
                throw new IllegalArgumentException("a later decision needs its stage");
            }
        }
    }

    /**
     * A handler chosen for a request.
     *
     * @param handler the handler
     * @param prefix the path prefix it was chosen by, such as {@code /docs} or {@code /}: the request's
     *        {@link Request#prefix()} from then on
     * @param nonBlocking whether the server may call it on the I/O thread ({@link Handler#NONBLOCKING}, and not
     *        demoted for blocking)
     * @param occupancy the exchanges of this handler service in progress: the server enters each exchange it gives
     *        the handler, so that the glue can drain them when the service leaves
     * @param compress whether the listener may compress this handler's responses on the fly: false when its service
     *        says {@link Handler#COMPRESS}{@code =false} (since 3.3)
     */
    record Choice(Handler handler, String prefix, boolean nonBlocking, Occupancy occupancy, boolean compress)
            implements Decision {

        /** Checks that every part is given, and that the prefix is a path. */
        public Choice {
            if (handler == null || prefix == null || !prefix.startsWith("/") || occupancy == null) {
                throw new IllegalArgumentException(
                        "a choice needs a handler, a prefix starting with / and an occupancy");
            }
        }

        /**
         * A choice whose responses the listener may compress.
         *
         * @param handler the handler
         * @param prefix the path prefix it was chosen by
         * @param nonBlocking whether the server may call it on the I/O thread
         * @param occupancy the exchanges of this handler service in progress
         */
        public Choice(Handler handler, String prefix, boolean nonBlocking, Occupancy occupancy) {
            this(handler, prefix, nonBlocking, occupancy, true);
        }

        /**
         * A choice whose exchanges nobody drains ({@link Occupancy#UNTRACKED}).
         *
         * @param handler the handler
         * @param prefix the path prefix it was chosen by
         * @param nonBlocking whether the server may call it on the I/O thread
         */
        public Choice(Handler handler, String prefix, boolean nonBlocking) {
            this(handler, prefix, nonBlocking, Occupancy.UNTRACKED);
        }
    }

    /**
     * One handler service as the glue routes to it now.
     *
     * @param serviceId its {@code service.id}
     * @param bundleId the id of the bundle that registered it ({@code service.bundleid}), or -1 if unknown
     * @param handler a description of the handler, such as its class
     * @param prefix its {@link Handler#PREFIX}
     * @param host its {@link Handler#HOST}, or empty for any host
     * @param ranking its {@code service.ranking}
     * @param inFlight exchanges it is serving now
     * @param runs where the server runs it: on workers, or on the I/O thread
     */
    record Route(
            long serviceId,
            long bundleId,
            String handler,
            String prefix,
            String host,
            int ranking,
            int inFlight,
            String runs) {}

    /**
     * One registered handler as the glue saw it.
     *
     * @param handler a description of the handler service, such as its class and {@code service.id}
     * @param prefix its {@link Handler#PREFIX}
     * @param host its {@link Handler#HOST}, or empty for any host
     * @param ranking its {@code service.ranking}
     * @param verdict why it was chosen or why it lost, such as {@code "prefix /a is shorter than /a/b"}
     */
    record Candidate(String handler, String prefix, String host, int ranking, String verdict) {}

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
            text.append(host.isEmpty() ? "(any host)" : host)
                    .append(' ')
                    .append(path)
                    .append(" -> ")
                    .append(chosen.map(c -> c.handler() + " (" + c.verdict() + ")")
                            .orElse("404, no handler"))
                    .append('\n');
            for (Candidate other : others) {
                text.append("  not ")
                        .append(other.handler())
                        .append(": ")
                        .append(other.verdict())
                        .append('\n');
            }
            return text.toString();
        }
    }
}

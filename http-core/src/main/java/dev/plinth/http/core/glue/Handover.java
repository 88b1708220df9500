package dev.plinth.http.core.glue;

import dev.plinth.http.core.Glue;
import dev.plinth.http.core.Router.Mount;
import dev.plinth.http.handler.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The place (host and prefix) of a handler service that left, while requests it would have served wait for a
 * replacement. Holding a request costs a future and a list slot: no thread waits. Guarded by its own lock, which only
 * requests that arrive during a handover take.
 */
final class Handover {

    /** A held request and the decision it waits for. */
    record Held(Request request, CompletableFuture<Glue.Decision> decision) {}

    /** The mount of the service that left. */
    final Mount left;
    /** Its bundle, for the log. */
    final String bundle;

    private final int maxHeld;
    private List<Held> held = new ArrayList<>();
    private boolean ended;

    Handover(Mount left, String bundle, int maxHeld) {
        this.left = left;
        this.bundle = bundle;
        this.maxHeld = maxHeld;
    }

    /**
     * @param request a request
     * @param winner the mount the table would choose for it now, or null
     * @return whether the handler that left would have served it: its place matches and beats the winner
     */
    boolean wouldServe(Request request, Mount winner) {
        return left.matches(request.host(), request.path()) && (winner == null || left.precedes(winner));
    }

    /** @return whether the other serves the same host and prefix: it takes the place of the one that left */
    boolean samePlace(Mount other) {
        return left.prefix().equals(other.prefix()) && left.host().equals(other.host());
    }

    /** @return the decision to wait for, or null if the handover is over or holds as many requests as it may */
    synchronized Glue.Later hold(Request request) {
        if (ended || held.size() >= maxHeld) {
            return null;
        }
        CompletableFuture<Glue.Decision> decision = new CompletableFuture<>();
        held.add(new Held(request, decision));
        return new Glue.Later(decision);
    }

    /** @return the requests held, or null if it ended before; none is held from now on */
    synchronized List<Held> end() {
        if (ended) {
            return null;
        }
        ended = true;
        List<Held> taken = held;
        held = List.of();
        return taken;
    }
}

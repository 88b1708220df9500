package dev.plinth.operations;

import dev.plinth.http.core.Glue;
import dev.plinth.http.handler.Request;
import java.util.List;
import java.util.Optional;

/** The admin listener's glue: each endpoint serves exactly its own path; anything else is 404. */
final class AdminGlue implements Glue {

    private final List<HealthEndpoint> endpoints;

    /** @param endpoints the endpoints served */
    AdminGlue(List<HealthEndpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
    }

    @Override
    public Decision choose(Request request) {
        for (HealthEndpoint endpoint : endpoints) {
            if (endpoint.path().equals(request.path())) {
                return new Choice(endpoint, endpoint.path(), false);
            }
        }
        return NOT_FOUND;
    }

    @Override
    public Explanation explain(String host, String path) {
        for (HealthEndpoint endpoint : endpoints) {
            if (endpoint.path().equals(path)) {
                Candidate chosen = new Candidate(endpoint.toString(), path, "", 0, "the only handler of this path");
                return new Explanation(host, path, Optional.of(chosen), List.of());
            }
        }
        return new Explanation(host, path, Optional.empty(), List.of());
    }
}

package dev.plinth.http.transport.internal;

import dev.plinth.http.handler.Glue;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A test glue: the handler whose prefix starts the path, longest first. */
final class PrefixGlue implements Glue {

    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();

    void mount(String prefix, Handler handler) {
        handlers.put(prefix, handler);
    }

    @Override
    public Optional<Handler> select(Request request) {
        return handlers.entrySet().stream()
                .filter(e -> request.path().startsWith(e.getKey()))
                .max((a, b) -> Integer.compare(a.getKey().length(), b.getKey().length()))
                .map(Map.Entry::getValue);
    }

    @Override
    public Explanation explain(String host, String path) {
        return new Explanation(host, path, Optional.empty(), List.of());
    }
}

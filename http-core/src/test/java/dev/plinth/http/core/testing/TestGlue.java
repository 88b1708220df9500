package dev.plinth.http.core.testing;

import dev.plinth.http.core.Glue;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A glue for tests that run a real server without OSGi: handlers mounted by prefix, the longest matching prefix wins.
 * Shipped in http-core's test jar.
 */
public final class TestGlue implements Glue {

    private final Map<String, Handler> mounts = new ConcurrentSkipListMap<>();

    /**
     * @param prefix a path prefix such as {@code /} or {@code /app}
     * @param handler the handler serving it
     * @return a glue with that one mount
     */
    public static TestGlue of(String prefix, Handler handler) {
        return new TestGlue().mount(prefix, handler);
    }

    /**
     * @param prefix a path prefix
     * @param handler the handler serving it
     * @return this
     */
    public TestGlue mount(String prefix, Handler handler) {
        mounts.put(
                prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix,
                handler);
        return this;
    }

    @Override
    public Decision choose(Request request) {
        Optional<Choice> mounted = mounted(request);
        return mounted.isPresent() ? mounted.get() : NOT_FOUND;
    }

    /**
     * @param request a request
     * @return the handler mounted at the longest prefix of its path, run on workers; empty if none is
     */
    public Optional<Choice> mounted(Request request) {
        return best(request.path()).map(mount -> new Choice(mount.getValue(), mount.getKey(), false));
    }

    @Override
    public Explanation explain(String host, String path) {
        return new Explanation(
                host,
                path,
                best(path)
                        .map(e -> new Candidate(e.getValue().toString(), e.getKey(), "", 0, "longest matching prefix")),
                List.of());
    }

    private Optional<Map.Entry<String, Handler>> best(String path) {
        Map.Entry<String, Handler> best = null;
        for (Map.Entry<String, Handler> mount : mounts.entrySet()) {
            String prefix = mount.getKey();
            boolean matches = prefix.equals("/")
                    || path.equals(prefix)
                    || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
            if (matches && (best == null || prefix.length() > best.getKey().length())) {
                best = mount;
            }
        }
        return Optional.ofNullable(best);
    }
}

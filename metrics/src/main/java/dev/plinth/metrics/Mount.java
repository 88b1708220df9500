package dev.plinth.metrics;

import dev.plinth.http.handler.Handler;
import java.util.Locale;
import java.util.Map;

/**
 * Where handler services serve: a prefix, and a host or any host. Several services may share one mount (the glue then
 * routes to the best-ranked); the exchanges' facts name only the prefix.
 *
 * @param prefix the prefix as the glue normalises it: without a trailing slash, or {@code /}
 * @param host the host in lower case, or empty for any host
 */
record Mount(String prefix, String host) {

    /**
     * @param properties a handler service's properties
     * @return its mount, normalised as the glue does it; null when its prefix is missing or does not start with
     *     {@code /} (the glue ignores such a service too)
     */
    static Mount of(Map<String, Object> properties) {
        if (!(properties.get(Handler.PREFIX) instanceof String prefix) || !prefix.startsWith("/")) {
            return null;
        }
        String normalised =
                prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        Object host = properties.get(Handler.HOST);
        return new Mount(normalised, host instanceof String h ? h.trim().toLowerCase(Locale.ROOT) : "");
    }
}

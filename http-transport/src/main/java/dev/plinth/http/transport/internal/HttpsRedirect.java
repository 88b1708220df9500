package dev.plinth.http.transport.internal;

import dev.plinth.http.core.Glue;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The glue of a plain listener that only sends clients to HTTPS: every request, whatever its path, is answered
 * {@code 308 Permanent Redirect} (RFC 9110 §15.4.9: the method and body are kept, unlike 301) to the same host, path
 * and query on the HTTPS port.
 */
final class HttpsRedirect implements Glue, Handler {

    private final int httpsPort;

    /** @param httpsPort the port the HTTPS listener is on */
    HttpsRedirect(int httpsPort) {
        this.httpsPort = httpsPort;
    }

    @Override
    public Decision choose(Request request) {
        return new Choice(this, "/", true);
    }

    @Override
    public boolean nonBlocking() {
        return true;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        if (!validHost(request.host())) {
            return CompletableFuture.completedStage(
                    Response.text(400, "This port redirects to HTTPS, which needs the request's Host.\n"));
        }
        return CompletableFuture.completedStage(
                Response.text(308, "Moved to HTTPS.\n").header("Location", location(request)));
    }

    /** @return the HTTPS address of the request: host (bracketed if IPv6), port unless 443, path and query */
    String location(Request request) {
        StringBuilder to = new StringBuilder("https://").append(request.host());
        if (httpsPort != 443) {
            to.append(':').append(httpsPort);
        }
        String target = request.target();
        if (!target.startsWith("/")) { // absolute-form (a proxy's) or asterisk-form: keep only path and query
            target = request.rawPath()
                    + request.query().map(query -> "?" + query).orElse("");
        }
        return to.append(target).toString();
    }

    /** A name or an IPv4 address, or a bracketed IPv6 one: nothing else goes into a Location. */
    private static boolean validHost(String host) {
        if (host.isEmpty()) {
            return false;
        }
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        for (int i = bracketed ? 1 : 0, n = bracketed ? host.length() - 1 : host.length(); i < n; i++) {
            char c = host.charAt(i);
            boolean ok = bracketed
                    ? c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c == ':' || c == '.'
                    : c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Explanation explain(String host, String path) {
        Candidate redirect = new Candidate("redirect to HTTPS port " + httpsPort, "/", "", 0, "every request");
        return new Explanation(host, path, Optional.of(redirect), List.of());
    }
}

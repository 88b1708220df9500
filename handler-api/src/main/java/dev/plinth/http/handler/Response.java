package dev.plinth.http.handler;

import java.util.Objects;

/**
 * The first part of a response: status, header fields and the {@link Body} that follows.
 *
 * <pre>{@code
 * Response.of(200)
 *         .header("Content-Type", "text/plain; charset=utf-8")
 *         .body(Body.of("Hello\n"));
 * }</pre>
 *
 * The server adds {@code Date}, {@code Server} and the framing fields ({@code Content-Length},
 * {@code Transfer-Encoding}, {@code Connection}); a handler must not set the framing fields itself, and those it sets
 * are ignored. Not thread-safe: build it on one thread, then hand it over by completing the handler's stage.
 */
public final class Response {

    private int status;
    private final MutableHeaders headers = new MutableHeaders();
    private Body body = Body.empty();
    private boolean compress = true;

    private Response(int status) {
        status(status);
    }

    /**
     * @param status the status code, 200 to 599 (informational responses are the server's business)
     * @return a response with that status, no fields and an empty body
     */
    public static Response of(int status) {
        return new Response(status);
    }

    /**
     * @param status the status code
     * @param text the body, sent as UTF-8 {@code text/plain}
     * @return a complete small response
     */
    public static Response text(int status, String text) {
        return of(status).header("Content-Type", "text/plain; charset=utf-8").body(Body.of(text));
    }

    /**
     * @param status the status code, 200 to 599
     * @return this
     */
    public Response status(int status) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status out of range 200-599: " + status);
        }
        this.status = status;
        return this;
    }

    /**
     * Appends a header field.
     *
     * @param name the field name
     * @param value the field value
     * @return this
     */
    public Response header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    /**
     * Sets the body.
     *
     * @param body the body
     * @return this
     */
    public Response body(Body body) {
        this.body = Objects.requireNonNull(body, "body");
        return this;
    }

    /**
     * Whether the server may compress this response's body on the fly, where its listener compresses and the client
     * accepts it. A response that says {@code Cache-Control: no-transform}, or that already has a
     * {@code Content-Encoding}, is never compressed either way.
     *
     * @param allowed {@code false} to send the body as it is (for one that is already compressed, or whose length
     *     and {@code Content-Length} matter to the client); {@code true}, the default, to let the server decide
     * @return this
     * @since 2.2
     */
    public Response compress(boolean allowed) {
        this.compress = allowed;
        return this;
    }

    /**
     * @return whether the server may compress this response, as set by {@link #compress(boolean)}
     * @since 2.2
     */
    public boolean compressAllowed() {
        return compress;
    }

    /** @return the status code */
    public int status() {
        return status;
    }

    /** @return the header fields set so far */
    public MutableHeaders headers() {
        return headers;
    }

    /** @return the body */
    public Body body() {
        return body;
    }
}

/**
 * Serves files from a directory (the docroot) under a path prefix.
 *
 * <p>One {@link dev.plinth.handlers.statics.StaticHandler} is created per factory configuration of PID
 * {@code dev.plinth.handlers.static}. The work is split so that later features have a place to go:
 * {@link dev.plinth.handlers.statics.DocRoot} maps a request path to a file without ever leaving the docroot,
 * {@link dev.plinth.handlers.statics.MediaTypes} names a file's type, {@link dev.plinth.handlers.statics.HttpDates}
 * formats HTTP dates, and {@link dev.plinth.handlers.statics.StaticHandler} turns the outcome into a response
 * (the place for conditional requests, ranges and precompressed variants).
 *
 * <p>Private to the bundle: other bundles see only the {@link dev.plinth.http.handler.Handler} service.
 */
package dev.plinth.handlers.statics;

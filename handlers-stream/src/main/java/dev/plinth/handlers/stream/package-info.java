/**
 * Streaming handlers: bodies produced or relayed in parts, with back-pressure.
 *
 * <ul>
 * <li>{@link dev.plinth.handlers.stream.ClockHandler} answers with a line per tick for as long as the client reads,
 *     from a {@link dev.plinth.handlers.stream.Ticker} that owns the timer thread and every live stream;</li>
 * <li>{@link dev.plinth.handlers.stream.EchoHandler} sends a request body back as it arrives, its response body
 *     being the request body's own publisher.</li>
 * </ul>
 *
 * <p>Private to the bundle: other bundles see only the {@link dev.plinth.http.handler.Handler} services.
 */
package dev.plinth.handlers.stream;

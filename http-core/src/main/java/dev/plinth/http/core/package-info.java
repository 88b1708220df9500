/**
 * The framing core: one exchange state machine per connection, independent of any transport.
 *
 * <p>A transport gives each connection an {@link dev.plinth.http.core.Endpoint} (its side of the wire) and drives an
 * {@link dev.plinth.http.core.HttpConnection} with what happens on it: bytes read, end of input, room to write, close.
 * The connection parses requests, asks the {@link dev.plinth.http.core.Glue} for a handler, runs the handler (on a
 * worker executor, or inline for a non-blocking one), and frames what the handler produces, deciding once per
 * response how its end is signalled ({@code Framing}). Tests drive it in memory with any split of the input.
 *
 * <h2>Who may touch a connection, and when</h2>
 * A connection is <em>had</em> by one thread at a time, and only that thread calls its methods or its endpoint's
 * (except {@code execute} and {@code runOrExecute}, which any thread may call). The transport decides how: Plinth's
 * NIO endpoint has a lock, held by its selector thread for every event and task, and taken by a worker that writes its
 * handler's ready answer while the connection is free and nothing is queued for it ({@code runOrExecute}). Handler
 * code runs on workers through the exchange's serial executor, so the server's calls into one exchange's handler code
 * never overlap, and never while a thread has the connection; the one exception is a handler the glue chose as
 * non-blocking, which the thread that parsed its request calls with the connection held, timed by the
 * {@link dev.plinth.http.core.LoopWatchdog}. Whatever a handler does to its connection from handler code (subscribe to
 * the body, request more, answer later) is queued on the endpoint and runs when a thread has the connection.
 *
 * <h2>How request-body demand reaches the socket</h2>
 * A handler subscribes to {@code Request.body()} ({@code RequestBody}); each {@code request(n)} is queued on the
 * endpoint and, on the thread that has the connection, adds to the body's demand and tells the exchange, which sends
 * {@code 100 Continue} if the client waits for it and asks the connection to resume; the connection resumes reading
 * ({@code Endpoint.setReading(true)}) only while its exchange wants input; the endpoint feeds bytes to the connection,
 * whose parser reports body parts; each part is copied and delivered to the subscriber through the serial executor,
 * one part per unit of demand, and when the demand is used up the connection stops consuming input and the endpoint
 * stops reading, so the client's further bytes wait in the socket. A body nobody reads is read and dropped (up to the
 * drain limit) before or after the response, never buffered.
 *
 * <h2>Without OSGi</h2>
 * Nothing in this package uses an OSGi type at run time. An embedder picks handlers with a
 * {@link dev.plinth.http.core.Router} (the default glue's rules, built in code) and gives it to the transport's
 * server; the DS component that tracks handler services lives in a private package and is never loaded then.
 */
@Export
@Version("3.4.0")
package dev.plinth.http.core;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

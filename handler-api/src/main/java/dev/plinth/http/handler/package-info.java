/**
 * The contract between Plinth and a handler bundle: everything a handler needs, nothing else.
 *
 * <h2>Hello, world</h2>
 * <pre>{@code
 * @Component(service = Handler.class, property = Handler.PREFIX + "=/hello")
 * public final class Hello implements Handler.Synchronous {
 *     public Response respond(Request request) {
 *         return Response.text(200, "Hello, world\n");
 *     }
 * }
 * }</pre>
 * A handler that answers later implements {@link dev.plinth.http.handler.Handler#handle(Request)} itself and
 * completes the stage it returns when its answer is ready.
 *
 * <h2>The lifecycle of an exchange</h2>
 * <ol>
 * <li>The server reads a request line and its header block. The body, if any, is not read yet.</li>
 * <li>It asks its glue service which {@link dev.plinth.http.handler.Handler}
 *     serves the request (by path prefix, host and {@code service.ranking}); none means 404.</li>
 * <li>It calls {@link dev.plinth.http.handler.Handler#handle(Request)} on a worker thread (or, for a handler that
 *     declares itself {@linkplain dev.plinth.http.handler.Handler#NONBLOCKING non-blocking}, on the I/O thread
 *     that read the request; see <em>Threads</em>). The handler may subscribe to {@link
 * dev.plinth.http.handler.Request#body()}: the server reads the
 *     body from the socket only as fast as the subscriber requests it, and sends {@code 100 Continue} to a client
 *     that asked for it only when the subscriber first requests data.</li>
 * <li>The handler completes the returned stage with a {@link dev.plinth.http.handler.Response}: status, headers
 *     and a {@link dev.plinth.http.handler.Body}. This is the <em>first part</em>. It may do so at once or much later;
 *     no thread is held while it waits. A stage completed exceptionally (or a thrown exception) becomes a 500.</li>
 * <li>From the first part the server decides, once, how the body's end is signalled: {@code Content-Length} when
 *     the body's length is known; otherwise chunked for an HTTP/1.1 client (the connection stays open); otherwise,
 *     for an HTTP/1.0 client or an {@linkplain dev.plinth.http.handler.Body#endless endless} body, by closing the
 *     connection. HEAD, 1xx, 204 and 304 responses carry no body.</li>
 * <li>A streamed body is pulled: the server subscribes to the body's {@link java.util.concurrent.Flow.Publisher}
 *     and requests more parts only while the connection's outbound buffer is below its ceiling. A slow client
 *     therefore slows the handler instead of filling the server's memory. A file body is sent by the transport
 *     without copying it through the heap where the operating system allows.</li>
 * <li>When the publisher completes, the exchange ends and the next request on the connection is served. If it
 *     fails after the first part was sent, the connection is closed, so the client never mistakes a truncated
 *     response for a complete one. If the client goes away, the subscription is cancelled.</li>
 * </ol>
 *
 * <h2>Why {@code CompletionStage} and {@code Flow}</h2>
 * An exchange is one request answered by one response head, which may come later: that is exactly a
 * {@link java.util.concurrent.CompletionStage}, the JDK's one-shot asynchronous value. A handler that answers at once
 * completes it at once; one that waits for a database or another server composes stages without holding a thread.
 * Bodies are streams of byte parts with back-pressure: that is exactly {@link java.util.concurrent.Flow}, the JDK's
 * Reactive Streams, which {@code java.net.http.HttpClient} also uses for its bodies. Demand ({@code request(n)})
 * carries back-pressure in both directions without any callback of our own, and any Reactive Streams library
 * plugs in unchanged. Blocking calls would tie a thread to every slow client; hand-written callbacks would be a
 * private dialect of what {@code Flow} already says.
 *
 * <h2>Threads</h2>
 * Handler code (the handler, and the server's calls into a subscriber or a publisher the handler gave it) runs on
 * the server's worker executor, and the server's calls for one exchange never overlap. An I/O thread serves many
 * connections, so code that may block never runs there.
 *
 * <p>The one exception is a handler registered with {@link dev.plinth.http.handler.Handler#NONBLOCKING}
 * {@code =true}. It promises that {@code handle}, and the server's calls into the body it returns, never block and
 * return promptly; in exchange the server calls it on the I/O thread that parsed the request and writes an answer
 * that is ready at once from that same thread, saving the hand-off to a worker and back (a quarter of the cost of a
 * small request). The contract:
 * <ul>
 * <li>No waiting inside {@code handle}: no locks held by other threads, no file or network I/O, no sleeping, no
 *     {@code join} on a stage. Work that may block goes to {@link dev.plinth.http.handler.Request#workers()}, which
 *     completes the returned stage later; the exchange then continues exactly as for any other handler.</li>
 * <li>Answers from memory qualify (a computed text, a cached file); a body read from disk, a stream fed by a timer
 *     and anything that waits on another service do not.</li>
 * <li>The server checks the promise: an I/O thread that stays in one call longer than the blocked-loop threshold
 *     (20 ms by default, {@code inlineThresholdMillis}) is reported with the handler's name and the thread's stack,
 *     and counted; after a few calls caught blocking the glue runs that handler on workers for as long as its
 *     service is registered (a call caught loading classes, the first use of a code path, is not held against it).
 *     Connections on the same I/O thread wait while it is held, which is why the promise matters.</li>
 * </ul>
 * A custom glue that does not declare itself non-blocking runs every handler on workers.
 */
@Export
@Version("2.2.0")
package dev.plinth.http.handler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

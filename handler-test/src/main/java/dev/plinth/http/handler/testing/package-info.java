/**
 * Unit-test support for handler authors: call a {@link dev.plinth.http.handler.Handler} directly, without a server,
 * and look at what it answered. Add {@code dev.plinth:handler-test} in test scope; it needs no test framework.
 *
 * <pre>{@code
 * HelloHandler handler = new HelloHandler(TestConfig.of(HelloHandler.Config.class));
 * TestResponse response = TestResponse.call(handler, TestRequest.get("/hello?name=Ada").prefix("/hello"));
 * assertEquals(200, response.status());
 * assertEquals("text/plain; charset=utf-8", response.header("Content-Type").orElseThrow());
 * assertEquals("Hello, Ada\n", response.text());
 * }</pre>
 *
 * <ul>
 * <li>{@link dev.plinth.http.handler.testing.TestRequest}: a request built in a line (method, target, header fields,
 *     body, the prefix the glue would have routed it by).</li>
 * <li>{@link dev.plinth.http.handler.testing.TestResponse}: calls any handler, synchronous or not, and collects its
 *     status, header fields and whole body (bytes, a file or streamed parts), waiting a bounded time for each.</li>
 * <li>{@link dev.plinth.http.handler.testing.TestConfig}: a component's configuration type (its {@code @Activate}
 *     constructor's argument) answering defaults and chosen values, as Declarative Services would pass it.</li>
 * <li>{@link dev.plinth.http.handler.testing.ListPublisher} and
 *     {@link dev.plinth.http.handler.testing.CountingSubscriber}: a body publisher and a body subscriber that count
 *     demand, for tests of back-pressure and of bodies read in parts.</li>
 * </ul>
 *
 * What a server adds is not simulated: no {@code Date}, {@code Server} or framing fields, no body dropped for
 * {@code HEAD}, no 500 for a failing handler (the failure reaches the test instead).
 */
@Export
@Version("1.0.0")
package dev.plinth.http.handler.testing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

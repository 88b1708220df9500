/**
 * The framing core: one exchange state machine per connection, independent of any transport.
 *
 * <p>A transport gives each connection an {@link dev.plinth.http.core.Endpoint} (its side of the wire) and drives an
 * {@link dev.plinth.http.core.HttpConnection} with what happens on it: bytes read, end of input, room to write, close.
 * The connection parses requests, asks the {@link dev.plinth.http.handler.Glue} for a handler, runs the handler on a
 * worker executor, and frames what the handler produces, deciding once per response how its end is signalled
 * ({@code Framing}). Tests drive it in memory with any split of the input.
 */
@Export
@Version("1.2.0")
package dev.plinth.http.core;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

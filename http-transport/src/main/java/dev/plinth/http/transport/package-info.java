/**
 * The non-blocking transport's public face: the {@link dev.plinth.http.transport.Listener} service that each bound
 * socket registers, with the address it actually bound (useful with port 0), its counters
 * ({@link dev.plinth.http.transport.ServerStats}) and its open connections
 * ({@link dev.plinth.http.transport.ConnectionInfo}).
 */
@Export
@Version("1.6.0")
package dev.plinth.http.transport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * An incremental, strict HTTP/1.1 request parser (RFC 9112, RFC 9110). It does no I/O and has no dependencies:
 * feed it bytes as they arrive, in any split, and it reports the request to a {@link RequestListener}. It is strict:
 * what it rejects (and the few empty lines before a request line it ignores) is listed on {@link RequestParser};
 * tolerated deviations are named {@link Violation}s.
 */
@Export
@Version("1.0.0")
package dev.plinth.http.parser;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

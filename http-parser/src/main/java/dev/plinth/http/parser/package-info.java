/**
 * An incremental, strict HTTP/1.1 request parser (RFC 9112, RFC 9110). It does no I/O and has no dependencies:
 * feed it bytes as they arrive, in any split, and it reports the request to a {@link RequestListener}. It is strict:
 * what it rejects is listed on {@link RequestParser}, each rejection named by a {@link Rule} (the few empty lines
 * before a request line it ignores are listed there too);
 * tolerated deviations are named {@link Violation}s.
 */
@Export
@Version("3.0.0")
package dev.plinth.http.parser;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

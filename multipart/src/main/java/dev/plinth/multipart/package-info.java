/**
 * An incremental, strict parser of {@code multipart/form-data} bodies (RFC 7578, with the framing of RFC 2046 §5.1).
 * It does no I/O and has no dependencies: feed it the body as it arrives, in any split, and it reports each part's
 * head and body bytes to a {@link MultipartListener}, never holding a whole part in memory. It is written here
 * rather than taken from a library because the well-kept ones (Commons FileUpload 2 among them) pull the body from
 * a blocking {@code InputStream}, which does not fit Plinth's stepwise, non-blocking body model.
 *
 * <p>Use: {@link Boundary#fromContentType} on the request's Content-Type, a {@link MultipartParser} with
 * {@link MultipartLimits} and a listener, {@link MultipartParser#feed} for each part of the body as it arrives, and
 * {@link MultipartParser#end} after the last. Every rejection is a {@link MultipartException}.
 */
@Export
@Version("1.0.0")
package dev.plinth.multipart;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * On-the-fly gzip compression of responses: the building blocks, not the policy. Private to the bundle.
 *
 * <ul>
 *   <li>{@link dev.plinth.http.core.compress.AcceptEncoding} reads the request's {@code Accept-Encoding} and says
 *       whether gzip is acceptable and preferred over identity;</li>
 *   <li>{@link dev.plinth.http.core.compress.CompressibleTypes} says from the response's {@code Content-Type} whether
 *       compressing is worth it (configurable per listener and per mount);</li>
 *   <li>{@link dev.plinth.http.core.compress.GzipBody} compresses a streamed body part by part with back-pressure,
 *       flushing after every part, and compresses small whole bodies at once;</li>
 *   <li>{@link dev.plinth.http.core.compress.ETags} gives the compressed representation its own entity tag and
 *       recognises either tag in {@code If-None-Match}.</li>
 * </ul>
 *
 * <h2>How the core uses them</h2>
 * When the response head is known, before framing is decided: a response is compressed only if compression is on for
 * the listener and the mount, the handler did not opt out, the request is not HEAD, the status is not 1xx, 204, 206
 * or 304, the request had no {@code Range} that the handler honoured, the response has no {@code Content-Encoding}
 * (already encoded), its type is compressible, its length is unknown or at least the minimum size, and
 * {@code AcceptEncoding.gzipPreferred()}. Every response of a compressible type gets {@code Vary: Accept-Encoding},
 * compressed or not, so that caches keep the two apart. A compressed response gets {@code Content-Encoding: gzip},
 * loses {@code Content-Length} (its length is unknown until the end: the framing becomes chunked for HTTP/1.1 and
 * close for HTTP/1.0, as for any body of unknown length), and has its {@code ETag} replaced by
 * {@code ETags.forGzip} (dropped if that gives null). A bytes body under a size limit goes through
 * {@code GzipBody.gzip} and may keep a {@code Content-Length}; a file region or a streamed body becomes a
 * {@code GzipBody} over its parts, which the body sender subscribes to as to any other publisher.
 */
package dev.plinth.http.core.compress;

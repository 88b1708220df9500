/**
 * Serves files from a directory (the docroot) under a path prefix.
 *
 * <p>One {@link dev.plinth.handlers.statics.StaticHandler} is made by its builder, by an embedder or, in OSGi, per
 * factory configuration of PID {@code dev.plinth.handlers.static} (its attributes {@code plinth.handler.prefix},
 * {@code docroot}, {@code index}, {@code listing}, {@code hidden}, {@code followSymlinks}, {@code cacheControl},
 * {@code mimeTypes} and the memory settings are described in {@code dev.plinth.handlers.statics.mount}). One class
 * per job:
 * <ul>
 * <li>{@link dev.plinth.handlers.statics.PathResolver} maps a request path to a file without leaving the docroot
 *     (nor showing hidden files), and lists directories;</li>
 * <li>{@link dev.plinth.handlers.statics.DocRoot} remembers what paths map to for a short time
 *     ({@link dev.plinth.handlers.statics.LookupCache}) and holds small files in memory
 *     ({@link dev.plinth.handlers.statics.HeldFiles}), so that a warm request touches no file system;</li>
 * <li>{@link dev.plinth.handlers.statics.MediaTypes} names a file's type;
 *     {@link dev.plinth.handlers.statics.ContentCodings} picks a precompressed sibling from
 *     {@code Accept-Encoding};</li>
 * <li>{@link dev.plinth.handlers.statics.Preconditions} evaluates conditional requests (RFC 9110 §13) with
 *     {@link dev.plinth.handlers.statics.EntityTags} and {@link dev.plinth.http.handler.HttpDates};</li>
 * <li>{@link dev.plinth.handlers.statics.ByteRanges} reads {@code Range} (RFC 9110 §14) and
 *     {@link dev.plinth.handlers.statics.MultipartRanges} streams several ranges on demand;</li>
 * <li>{@link dev.plinth.handlers.statics.Listing} writes a directory's HTML page;</li>
 * <li>{@link dev.plinth.handlers.statics.StaticHandler} puts them together into a response.</li>
 * </ul>
 *
 * <p>Exported for embedders, who make a handler without OSGi with
 * {@link dev.plinth.handlers.statics.StaticHandler#builder(java.nio.file.Path)}; in the OSGi distribution other
 * bundles see only the {@link dev.plinth.http.handler.Handler} services that the DS component in
 * {@code dev.plinth.handlers.statics.mount} registers. Only {@code StaticHandler} and its {@code Builder} are
 * public, and neither uses an OSGi type; the classes that do the work stay package-private.
 *
 * @since 1.0
 */
@Export
@Version("1.0.0")
package dev.plinth.handlers.statics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * The default {@link dev.plinth.http.core.Glue}: picks a handler by longest prefix, then host, then ranking, with the
 * rules of {@link dev.plinth.http.core.Router}, as handler services come and go. Private to the bundle, and the only
 * place in it that uses OSGi types: other bundles see it only as a {@code Glue} service, and an embedder never loads
 * it.
 */
package dev.plinth.http.core.glue;

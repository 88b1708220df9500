/**
 * The default {@link dev.plinth.http.core.Glue}: picks a handler by longest prefix, then host, then ranking.
 * Private to the bundle; other bundles see it only as a {@code Glue} service.
 */
package dev.plinth.http.core.glue;

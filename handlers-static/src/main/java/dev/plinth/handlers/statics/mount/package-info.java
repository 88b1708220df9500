/**
 * The Declarative Services component that mounts a static handler per factory configuration. Private to the bundle,
 * and the only place in it that uses OSGi types: an embedder of {@link dev.plinth.handlers.statics.StaticHandler}
 * never loads it.
 */
package dev.plinth.handlers.statics.mount;

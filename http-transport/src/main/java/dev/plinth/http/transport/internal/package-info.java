/**
 * The DS components that run listeners from Config Admin: the main listener, the factory listeners and their
 * metatype. They use only the exported {@code dev.plinth.http.transport} API; the engine's own classes (selector
 * loops, endpoints, counters) are package-private there, so the two packages do not depend on each other both ways.
 */
package dev.plinth.http.transport.internal;

/**
 * The smallest Plinth handler bundle: copy it to start your own.
 *
 * <p>{@link dev.plinth.example.hello.HelloHandler} registers itself as a
 * {@link dev.plinth.http.handler.Handler} service for the prefix {@code /hello}. Nothing here is exported: other
 * bundles see the handler only as a service.
 */
package dev.plinth.example.hello;

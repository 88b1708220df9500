/** The NIO transport: acceptor, selector loops, endpoints, and the DS component that configures them. */
package dev.plinth.http.transport.internal;

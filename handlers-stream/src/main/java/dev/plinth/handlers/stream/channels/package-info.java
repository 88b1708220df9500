/**
 * Broadcast channels ({@link dev.plinth.channels.Channels}) over HTTP, private to the bundle.
 *
 * <ul>
 * <li>{@link dev.plinth.handlers.stream.channels.SseMount} (factory PID {@code dev.plinth.handlers.stream.sse})
 *     mounts a channel as server-sent events ({@link dev.plinth.handlers.stream.channels.SseHandler},
 *     {@link dev.plinth.handlers.stream.channels.SseFormat}, {@link dev.plinth.handlers.stream.channels.SseEncoder});
 *     </li>
 * <li>{@link dev.plinth.handlers.stream.channels.ChannelMount} (factory PID
 *     {@code dev.plinth.handlers.stream.channel}) mounts a channel as newline-delimited JSON, and optionally lets
 *     {@code POST} publish ({@link dev.plinth.handlers.stream.channels.ChannelStreamHandler},
 *     {@link dev.plinth.handlers.stream.channels.NdjsonFormat}).</li>
 * </ul>
 *
 * <p>Both stream through {@link dev.plinth.handlers.stream.channels.ChannelStream} (one client's subscription, the
 * server's demand passed on to the channel, one part per message) and a
 * {@link dev.plinth.handlers.stream.channels.StreamHub} per mount (its live streams, heartbeats, and their clean end).
 * Stream ids are {@code <epoch>-<message id>} ({@link dev.plinth.handlers.stream.channels.Resume}), so that an id
 * from before a restart of the channel is recognised as such.
 */
package dev.plinth.handlers.stream.channels;

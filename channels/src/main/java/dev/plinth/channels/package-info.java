/**
 * Broadcast channels, independent of any transport: a bundle gets the {@link dev.plinth.channels.Channels} service,
 * publishes messages to a named {@link dev.plinth.channels.Channel}, and any number of
 * {@link dev.plinth.channels.Subscriber}s receive them, each pulling at its own pace through its
 * {@link dev.plinth.channels.Subscription} (as with {@link java.util.concurrent.Flow}).
 *
 * <p>Memory is bounded: each channel retains its last messages for resumption
 * ({@link dev.plinth.channels.ChannelSettings#replay()}); each subscriber's queue of messages not yet delivered has a
 * ceiling in messages and bytes, beyond which the channel's {@link dev.plinth.channels.OverflowPolicy} applies.
 *
 * <p>Settings per channel come from Config Admin factory configurations {@code dev.plinth.channels.channel}
 * (keys {@code name}, {@code replay}, {@code ceilingMessages}, {@code ceilingBytes}, {@code policy}); a channel without
 * one has {@link dev.plinth.channels.ChannelSettings#DEFAULTS}.
 */
@Export
@Version("1.1.0")
package dev.plinth.channels;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

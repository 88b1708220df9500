/**
 * The channel service's implementation, private to the bundle: {@link dev.plinth.channels.internal.ChannelsService}
 * (the {@link dev.plinth.channels.Channels} service and its delivery threads),
 * {@link dev.plinth.channels.internal.ChannelCore} (one channel: ids, replay buffer, subscribers) and
 * {@link dev.plinth.channels.internal.Outlet} (one subscription: its bounded queue, demand, and serial delivery).
 *
 * <p>Locks: a channel's lock orders publishers and guards its replay buffer and subscriber list; an outlet's lock
 * guards its queue and demand. A channel's lock may be held while taking an outlet's, never the reverse; no lock is
 * held while a subscriber's callback runs.
 */
package dev.plinth.channels.internal;

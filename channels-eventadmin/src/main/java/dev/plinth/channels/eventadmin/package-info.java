/**
 * OSGi Event Admin to broadcast channels, private to the bundle: {@link dev.plinth.channels.eventadmin.EventBridge}
 * (factory PID {@code dev.plinth.channels.eventadmin}) is an {@link org.osgi.service.event.EventHandler} for the
 * configured topics that publishes each event to a {@link dev.plinth.channels.Channel}, its data the event's
 * properties as JSON ({@link dev.plinth.channels.eventadmin.EventJson}) or one chosen property.
 */
package dev.plinth.channels.eventadmin;

package dev.plinth.channels.eventadmin;

import dev.plinth.channels.Channel;
import dev.plinth.channels.Channels;
import dev.plinth.config.ConfigCheck;
import dev.plinth.config.RefusedConfiguration;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Publishes OSGi events to a broadcast channel, one bridge per factory configuration {@value #PID} (attributes in
 * {@link Config}). It is an {@link EventHandler} service whose {@code event.topics} (and optional
 * {@code event.filter}) come from its configuration, so Event Admin hands it exactly the events asked for.
 *
 * <p>Each event becomes one message: its event is the event's topic (such as
 * {@code org/osgi/framework/BundleEvent/STARTED}), its data the JSON object of the event's simple properties
 * ({@link EventJson#properties}), or, when {@code dataProperty} names one, that property's value (a string as is,
 * anything else as JSON); an event without that property is skipped. Publishing never waits for subscribers, so
 * Event Admin's delivery thread is never held. A configuration refused is logged in one line and the bridge
 * publishes nothing.
 */
@Component(
        service = EventHandler.class,
        configurationPid = EventBridge.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = EventBridge.Config.class, factory = true)
public final class EventBridge implements EventHandler {

    /** The factory configuration PID. */
    public static final String PID = "dev.plinth.channels.eventadmin";

    private static final System.Logger LOG = System.getLogger(EventBridge.class.getName());

    /** One bridge from Event Admin topics to a channel. */
    @ObjectClassDefinition(
            id = PID,
            name = "Plinth events to a channel",
            description = "Publishes the OSGi events of some topics to a broadcast channel, so that HTTP clients "
                    + "can follow them (server-sent events, NDJSON).")
    public @interface Config {
        /** @return the topics, also the service property {@code event.topics} */
        @AttributeDefinition(
                name = "Topics",
                description = "Event Admin topics, such as org/osgi/framework/BundleEvent/* or com/acme/orders/"
                        + "CREATED; * for all. A topic is tokens of A-Z a-z 0-9 _ - separated by /, and may end "
                        + "in /*.")
        String[] event_topics();

        /** @return an LDAP filter on the events' properties, also the service property {@code event.filter} */
        @AttributeDefinition(
                name = "Filter",
                description = "Optional: an LDAP filter on the events' properties, such as (bundle.id>=10).",
                required = false)
        String event_filter();

        /** @return the channel's name */
        @AttributeDefinition(
                name = "Channel",
                description = "The channel published to: 1 to 200 characters among A-Z a-z 0-9 . _ / -.")
        String channel();

        /** @return the property whose value becomes the data, or empty for all simple properties as JSON */
        @AttributeDefinition(
                name = "Data property",
                description = "The event property whose value becomes the message's data (a string as is, "
                        + "anything else as JSON); events without it are skipped. Empty: a JSON object of all "
                        + "the event's properties with simple values.",
                required = false)
        String dataProperty() default "";
    }

    private final Channels channels;
    private final String channel;
    private final String dataProperty;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    /**
     * @param properties the configuration, checked against {@link Config}
     * @param channels the channel service
     */
    @Activate
    public EventBridge(Map<String, Object> properties, @Reference Channels channels) {
        this.channels = channels;
        String checkedChannel = null;
        String checkedData = "";
        try {
            Config config = ConfigCheck.check(Config.class, properties);
            String pid = ConfigCheck.pid(properties);
            String[] topics = config.event_topics();
            if (topics == null || topics.length == 0) {
                throw new RefusedConfiguration(pid, EventConstants.EVENT_TOPIC, "", "at least one topic is needed");
            }
            for (String topic : topics) {
                if (!isTopicPattern(topic)) {
                    throw new RefusedConfiguration(pid, EventConstants.EVENT_TOPIC, topic, "not a topic");
                }
            }
            String filter = config.event_filter();
            if (filter != null) {
                try {
                    FrameworkUtil.createFilter(filter);
                } catch (InvalidSyntaxException e) {
                    throw new RefusedConfiguration(pid, EventConstants.EVENT_FILTER, filter, "not an LDAP filter");
                }
            }
            if (!Channels.isValidName(config.channel())) {
                throw new RefusedConfiguration(
                        pid, "channel", config.channel(), "not a channel name (1 to 200 of A-Z a-z 0-9 . _ / -)");
            }
            checkedChannel = config.channel();
            checkedData = config.dataProperty();
        } catch (RefusedConfiguration refused) {
            LOG.log(Level.ERROR, refused.getMessage() + "; this bridge publishes nothing");
        }
        this.channel = checkedChannel;
        this.dataProperty = checkedData;
    }

    @Override
    public void handleEvent(Event event) {
        if (channel == null) {
            return;
        }
        String data;
        if (dataProperty.isEmpty()) {
            data = EventJson.properties(event);
        } else {
            Object value = event.getProperty(dataProperty);
            if (value == null) {
                skipped.incrementAndGet();
                return;
            }
            data = EventJson.data(value);
        }
        try {
            Channel target = channels.channel(channel);
            target.publish(event.getTopic(), data);
            published.incrementAndGet();
        } catch (IllegalStateException stopped) {
            skipped.incrementAndGet(); // the channel service is stopping, or the channel closed just now
        }
    }

    /** @return the events published so far */
    long published() {
        return published.get();
    }

    /** @return the events skipped so far (without the data property, or with no channel to publish to) */
    long skipped() {
        return skipped.get();
    }

    /**
     * @param topic a topic an event handler may name
     * @return whether Event Admin accepts it: {@code *}, or tokens of {@code A-Z a-z 0-9 _ -} separated by
     *     {@code /}, the last of which may be {@code *}
     */
    static boolean isTopicPattern(String topic) {
        if (topic == null || topic.isEmpty()) {
            return false;
        }
        if (topic.equals("*")) {
            return true;
        }
        String body = topic.endsWith("/*") ? topic.substring(0, topic.length() - 2) : topic;
        if (body.isEmpty()) {
            return false;
        }
        for (String token : body.split("/", -1)) {
            if (token.isEmpty()) {
                return false;
            }
            for (int i = 0; i < token.length(); i++) {
                char c = token.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || c == '_'
                        || c == '-';
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}

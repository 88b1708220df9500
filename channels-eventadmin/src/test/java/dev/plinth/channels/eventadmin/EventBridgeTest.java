package dev.plinth.channels.eventadmin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.channels.Channel;
import dev.plinth.channels.ChannelSettings;
import dev.plinth.channels.ChannelStats;
import dev.plinth.channels.Channels;
import dev.plinth.channels.CloseReason;
import dev.plinth.channels.Message;
import dev.plinth.channels.OverflowPolicy;
import dev.plinth.channels.Subscriber;
import dev.plinth.channels.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

/** The bridge called as Event Admin would call it, publishing into a recording channel. */
class EventBridgeTest {

    /** A channel that records what is published; nothing subscribes. */
    private static final class RecordingChannel implements Channel {
        final List<Message> published = new ArrayList<>();
        boolean closed;

        @Override
        public String name() {
            return "events";
        }

        @Override
        public String epoch() {
            return "test";
        }

        @Override
        public synchronized Message publish(String event, String data) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            Message message = new Message(published.size() + 1, event, data, java.time.Instant.now());
            published.add(message);
            return message;
        }

        @Override
        public Subscription subscribe(long lastSeenId, Subscriber subscriber) {
            subscriber.closed(CloseReason.CHANNEL_CLOSED);
            return new Subscription() {
                @Override
                public void request(long n) {}

                @Override
                public void cancel() {}
            };
        }

        @Override
        public ChannelSettings settings() {
            return new ChannelSettings(0, 1, 1, OverflowPolicy.DROP_OLDEST);
        }

        @Override
        public ChannelStats stats() {
            return new ChannelStats(0, published.size(), 0, 0, 0, 0, 0);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final RecordingChannel channel = new RecordingChannel();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<String> asked = new ArrayList<>();
    private final Channels channels = new Channels() {
        @Override
        public Channel channel(String name) {
            asked.add(name);
            if (stopped.get()) {
                throw new IllegalStateException("stopped");
            }
            return channel;
        }

        @Override
        public Optional<Channel> find(String name) {
            return Optional.of(channel);
        }

        @Override
        public Set<String> names() {
            return Set.of("events");
        }
    };

    private EventBridge bridge(Object... keysAndValues) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.pid", "dev.plinth.channels.eventadmin~test");
        properties.put("event.topics", new String[] {"com/acme/*"});
        properties.put("channel", "events");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return new EventBridge(properties, channels);
    }

    private static Event event(String topic, Object... keysAndValues) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return new Event(topic, properties);
    }

    @Test
    void anEventBecomesAMessageWhoseEventIsTheTopicAndWhoseDataIsItsSimplePropertiesAsJson() {
        EventBridge bridge = bridge();
        bridge.handleEvent(event(
                "com/acme/orders/CREATED",
                "order",
                "A-17",
                "amount",
                12.5,
                "count",
                3,
                "paid",
                true,
                "tags",
                new String[] {"new", "big"},
                "ids",
                List.of(1L, 2L),
                "note",
                "two\nlines \"quoted\" \\",
                "bundle",
                new Object(),
                "ratio",
                Double.NaN));
        assertEquals(1, channel.published.size());
        Message message = channel.published.get(0);
        assertEquals("com/acme/orders/CREATED", message.event());
        assertEquals(
                "{\"amount\":12.5,\"count\":3,\"event.topics\":\"com/acme/orders/CREATED\",\"ids\":[1,2],"
                        + "\"note\":\"two\\nlines \\\"quoted\\\" \\\\\",\"order\":\"A-17\",\"paid\":true,"
                        + "\"ratio\":\"NaN\",\"tags\":[\"new\",\"big\"]}",
                message.data());
        assertEquals(1, bridge.published());
        assertEquals(List.of("events"), asked);
    }

    @Test
    void aDataPropertyGivesThatValueAloneAndEventsWithoutItAreSkipped() {
        EventBridge bridge = bridge("dataProperty", "payload");
        bridge.handleEvent(event("com/acme/a", "payload", "plain text\nas is"));
        bridge.handleEvent(event("com/acme/b", "payload", 42));
        bridge.handleEvent(event("com/acme/c", "payload", new int[] {1, 2}));
        bridge.handleEvent(event("com/acme/d", "other", "x"));
        assertEquals(3, channel.published.size());
        assertEquals("plain text\nas is", channel.published.get(0).data());
        assertEquals("42", channel.published.get(1).data());
        assertEquals("[1,2]", channel.published.get(2).data());
        assertEquals(1, bridge.skipped());
    }

    @Test
    void aStoppedChannelServiceOrAClosedChannelSkipsWithoutFailingEventAdmin() {
        EventBridge bridge = bridge();
        stopped.set(true);
        bridge.handleEvent(event("com/acme/a"));
        stopped.set(false);
        channel.close();
        bridge.handleEvent(event("com/acme/b"));
        assertEquals(2, bridge.skipped());
        assertEquals(0, bridge.published());
    }

    @Test
    void aRefusedConfigurationPublishesNothing() {
        List<Object[]> refused = List.of(
                new Object[] {"event.topics", new String[] {"com//acme"}},
                new Object[] {"event.topics", new String[] {"com/*/acme"}},
                new Object[] {"event.topics", new String[] {}},
                new Object[] {"event.filter", "(unclosed"},
                new Object[] {"event.filter", ""},
                new Object[] {"channel", "not a channel"},
                new Object[] {"unknown", "x"});
        for (Object[] bad : refused) {
            channel.published.clear();
            EventBridge bridge = bridge(bad);
            bridge.handleEvent(event("com/acme/x"));
            assertTrue(channel.published.isEmpty(), bad[0] + "=" + bad[1]);
        }
        bridge("event.filter", "(amount>=10)", "event.topics", "*").handleEvent(event("com/acme/x"));
        assertEquals(1, channel.published.size(), "a valid filter and the topic * are accepted");
    }

    @Test
    void topicPatternsAreEventAdminsOnes() {
        for (String ok : List.of("*", "a", "a/b", "a/b/*", "org/osgi/framework/BundleEvent/STARTED", "a-b_c/D9")) {
            assertTrue(EventBridge.isTopicPattern(ok), ok);
        }
        for (String bad : List.of("", "/", "/*", "a/", "/a", "a//b", "a/*/b", "a*", "a b", "a.b", "a/**")) {
            assertFalse(EventBridge.isTopicPattern(bad), bad);
        }
    }
}

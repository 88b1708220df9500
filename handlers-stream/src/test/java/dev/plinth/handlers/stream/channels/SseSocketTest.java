package dev.plinth.handlers.stream.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.channels.Channel;
import dev.plinth.channels.ChannelSettings;
import dev.plinth.channels.OverflowPolicy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Server-sent events of a channel over real sockets on 127.0.0.1. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SseSocketTest {

    private final Rig rig = new Rig();

    @AfterEach
    void stop() throws Exception {
        rig.close();
    }

    private static ChannelSettings replay(int replay) {
        return new ChannelSettings(replay, 1000, 1 << 20, OverflowPolicy.DROP_OLDEST);
    }

    /** Opens a stream and reads its opening comments, after which the stream's subscription exists. */
    private static StreamClient subscribe(InetSocketAddress server, String request) throws Exception {
        StreamClient client = StreamClient.open(server, request);
        assertEquals(200, client.status, client.statusLine);
        String line = client.line();
        if (line.startsWith("retry: ")) {
            line = client.line();
        }
        assertTrue(line.startsWith(": channel "), line);
        return client;
    }

    @Test
    void eachMessageIsAnEventAtOnceChunkedToHttp11() throws Exception {
        Channel channel = rig.channel("news", replay(10));
        InetSocketAddress server = rig.serve("/events", rig.sse("news", Duration.ofSeconds(15), 2_500, true));
        try (StreamClient client = subscribe(server, StreamClient.get("/events"))) {
            assertEquals(
                    "text/event-stream; charset=utf-8",
                    client.field("Content-Type").orElseThrow());
            assertEquals("no-store", client.field("Cache-Control").orElseThrow());
            assertTrue(client.chunked, client.fields.toString());
            assertTrue(client.field("Content-Length").isEmpty());
            channel.publish("tick", "one\ntwo\r\nthree\rfour");
            StreamClient.Event first = client.event();
            assertEquals(
                    new StreamClient.Event("tick", channel.epoch() + "-1", "one\ntwo\nthree\nfour", List.of()), first);
            channel.publish("", "plain");
            assertEquals(new StreamClient.Event("message", channel.epoch() + "-2", "plain", List.of()), client.event());
            // an event name that tries to inject a field stays one field
            channel.publish("x\ndata: forged\r\nid: 99", "real");
            StreamClient.Event injected = client.event();
            assertEquals("x\uFFFDdata: forged\uFFFD\uFFFDid: 99", injected.type());
            assertEquals("real", injected.data());
            assertEquals(channel.epoch() + "-3", injected.id());
        }
    }

    @Test
    void theRetryHintComesFirst() throws Exception {
        rig.channel("news", replay(10));
        InetSocketAddress server = rig.serve("/events", rig.sse("news", Duration.ofSeconds(15), 2_500, true));
        try (StreamClient client = StreamClient.open(server, StreamClient.get("/events"))) {
            assertEquals("retry: 2500", client.line());
        }
    }

    @Test
    void aHundredSubscribersReceiveEveryMessageInOrder() throws Exception {
        int subscribers = 100;
        int messages = 300;
        Channel channel = rig.channel("fan", replay(10));
        InetSocketAddress server = rig.serve("/events", rig.sse("fan"));
        List<StreamClient> clients = new ArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(16);
        try {
            for (int i = 0; i < subscribers; i++) {
                clients.add(subscribe(server, StreamClient.get("/events")));
            }
            for (int i = 1; i <= messages; i++) {
                channel.publish(i % 10 == 0 ? "tenth" : "", "message " + i + (i % 7 == 0 ? "\nsecond line" : ""));
            }
            List<Future<?>> reads = new ArrayList<>();
            for (StreamClient client : clients) {
                reads.add(readers.submit(() -> {
                    for (int i = 1; i <= messages; i++) {
                        StreamClient.Event event = client.event();
                        assertEquals(channel.epoch() + "-" + i, event.id());
                        assertEquals("message " + i + (i % 7 == 0 ? "\nsecond line" : ""), event.data());
                        assertEquals(i % 10 == 0 ? "tenth" : "message", event.type());
                    }
                    return null;
                }));
            }
            for (Future<?> read : reads) {
                read.get(30, TimeUnit.SECONDS);
            }
            assertEquals(0, channel.stats().dropped());
            assertEquals(subscribers, channel.stats().subscribers());
        } finally {
            readers.shutdownNow();
            for (StreamClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void reconnectingWithLastEventIdGetsExactlyTheMissedEvents() throws Exception {
        Channel channel = rig.channel("resume", replay(100));
        InetSocketAddress server = rig.serve("/events", rig.sse("resume"));
        String lastSeen;
        try (StreamClient client = subscribe(server, StreamClient.get("/events"))) {
            for (int i = 1; i <= 5; i++) {
                channel.publish("", "m" + i);
            }
            StreamClient.Event event = null;
            for (int i = 1; i <= 5; i++) {
                event = client.event();
            }
            lastSeen = event.id();
            assertEquals(channel.epoch() + "-5", lastSeen);
        }
        for (int i = 6; i <= 10; i++) {
            channel.publish("", "m" + i); // while the client is away
        }
        try (StreamClient client = subscribe(server, StreamClient.get("/events", "Last-Event-ID: " + lastSeen))) {
            for (int i = 6; i <= 10; i++) {
                StreamClient.Event event = client.event();
                assertEquals(channel.epoch() + "-" + i, event.id());
                assertEquals("m" + i, event.data());
            }
            channel.publish("", "m11"); // then live ones, without a repeat or a loss in between
            assertEquals("m11", client.event().data());
        }
        // the same from the query, for a first connection that resumes
        try (StreamClient client =
                subscribe(server, StreamClient.get("/events?lastEventId=" + channel.epoch() + "-9"))) {
            assertEquals("m10", client.event().data());
            assertEquals("m11", client.event().data());
        }
    }

    @Test
    void anIdOfAnotherEpochOrNotOursStartsFromNowAndSaysSo() throws Exception {
        Channel channel = rig.channel("epoch", replay(100));
        InetSocketAddress server = rig.serve("/events", rig.sse("epoch"));
        channel.publish("", "before");
        for (String id : List.of("zzzzz-1", "garbage", channel.epoch() + "-x", "-1", channel.epoch() + "-")) {
            try (StreamClient client = StreamClient.open(server, StreamClient.get("/events", "Last-Event-ID: " + id))) {
                assertTrue(client.line().startsWith(": channel "));
                String note = client.line();
                assertTrue(note.startsWith(": last event id ") && note.endsWith("; starting from now"), note);
                channel.publish("", "after " + id);
                assertEquals("after " + id, client.event().data());
            }
        }
    }

    @Test
    void resumingFromBeyondTheReplayBufferGetsAGapThenWhatRemains() throws Exception {
        Channel channel = rig.channel("window", replay(5));
        InetSocketAddress server = rig.serve("/events", rig.sse("window"));
        for (int i = 1; i <= 20; i++) {
            channel.publish("", "m" + i);
        }
        String epoch = channel.epoch();
        try (StreamClient client = subscribe(server, StreamClient.get("/events", "Last-Event-ID: " + epoch + "-2"))) {
            StreamClient.Event gap = client.event();
            assertEquals(SseFormat.GAP_EVENT, gap.type());
            assertNull(gap.id(), "a gap must not move the client's last event id");
            assertEquals("{\"from\":\"" + epoch + "-3\",\"to\":\"" + epoch + "-15\",\"missed\":13}", gap.data());
            for (int i = 16; i <= 20; i++) {
                assertEquals(epoch + "-" + i, client.event().id());
            }
        }
    }

    @Test
    void withResumeOffEveryStreamStartsFromNow() throws Exception {
        Channel channel = rig.channel("noresume", replay(100));
        InetSocketAddress server = rig.serve("/events", rig.sse("noresume", Duration.ofSeconds(15), 0, false));
        channel.publish("", "old");
        try (StreamClient client =
                subscribe(server, StreamClient.get("/events", "Last-Event-ID: " + channel.epoch() + "-0"))) {
            channel.publish("", "new");
            assertEquals("new", client.event().data());
        }
    }

    @Test
    void anIdleStreamGetsHeartbeats() throws Exception {
        rig.channel("idle", replay(0));
        InetSocketAddress server = rig.serve("/events", rig.sse("idle", Duration.ofMillis(100), 0, true));
        try (StreamClient client = subscribe(server, StreamClient.get("/events"))) {
            long start = System.nanoTime();
            assertEquals(": heartbeat", client.line());
            assertEquals(": heartbeat", client.line());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= 150, "two heartbeats in " + millis + " ms");
        }
    }

    @Test
    void http10GetsACloseDelimitedStream() throws Exception {
        Channel channel = rig.channel("old", replay(10));
        SseHandler handler = rig.sse("old");
        InetSocketAddress server = rig.serve("/events", handler);
        try (StreamClient client = subscribe(server, StreamClient.request("GET", "/events", "HTTP/1.0"))) {
            assertFalse(client.chunked);
            assertTrue(client.field("Content-Length").isEmpty());
            channel.publish("", "hello");
            assertEquals("hello", client.event().data());
            handler.close();
            assertNull(client.event());
            assertEquals(List.of("end HANDLER_STOPPING"), client.comments);
            assertTrue(client.endedByClose());
        }
    }

    @Test
    void closingTheHandlerEndsEveryStreamWithItsLastChunk() throws Exception {
        Channel channel = rig.channel("ending", replay(10));
        SseHandler handler = rig.sse("ending");
        InetSocketAddress server = rig.serve("/events", handler);
        List<StreamClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                clients.add(subscribe(server, StreamClient.get("/events")));
            }
            channel.publish("", "last");
            for (StreamClient client : clients) {
                assertEquals("last", client.event().data());
            }
            handler.close(); // what the mount's deactivation does before it unregisters the service
            for (StreamClient client : clients) {
                assertNull(client.event());
                assertEquals(List.of("end HANDLER_STOPPING"), client.comments);
                assertTrue(client.endedWithLastChunk(), "a clean end: the last chunk");
            }
            assertEquals(0, handler.hub().liveStreams());
            assertEquals(0, channel.stats().subscribers());
            try (StreamClient late = StreamClient.open(server, StreamClient.get("/events"))) {
                assertEquals(503, late.status);
            }
        } finally {
            for (StreamClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void theChannelServiceStoppingEndsStreamsCleanly() throws Exception {
        rig.channel("stopping", replay(10));
        InetSocketAddress server = rig.serve("/events", rig.sse("stopping"));
        try (StreamClient client = subscribe(server, StreamClient.get("/events"))) {
            rig.stopChannels();
            assertNull(client.event());
            assertEquals(List.of("end SERVER_STOPPING"), client.comments);
            assertTrue(client.endedWithLastChunk());
        }
    }

    @Test
    void otherMethodsAre405AndAnAcceptThatExcludesEventStreamIs406() throws Exception {
        rig.channel("strict", replay(10));
        InetSocketAddress server = rig.serve("/events", rig.sse("strict"));
        try (StreamClient post = StreamClient.open(
                server,
                StreamClient.request("POST", "/events", "HTTP/1.1", "Content-Length: 0", "Connection: close"))) {
            assertEquals(405, post.status);
            assertEquals("GET, HEAD", post.field("Allow").orElseThrow());
        }
        for (String accept : List.of("application/json", "text/html, application/xml;q=0.9", "text/event-stream;q=0")) {
            try (StreamClient client =
                    StreamClient.open(server, StreamClient.get("/events", "Accept: " + accept, "Connection: close"))) {
                assertEquals(406, client.status, accept);
            }
        }
        for (String accept : List.of("*/*", "text/*", "text/event-stream", "text/html, */*;q=0.1", "nonsense")) {
            try (StreamClient client = StreamClient.open(server, StreamClient.get("/events", "Accept: " + accept))) {
                assertEquals(200, client.status, accept);
            }
        }
        try (StreamClient head =
                StreamClient.open(server, StreamClient.request("HEAD", "/events", "HTTP/1.1", "Connection: close"))) {
            assertEquals(200, head.status);
            assertEquals(
                    "text/event-stream; charset=utf-8",
                    head.field("Content-Type").orElseThrow());
            assertTrue(head.serverClosed(), "no body after a HEAD's head");
        }
    }
}

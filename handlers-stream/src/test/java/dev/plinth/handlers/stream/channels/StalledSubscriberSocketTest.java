package dev.plinth.handlers.stream.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.channels.Channel;
import dev.plinth.channels.ChannelSettings;
import dev.plinth.channels.ChannelStats;
import dev.plinth.channels.OverflowPolicy;
import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.transport.ConnectionInfo;
import dev.plinth.http.transport.HttpServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A subscriber whose socket never reads (a small receive buffer) while five others read everything: its backlog
 * stays within the channel's per-subscriber ceiling, the others lose nothing, and once it reads again it is told,
 * by one gap event, exactly what it missed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StalledSubscriberSocketTest {

    private static final int READERS = 5;
    private static final int MESSAGES = 2_000;
    private static final int ROUND = 20;
    private static final int CEILING_MESSAGES = 100;
    private static final long CEILING_BYTES = 256 * 1024;
    private static final String PADDING = "x".repeat(4_000);

    private final Rig rig = new Rig();

    @AfterEach
    void stop() throws Exception {
        rig.close();
    }

    /** Reads one stream on a thread of its own, checking ids in order, and tells how far it has got. */
    private static final class Reader extends Thread {
        private final StreamClient client;
        private final String epoch;
        private long last;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Reader(StreamClient client, String epoch) {
            super("stalled-test-reader");
            this.client = client;
            this.epoch = epoch;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                for (long expected = 1; expected <= MESSAGES; expected++) {
                    StreamClient.Event event = client.event();
                    assertEquals("message", event.type(), "no gap for a subscriber that keeps up");
                    assertEquals(epoch + "-" + expected, event.id());
                    assertTrue(event.data().startsWith("m" + expected + " "));
                    synchronized (this) {
                        last = expected;
                        notifyAll();
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
                synchronized (this) {
                    notifyAll();
                }
            }
        }

        synchronized void awaitId(long id) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (last < id && failure.get() == null) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "reader stuck at " + last + ", waiting for " + id);
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            assertNull(failure.get(), () -> "reader failed: " + failure.get());
        }
    }

    @Test
    void aStalledSubscriberStaysWithinItsCeilingWhileTheOthersReceiveEverything() throws Exception {
        Channel channel = rig.channel(
                "stall", new ChannelSettings(0, CEILING_MESSAGES, CEILING_BYTES, OverflowPolicy.DROP_OLDEST));
        InetSocketAddress address = rig.serve("/events", rig.sse("stall"));
        HttpServer server = rig.servers.get(0);

        StreamClient stalled = StreamClient.open(address, StreamClient.get("/events"), 4096);
        assertTrue(stalled.line().startsWith(": channel ")); // subscribed; from now on it reads nothing
        List<Reader> readers = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            StreamClient client = StreamClient.open(address, StreamClient.get("/events"));
            assertTrue(client.line().startsWith(": channel "));
            Reader reader = new Reader(client, channel.epoch());
            reader.start();
            readers.add(reader);
        }
        assertEquals(READERS + 1, channel.stats().subscribers());

        long peakMessages = 0;
        long peakBytes = 0;
        long peakServerQueued = 0;
        long messageSize = 0;
        try {
            for (int i = 1; i <= MESSAGES; i++) {
                messageSize = Math.max(
                        messageSize,
                        channel.publish("", "m" + i + " " + PADDING).size());
                if (i % ROUND == 0) {
                    for (Reader reader : readers) {
                        reader.awaitId(i); // the readers have all of it: what is queued now is the stalled one's
                    }
                    ChannelStats stats = channel.stats();
                    peakMessages = Math.max(peakMessages, stats.queuedMessages());
                    peakBytes = Math.max(peakBytes, stats.queuedBytes());
                    for (ConnectionInfo connection : server.connections()) {
                        peakServerQueued = Math.max(peakServerQueued, connection.queuedBytes());
                    }
                }
            }
            for (Reader reader : readers) {
                reader.join(TimeUnit.SECONDS.toMillis(20));
                assertNull(reader.failure.get());
                assertEquals(MESSAGES, reader.last);
            }
            ChannelStats after = channel.stats();
            System.out.printf(
                    "stalled subscriber: peak queued %d messages / %d bytes in its channel queue with ceiling %d "
                            + "messages / %d bytes (+ one message of %d); peak %d bytes queued by the server for a "
                            + "connection (outbound ceiling %d); %d messages dropped for it; the %d others received "
                            + "all %d%n",
                    peakMessages,
                    peakBytes,
                    CEILING_MESSAGES,
                    CEILING_BYTES,
                    messageSize,
                    peakServerQueued,
                    CoreConfig.DEFAULT_OUTBOUND_CEILING,
                    after.dropped(),
                    READERS,
                    MESSAGES);
            assertTrue(peakMessages <= CEILING_MESSAGES, "messages " + peakMessages);
            assertTrue(peakBytes <= CEILING_BYTES + messageSize, "bytes " + peakBytes);
            assertTrue(after.dropped() > 0, "the stalled subscriber must have passed its ceiling");
            assertEquals(0, after.disconnected());

            // it reads again: what it had before the stall, one gap naming exactly what was dropped, then the rest
            long expected = 1;
            boolean gapSeen = false;
            while (expected <= MESSAGES) {
                StreamClient.Event event = stalled.event();
                if (event.type().equals(SseFormat.GAP_EVENT)) {
                    String epoch = channel.epoch();
                    assertTrue(event.data().startsWith("{\"from\":\"" + epoch + "-" + expected + "\""), event.data());
                    long to = Long.parseLong(event.data().replaceAll(".*\"to\":\"" + epoch + "-(\\d+)\".*", "$1"));
                    assertEquals(after.dropped(), to - expected + 1, "the gap is exactly the dropped messages");
                    expected = to + 1;
                    gapSeen = true;
                    continue;
                }
                assertEquals(channel.epoch() + "-" + expected, event.id());
                expected++;
            }
            assertTrue(gapSeen);
        } finally {
            stalled.close();
            for (Reader reader : readers) {
                reader.client.close();
            }
        }
    }
}

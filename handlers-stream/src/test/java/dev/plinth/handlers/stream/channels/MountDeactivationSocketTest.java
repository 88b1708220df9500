package dev.plinth.handlers.stream.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.channels.ChannelSettings;
import dev.plinth.channels.OverflowPolicy;
import dev.plinth.http.core.glue.DefaultGlue;
import dev.plinth.http.handler.Handler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A mount's deactivation with the real glue, which drains a leaving handler's exchanges: the mount ends its streams
 * before its service leaves ({@link Mounts}), so the drain finds them ending cleanly and returns at once. In the
 * order Declarative Services would use for a component's own service (service gone first), the streams, being
 * open-ended bodies, are ended by the drain itself, just as cleanly (without the mount's closing comment).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MountDeactivationSocketTest {

    private static final Map<String, Object> SERVICE = Map.of(Handler.PREFIX, "/events", "service.id", 1L);

    private final Rig rig = new Rig();
    private final DefaultGlue glue = new DefaultGlue();

    @AfterEach
    void stop() throws Exception {
        rig.close();
    }

    private List<StreamClient> open(InetSocketAddress server, int count) throws IOException {
        List<StreamClient> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StreamClient client = StreamClient.open(server, StreamClient.get("/events"));
            assertEquals(200, client.status);
            assertTrue(client.line().startsWith(": channel "));
            clients.add(client);
        }
        return clients;
    }

    @Test
    void streamsEndedBeforeTheServiceLeavesEndCleanlyAndTheDrainIsQuick() throws Exception {
        rig.channel("mount", new ChannelSettings(10, 100, 1 << 20, OverflowPolicy.DROP_OLDEST));
        SseHandler handler = rig.sse("mount");
        glue.settings(0, 0, 20_000);
        glue.addHandler(handler, SERVICE);
        List<StreamClient> clients = open(rig.serve(glue), 3);
        try {
            long start = System.nanoTime();
            handler.close(); // the mount's deactivation: streams first
            glue.removeHandler(handler, SERVICE); // then the service, whose drain waits for what is in flight
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 5_000, "the drain took " + millis + " ms");
            for (StreamClient client : clients) {
                assertNull(client.event());
                assertEquals(List.of("end HANDLER_STOPPING"), client.comments);
                assertTrue(client.endedWithLastChunk());
            }
        } finally {
            for (StreamClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void theServiceLeavingFirstHasTheDrainEndTheStreamsCleanly() throws Exception {
        rig.channel("cut", new ChannelSettings(10, 100, 1 << 20, OverflowPolicy.DROP_OLDEST));
        SseHandler handler = rig.sse("cut");
        glue.settings(0, 0, 20_000);
        glue.addHandler(handler, SERVICE);
        List<StreamClient> clients = open(rig.serve(glue), 2);
        try {
            long start = System.nanoTime();
            glue.removeHandler(handler, SERVICE); // open-ended bodies: the drain does not wait for them
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "the drain did not wait 20 s");
            for (StreamClient client : clients) {
                assertNull(client.event());
                assertTrue(client.endedWithLastChunk());
            }
        } finally {
            handler.close();
            for (StreamClient client : clients) {
                client.close();
            }
        }
    }
}

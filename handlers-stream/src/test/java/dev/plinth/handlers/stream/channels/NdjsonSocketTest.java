package dev.plinth.handlers.stream.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.channels.Channel;
import dev.plinth.channels.ChannelSettings;
import dev.plinth.channels.OverflowPolicy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A channel as newline-delimited JSON, and publishing by POST, over real sockets on 127.0.0.1. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NdjsonSocketTest {

    private final Rig rig = new Rig();

    @AfterEach
    void stop() throws Exception {
        rig.close();
    }

    private Channel channel(String name) {
        return rig.channel(name, new ChannelSettings(10, 100, 1 << 20, OverflowPolicy.DROP_OLDEST));
    }

    private static String post(String target, String body, String... fields) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String[] all = new String[fields.length + 2];
        System.arraycopy(fields, 0, all, 0, fields.length);
        all[fields.length] = "Content-Length: " + bytes.length;
        all[fields.length + 1] = "Connection: close";
        return StreamClient.request("POST", target, "HTTP/1.1", all) + new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void messagesAreJsonLinesChunkedToHttp11() throws Exception {
        Channel channel = channel("lines");
        InetSocketAddress server = rig.serve("/channel", rig.ndjson("lines", false, 1024));
        try (StreamClient client = StreamClient.open(server, StreamClient.get("/channel"))) {
            assertEquals(200, client.status);
            assertEquals("application/x-ndjson", client.field("Content-Type").orElseThrow());
            assertTrue(client.chunked);
            String epoch = channel.epoch();
            assertEquals("{\"type\":\"open\",\"channel\":\"lines\",\"epoch\":\"" + epoch + "\"}", client.line());
            channel.publish("say", "two\nlines \"quoted\" \u2028 \\ \u0001");
            String line = client.line();
            assertTrue(
                    line.startsWith("{\"type\":\"message\",\"id\":\"" + epoch + "-1\",\"event\":\"say\","
                            + "\"data\":\"two\\nlines \\\"quoted\\\" \\u2028 \\\\ \\u0001\",\"time\":\""),
                    line);
        }
    }

    @Test
    void http10GetsACloseDelimitedStreamThatEndsCleanly() throws Exception {
        Channel channel = channel("old");
        ChannelStreamHandler handler = rig.ndjson("old", false, 1024);
        InetSocketAddress server = rig.serve("/channel", handler);
        try (StreamClient client = StreamClient.open(server, StreamClient.request("GET", "/channel", "HTTP/1.0"))) {
            assertFalse(client.chunked);
            assertTrue(client.field("Content-Length").isEmpty());
            assertTrue(client.line().startsWith("{\"type\":\"open\""));
            channel.publish("", "x");
            assertTrue(client.line().contains("\"data\":\"x\""));
            handler.close();
            assertEquals("{\"type\":\"end\",\"reason\":\"HANDLER_STOPPING\"}", client.line());
            assertNull(client.line());
            assertTrue(client.endedByClose());
        }
    }

    @Test
    void postPublishesWhenAllowed() throws Exception {
        Channel channel = channel("posted");
        InetSocketAddress server = rig.serve("/channel", rig.ndjson("posted", true, 16));
        try (StreamClient watcher = StreamClient.open(server, StreamClient.get("/channel"))) {
            watcher.line();
            try (StreamClient poster = StreamClient.open(server, post("/channel?event=greeting", "héllo"))) {
                assertEquals(200, poster.status);
                assertEquals("{\"id\":\"" + channel.epoch() + "-1\"}", poster.line());
            }
            String line = watcher.line();
            assertTrue(line.contains("\"event\":\"greeting\",\"data\":\"héllo\""), line);
        }
        try (StreamClient tooLarge = StreamClient.open(server, post("/channel", "x".repeat(17)))) {
            assertEquals(413, tooLarge.status);
        }
        try (StreamClient chunked = StreamClient.open(
                server,
                StreamClient.request("POST", "/channel", "HTTP/1.1", "Transfer-Encoding: chunked", "Connection: close")
                        + "10\r\n" + "x".repeat(16) + "\r\n1\r\nx\r\n0\r\n\r\n")) {
            assertEquals(413, chunked.status, "a chunked body past the limit");
        }
        try (StreamClient injected = StreamClient.open(server, post("/channel?event=a%0Adata:%20x", "y"))) {
            assertEquals(400, injected.status);
        }
        try (StreamClient notUtf8 = StreamClient.open(
                server,
                StreamClient.request("POST", "/channel", "HTTP/1.1", "Content-Length: 1", "Connection: close")
                        + "\u00ff")) {
            assertEquals(400, notUtf8.status);
        }
        assertEquals(1, channel.stats().published());
    }

    @Test
    void postIsRefusedByDefault() throws Exception {
        Channel channel = channel("readonly");
        InetSocketAddress server = rig.serve("/channel", rig.ndjson("readonly", false, 1024));
        try (StreamClient poster = StreamClient.open(server, post("/channel", "x"))) {
            assertEquals(405, poster.status);
            assertEquals("GET, HEAD", poster.field("Allow").orElseThrow());
        }
        assertEquals(0, channel.stats().published());
    }
}

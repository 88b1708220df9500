package dev.plinth.handlers.stream.channels;

import dev.plinth.channels.Channel;
import dev.plinth.channels.ChannelSettings;
import dev.plinth.channels.Channels;
import dev.plinth.http.core.Glue;
import dev.plinth.http.core.testing.TestGlue;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.transport.HttpServer;
import dev.plinth.http.transport.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A channel service and real servers on 127.0.0.1 serving channel handlers; closes them all. */
final class Rig implements AutoCloseable {

    final Channels channels = TestChannels.start();
    final List<HttpServer> servers = new ArrayList<>();
    private final List<AutoCloseable> handlers = new ArrayList<>();
    private boolean channelsStopped;

    /**
     * @param name a channel
     * @param settings its settings
     * @return the channel, configured
     */
    Channel channel(String name, ChannelSettings settings) {
        TestChannels.configure(channels, name, settings);
        return channels.channel(name);
    }

    SseHandler sse(String channel, Duration heartbeat, long retryMillis, boolean resume) {
        SseHandler handler = new SseHandler(channels, new SseHandler.Settings(channel, heartbeat, retryMillis, resume));
        handlers.add(handler);
        return handler;
    }

    SseHandler sse(String channel) {
        return sse(channel, Duration.ofSeconds(15), 0, true);
    }

    ChannelStreamHandler ndjson(String channel, boolean publish, int maxPublishBytes) {
        ChannelStreamHandler handler = new ChannelStreamHandler(
                channels,
                new ChannelStreamHandler.Settings(channel, Duration.ofSeconds(15), true, publish, maxPublishBytes));
        handlers.add(handler);
        return handler;
    }

    /**
     * @param prefix where to mount the handler
     * @param handler the handler
     * @return the address of a new server on 127.0.0.1 serving it
     */
    InetSocketAddress serve(String prefix, Handler handler) throws IOException {
        return serve(TestGlue.of(prefix, handler));
    }

    /**
     * @param glue the glue
     * @return the address of a new server on 127.0.0.1 using it
     */
    InetSocketAddress serve(Glue glue) throws IOException {
        HttpServer server = new HttpServer(ServerConfig.of("127.0.0.1", 0), glue);
        servers.add(server);
        return server.start();
    }

    /** Stops the channel service: every channel closes with {@code SERVER_STOPPING}. */
    void stopChannels() {
        channelsStopped = true;
        TestChannels.stop(channels);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable handler : handlers) {
            handler.close();
        }
        for (HttpServer server : servers) {
            server.stop(1_000);
        }
        if (!channelsStopped) {
            TestChannels.stop(channels);
        }
    }
}

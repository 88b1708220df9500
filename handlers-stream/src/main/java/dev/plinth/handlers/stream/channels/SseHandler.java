package dev.plinth.handlers.stream.channels;

import dev.plinth.channels.Channel;
import dev.plinth.channels.Channels;
import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import java.time.Duration;
import java.util.Objects;

/**
 * Streams one channel as server-sent events ({@link SseFormat}): {@code GET} answers 200 {@code text/event-stream}
 * with {@code Cache-Control: no-store} and an {@linkplain dev.plinth.http.handler.Body#openEnded open-ended} body
 * (chunked to HTTP/1.1 clients, close-delimited to HTTP/1.0 ones; a server that drains or stops ends it cleanly rather
 * than waiting for it), each message an event sent the moment the channel delivers it, a heartbeat comment on a stream
 * idle for the heartbeat interval. With resumption on, {@code Last-Event-ID} (or {@code ?lastEventId=}) resumes
 * after that event ({@link Resume}). {@code HEAD} answers the same head without a body; other methods 405; an
 * {@code Accept} that excludes {@code text/event-stream} 406 ({@link Accepts}); a stopped channel service or handler
 * 503.
 *
 * <p>{@link #close()} ends every stream cleanly: the client gets the comment {@code : end HANDLER_STOPPING} and the
 * body's proper end (the last chunk), and its {@code EventSource} reconnects with its last event id.
 */
final class SseHandler implements Handler.Synchronous, AutoCloseable {

    static final String ALLOW = "GET, HEAD";

    /**
     * One mount's settings.
     *
     * @param channel the channel's name
     * @param heartbeat how long a stream may be idle before a heartbeat comment
     * @param retryMillis the reconnection time told to clients, 0 for none
     * @param resume whether a client's last event id is honoured
     */
    record Settings(String channel, Duration heartbeat, long retryMillis, boolean resume) {
        Settings {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(heartbeat, "heartbeat");
        }
    }

    private final Channels channels;
    private final Settings settings;
    private final SseFormat format;
    private final StreamHub hub;

    /**
     * @param channels the channel service
     * @param settings the mount's settings
     */
    SseHandler(Channels channels, Settings settings) {
        this.channels = channels;
        this.settings = settings;
        this.format = new SseFormat(settings.retryMillis());
        this.hub = new StreamHub(settings.heartbeat(), "plinth-sse-" + settings.channel());
    }

    @Override
    public Response respond(Request request) {
        String method = request.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Response.text(405, "Method Not Allowed\n").header("Allow", ALLOW);
        }
        if (!Accepts.allows(request.headers().all("Accept"), "text", "event-stream")) {
            return Response.text(406, "this resource is a text/event-stream\n");
        }
        Channel channel = channel(settings.channel(), channels, hub);
        if (channel == null) {
            return unavailable();
        }
        Resume resume = settings.resume() ? Resume.from(Resume.lastEventId(request), channel.epoch()) : Resume.LIVE;
        String first = format.open(channel.name(), channel.epoch(), resume.note());
        return Response.of(200)
                .header("Content-Type", format.contentType())
                .header("Cache-Control", "no-store")
                .header("X-Accel-Buffering", "no")
                .header("X-Content-Type-Options", "nosniff")
                .body(Body.openEnded(new ChannelStream(hub, channel, resume.lastSeenId(), format, first)));
    }

    /** Ends every stream cleanly; requests from now on are answered 503. */
    @Override
    public void close() {
        hub.close();
    }

    StreamHub hub() {
        return hub;
    }

    /**
     * @return the channel, or null if the channel service or the handler has stopped
     */
    static Channel channel(String name, Channels channels, StreamHub hub) {
        if (hub.closed()) {
            return null;
        }
        try {
            return channels.channel(name);
        } catch (IllegalStateException stopped) {
            return null;
        }
    }

    static Response unavailable() {
        return Response.text(503, "the channel is not available now\n").header("Retry-After", "1");
    }
}

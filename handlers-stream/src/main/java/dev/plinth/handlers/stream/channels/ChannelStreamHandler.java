package dev.plinth.handlers.stream.channels;

import dev.plinth.channels.Channel;
import dev.plinth.channels.Channels;
import dev.plinth.channels.Message;
import dev.plinth.http.handler.Bodies;
import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A channel for plain HTTP clients: {@code GET} streams it as newline-delimited JSON ({@link NdjsonFormat}: 200
 * {@code application/x-ndjson}, one object per line, open-ended: chunked to HTTP/1.1 clients and close-delimited to HTTP/1.0
 * ones, each message a line sent the moment the channel delivers it, resumable with {@code ?lastEventId=} or
 * {@code Last-Event-ID} as for SSE). {@code HEAD} answers the head alone.
 *
 * <p>With publishing on, {@code POST} publishes its body, UTF-8 text of at most {@code maxPublishBytes} (more: 413;
 * not UTF-8: 400), as one message whose event is the query parameter {@code event} (none when absent; one holding
 * CR, LF or NUL: 400), and answers 200 {@code {"id":"<epoch>-<n>"}}. Without it, and for other methods: 405.
 */
final class ChannelStreamHandler implements Handler, AutoCloseable {

    /**
     * One mount's settings.
     *
     * @param channel the channel's name
     * @param heartbeat how long a stream may be idle before a heartbeat line
     * @param resume whether a client's last event id is honoured
     * @param publish whether {@code POST} publishes
     * @param maxPublishBytes the largest body {@code POST} accepts
     */
    record Settings(String channel, Duration heartbeat, boolean resume, boolean publish, int maxPublishBytes) {
        Settings {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(heartbeat, "heartbeat");
        }
    }

    private final Channels channels;
    private final Settings settings;
    private final NdjsonFormat format = new NdjsonFormat();
    private final StreamHub hub;

    /**
     * @param channels the channel service
     * @param settings the mount's settings
     */
    ChannelStreamHandler(Channels channels, Settings settings) {
        this.channels = channels;
        this.settings = settings;
        this.hub = new StreamHub(settings.heartbeat(), "plinth-channel-" + settings.channel());
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        String method = request.method();
        if (method.equals("GET") || method.equals("HEAD")) {
            return CompletableFuture.completedFuture(stream(request));
        }
        if (method.equals("POST") && settings.publish()) {
            return publish(request);
        }
        return CompletableFuture.completedFuture(
                Response.text(405, "Method Not Allowed\n").header("Allow", allow()));
    }

    private String allow() {
        return settings.publish() ? "GET, HEAD, POST" : SseHandler.ALLOW;
    }

    private Response stream(Request request) {
        Channel channel = SseHandler.channel(settings.channel(), channels, hub);
        if (channel == null) {
            return SseHandler.unavailable();
        }
        Resume resume = settings.resume() ? Resume.from(Resume.lastEventId(request), channel.epoch()) : Resume.LIVE;
        String first = format.open(channel.name(), channel.epoch(), resume.note());
        return Response.of(200)
                .header("Content-Type", format.contentType())
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .body(Body.openEnded(new ChannelStream(hub, channel, resume.lastSeenId(), format, first)));
    }

    private CompletionStage<Response> publish(Request request) {
        int max = settings.maxPublishBytes();
        if (request.contentLength() > max) {
            return CompletableFuture.completedFuture(tooLarge(max));
        }
        String event = request.queryParameter("event").orElse("");
        if (!SseEncoder.neutralise(event).equals(event)) {
            return CompletableFuture.completedFuture(Response.text(400, "the event must not contain CR, LF or NUL\n"));
        }
        return Bodies.collect(request.body(), max).handle((bytes, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                if (cause instanceof Bodies.BodyTooLargeException) {
                    return tooLarge(max);
                }
                throw new CompletionException(cause);
            }
            String data;
            try {
                data = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException e) {
                return Response.text(400, "the body must be UTF-8 text\n");
            }
            Channel channel = SseHandler.channel(settings.channel(), channels, hub);
            if (channel == null) {
                return SseHandler.unavailable();
            }
            Message message;
            try {
                message = channel.publish(event, data);
            } catch (IllegalStateException closed) {
                return SseHandler.unavailable();
            }
            return Response.of(200)
                    .header("Content-Type", "application/json")
                    .header("Cache-Control", "no-store")
                    .body(Body.of("{\"id\":" + Json.quote(Resume.id(channel.epoch(), message.id())) + "}\n"));
        });
    }

    private static Response tooLarge(int max) {
        return Response.text(413, "a message is at most " + max + " bytes\n");
    }

    /** Ends every stream cleanly; requests from now on are answered 503. */
    @Override
    public void close() {
        hub.close();
    }

    StreamHub hub() {
        return hub;
    }
}

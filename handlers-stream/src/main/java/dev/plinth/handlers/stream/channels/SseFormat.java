package dev.plinth.handlers.stream.channels;

import dev.plinth.channels.Message;

/**
 * Server-sent events ({@code text/event-stream}).
 *
 * <ul>
 * <li>the stream opens with {@code retry: <ms>} (when configured) and a comment naming the channel and its epoch,
 *     plus a comment when the client's last event id was not honoured;</li>
 * <li>a message is an event whose type is the message's event (none when empty; CR, LF and NUL replaced by U+FFFD),
 *     whose {@code id} is {@code <epoch>-<message id>}, and whose data is the message's data;</li>
 * <li>messages the client missed are an event of type {@value #GAP_EVENT} without an id (so the client's last
 *     event id stays that of the last message it got), whose data is a JSON object
 *     {@code {"from":"<epoch>-<first>","to":"<epoch>-<last>","missed":<count>}};</li>
 * <li>a heartbeat is the comment {@code : heartbeat}; the end is the comment {@code : end <reason>}.</li>
 * </ul>
 */
final class SseFormat implements StreamFormat {

    /** The type of the event that tells a client it missed messages. */
    static final String GAP_EVENT = "plinth-gap";

    /** The response's {@code Content-Type}. */
    static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

    private final long retryMillis;

    /** @param retryMillis the reconnection time to tell clients, or 0 for none */
    SseFormat(long retryMillis) {
        this.retryMillis = retryMillis;
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public String open(String channel, String epoch, String note) {
        StringBuilder out = new StringBuilder(128);
        if (retryMillis > 0) {
            out.append(SseEncoder.retry(retryMillis));
        }
        out.append(SseEncoder.comment("channel " + channel + ", epoch " + epoch));
        if (note != null) {
            out.append(SseEncoder.comment(note));
        }
        return out.toString();
    }

    @Override
    public String message(String epoch, Message message) {
        return SseEncoder.event(SseEncoder.neutralise(message.event()), Resume.id(epoch, message.id()), message.data());
    }

    @Override
    public String gap(String epoch, long fromId, long toId) {
        return SseEncoder.event(GAP_EVENT, null, gapJson(epoch, fromId, toId));
    }

    @Override
    public String heartbeat() {
        return ": heartbeat\n";
    }

    @Override
    public String end(String reason) {
        return SseEncoder.comment("end " + reason);
    }

    /** @return {@code {"from":"<epoch>-<from>","to":"<epoch>-<to>","missed":<count>}} */
    static String gapJson(String epoch, long fromId, long toId) {
        return "{\"from\":" + Json.quote(Resume.id(epoch, fromId)) + ",\"to\":" + Json.quote(Resume.id(epoch, toId))
                + ",\"missed\":" + (toId - fromId + 1) + "}";
    }
}

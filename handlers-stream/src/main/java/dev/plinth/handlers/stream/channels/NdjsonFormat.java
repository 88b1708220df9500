package dev.plinth.handlers.stream.channels;

import dev.plinth.channels.Message;

/**
 * Newline-delimited JSON ({@code application/x-ndjson}): one JSON object per line, each with a {@code type}.
 *
 * <pre>
 * {"type":"open","channel":"news","epoch":"2kx0l9v1c7q3"}            first; "note" when the last id was not honoured
 * {"type":"message","id":"2kx0l9v1c7q3-7","event":"tick","data":"line one\nline two","time":"2026-11-30T16:00:00Z"}
 * {"type":"gap","from":"2kx0l9v1c7q3-3","to":"2kx0l9v1c7q3-5","missed":3}
 * {"type":"heartbeat"}
 * {"type":"end","reason":"SERVER_STOPPING"}                            last, when the stream ends cleanly
 * </pre>
 *
 * The {@code id} is the SSE id ({@code <epoch>-<message id>}), accepted back as {@code ?lastEventId=} or
 * {@code Last-Event-ID} to resume.
 */
final class NdjsonFormat implements StreamFormat {

    /** The response's {@code Content-Type}. */
    static final String CONTENT_TYPE = "application/x-ndjson";

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public String open(String channel, String epoch, String note) {
        StringBuilder out = new StringBuilder(96).append("{\"type\":\"open\",\"channel\":");
        Json.quote(out, channel).append(",\"epoch\":");
        Json.quote(out, epoch);
        if (note != null) {
            Json.quote(out.append(",\"note\":"), note);
        }
        return out.append("}\n").toString();
    }

    @Override
    public String message(String epoch, Message message) {
        StringBuilder out = new StringBuilder(message.data().length() + 96).append("{\"type\":\"message\",\"id\":");
        Json.quote(out, Resume.id(epoch, message.id())).append(",\"event\":");
        Json.quote(out, message.event()).append(",\"data\":");
        Json.quote(out, message.data()).append(",\"time\":");
        Json.quote(out, message.time().toString());
        return out.append("}\n").toString();
    }

    @Override
    public String gap(String epoch, long fromId, long toId) {
        return "{\"type\":\"gap\"," + SseFormat.gapJson(epoch, fromId, toId).substring(1) + "\n";
    }

    @Override
    public String heartbeat() {
        return "{\"type\":\"heartbeat\"}\n";
    }

    @Override
    public String end(String reason) {
        return "{\"type\":\"end\",\"reason\":" + Json.quote(reason) + "}\n";
    }
}

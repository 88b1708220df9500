package dev.plinth.handlers.stream.channels;

import dev.plinth.channels.Channel;
import dev.plinth.http.handler.Request;

/**
 * Where a stream starts, from the id the client last saw: the {@code Last-Event-ID} field (sent by an
 * {@code EventSource} when it reconnects) or else the query parameter {@code lastEventId} (for a first connection
 * that resumes from a stored id).
 *
 * <p>An id is {@code <epoch>-<n>}: the channel's {@linkplain Channel#epoch() epoch}, then the message's id in that
 * channel. An id of the channel's current epoch resumes after message {@code n} (the channel replays what it
 * retains, preceded by a gap if some are no longer retained); any other id (another epoch, from before a restart of
 * the channel or the server, or not an id of ours) starts from now, with a {@linkplain #note note} saying so.
 *
 * @param lastSeenId the {@code lastSeenId} for {@link Channel#subscribe}
 * @param note a sentence for the client when the id was not honoured, or null
 */
record Resume(long lastSeenId, String note) {

    /** The query parameter that carries the last id seen. */
    static final String PARAMETER = "lastEventId";

    /** The request field that carries the last id seen. */
    static final String FIELD = "Last-Event-ID";

    /** Live messages only, nothing to say. */
    static final Resume LIVE = new Resume(Channel.LIVE, null);

    /** The longest id echoed in a note. */
    private static final int ECHO = 80;

    /**
     * @param epoch the channel's epoch
     * @param id the message's id in it
     * @return the stream id, {@code <epoch>-<id>}
     */
    static String id(String epoch, long id) {
        return epoch + "-" + id;
    }

    /**
     * @param request a request
     * @return the last id it says it saw: the field, else the query parameter, else null
     */
    static String lastEventId(Request request) {
        return request.headers()
                .first(FIELD)
                .or(() -> request.queryParameter(PARAMETER))
                .orElse(null);
    }

    /**
     * @param lastEventId the id the client last saw, or null
     * @param epoch the channel's epoch now
     * @return where to start
     */
    static Resume from(String lastEventId, String epoch) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return LIVE;
        }
        String id = lastEventId.strip();
        int dash = id.lastIndexOf('-');
        if (dash > 0 && id.substring(0, dash).equals(epoch)) {
            long n = counter(id.substring(dash + 1));
            if (n >= 0) {
                return new Resume(n, null);
            }
        }
        String echo = id.length() > ECHO ? id.substring(0, ECHO) + "..." : id;
        return new Resume(
                Channel.LIVE,
                "last event id " + SseEncoder.neutralise(echo) + " is not of this channel's epoch " + epoch
                        + "; starting from now");
    }

    /** @return the decimal number, or -1 if it is not one of 1 to 18 digits */
    private static long counter(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }
}

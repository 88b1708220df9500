package dev.plinth.channels;

import java.time.Instant;
import java.util.Objects;

/**
 * One message published to a channel.
 *
 * @param id assigned by the channel: 1 for its first message, then increasing by one per message
 * @param event the kind of message, empty for none
 * @param data the message's text, any characters, newlines included
 * @param time when it was published
 */
public record Message(long id, String event, String data, Instant time) {

    /**
     * @param id at least 1
     * @param event not null, maybe empty
     * @param data not null
     * @param time not null
     */
    public Message {
        if (id < 1) {
            throw new IllegalArgumentException("message ids start at 1: " + id);
        }
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(time, "time");
    }

    /**
     * What a queued message counts against a subscriber's byte ceiling: two bytes per character of its event and data
     * (Java strings' upper bound), plus 64 for the record and its fields.
     *
     * @return the message's size in bytes, for ceilings
     */
    public long size() {
        return 64L + 2L * (event.length() + (long) data.length());
    }
}

package dev.plinth.handlers.stream.channels;

import dev.plinth.channels.Message;

/**
 * How a channel's stream is written: each method returns one part of the response body, complete in itself, so that
 * every message leaves as its own part.
 */
interface StreamFormat {

    /** @return the response's {@code Content-Type} */
    String contentType();

    /**
     * @param channel the channel's name
     * @param epoch its epoch
     * @param note a sentence for the client (such as why its last event id was not honoured), or null
     * @return the first part, sent at once so that the response head leaves at once; never empty
     */
    String open(String channel, String epoch, String note);

    /**
     * @param epoch the channel's epoch
     * @param message a message
     * @return its part
     */
    String message(String epoch, Message message);

    /**
     * @param epoch the channel's epoch
     * @param fromId the first id missed
     * @param toId the last id missed
     * @return the part that tells the client it missed those messages
     */
    String gap(String epoch, long fromId, long toId);

    /** @return the part sent on an idle stream, so that proxies and clients see it is alive */
    String heartbeat();

    /**
     * @param reason why the stream ends, such as {@code SERVER_STOPPING}
     * @return the last part
     */
    String end(String reason);
}

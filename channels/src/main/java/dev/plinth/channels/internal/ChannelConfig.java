package dev.plinth.channels.internal;

import dev.plinth.channels.ChannelSettings;
import dev.plinth.channels.OverflowPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One channel's settings: a factory configuration, PID {@code dev.plinth.channels.channel}. */
@ObjectClassDefinition(
        name = "Plinth broadcast channel",
        description = "The limits of one broadcast channel: how many messages it keeps for subscribers that "
                + "resume, and how much a slow subscriber may have waiting before the policy applies.")
public @interface ChannelConfig {

    /** @return the channel's name */
    @AttributeDefinition(
            description = "The channel's name: 1 to 200 characters among A-Z a-z 0-9 . _ / - (such as news/sports).")
    String name();

    /** @return how many of its latest messages the channel retains */
    @AttributeDefinition(
            description = "How many of its latest messages the channel retains for subscribers that resume "
                    + "(Last-Event-ID); 0 for none; at most ceilingMessages.")
    int replay() default ChannelSettings.DEFAULT_REPLAY;

    /** @return the most messages a subscriber's queue holds */
    @AttributeDefinition(description = "The most messages waiting for one subscriber (published, not yet sent).")
    int ceilingMessages() default ChannelSettings.DEFAULT_CEILING_MESSAGES;

    /** @return the most bytes a subscriber's queue holds */
    @AttributeDefinition(
            description = "The most bytes waiting for one subscriber (two per character of event and data, plus "
                    + "64 per message); the newest message is always kept.")
    long ceilingBytes() default ChannelSettings.DEFAULT_CEILING_BYTES;

    /** @return what happens to a subscriber past a ceiling */
    @AttributeDefinition(
            description = "DROP_OLDEST: the oldest waiting messages are dropped, and the subscriber is told which "
                    + "(an SSE stream sends a plinth-gap event). DISCONNECT: the subscriber is disconnected.")
    OverflowPolicy policy() default OverflowPolicy.DROP_OLDEST;
}

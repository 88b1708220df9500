package dev.plinth.http.handler.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Bodies;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CountingSubscriberTest {

    @Test
    void countsTheBytesOfEachPartAndCompletesWithTheTotal() {
        CountingSubscriber reader = new CountingSubscriber(Long.MAX_VALUE);
        new ListPublisher("h\u00e9", "llo").subscribe(reader);
        assertEquals(6L, reader.done().join(), "bytes, not characters");
        assertEquals(6, reader.received());
    }

    /** Also the behaviour of handler-api's Bodies.refuse, which this subscriber exists to observe. */
    @Test
    void seesAnInertSubscriptionThenTheErrorOfARefusal() {
        CountingSubscriber refused = new CountingSubscriber(1);
        Bodies.refuse(refused, "read once");
        assertTrue(refused.subscription().isDone(), "onSubscribe first (rule 1.9)");
        CompletionException failure =
                assertThrows(CompletionException.class, () -> refused.done().join());
        assertInstanceOf(IllegalStateException.class, failure.getCause());
        assertEquals("read once", failure.getCause().getMessage());
        assertEquals(0, refused.received());
    }
}

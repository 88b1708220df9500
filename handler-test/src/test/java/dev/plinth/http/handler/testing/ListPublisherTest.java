package dev.plinth.http.handler.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Bodies;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ListPublisherTest {

    @Test
    void publishesOnlyAsManyPartsAsRequestedThenCompletes() {
        ListPublisher parts = new ListPublisher("ab", "c", "def");
        CountingSubscriber reader = new CountingSubscriber(1);
        parts.subscribe(reader);
        assertEquals(2, reader.received());
        assertFalse(reader.done().isDone());
        reader.subscription().join().request(1);
        assertEquals(3, reader.received());
        assertFalse(reader.done().isDone());
        reader.subscription().join().request(5);
        assertEquals(6L, reader.done().join());
        assertEquals(7, parts.requested());
        assertFalse(parts.cancelled());
    }

    @Test
    void signalsItsFailureAfterTheParts() {
        IllegalStateException broken = new IllegalStateException("broken");
        ListPublisher parts = new ListPublisher(List.of("ok"), broken);
        CountingSubscriber reader = new CountingSubscriber(Long.MAX_VALUE);
        parts.subscribe(reader);
        ExecutionException failure =
                assertThrows(ExecutionException.class, () -> reader.done().get());
        assertSame(broken, failure.getCause());
        assertEquals(2, reader.received());
        assertEquals(Long.MAX_VALUE, parts.requested());
    }

    @Test
    void cancellingStopsThePartsAndIsCounted() {
        ListPublisher parts = new ListPublisher("a", "b");
        CountingSubscriber reader = new CountingSubscriber(1);
        parts.subscribe(reader);
        reader.subscription().join().cancel();
        reader.subscription().join().request(10);
        assertTrue(parts.cancelled());
        assertEquals(1, reader.received());
        assertFalse(reader.done().isDone(), "a cancelled subscription is never completed");
    }

    @Test
    void aRequestOfZeroIsRefusedAsReactiveStreamsSays() {
        CountingSubscriber reader = new CountingSubscriber(0);
        new ListPublisher("a").subscribe(reader);
        ExecutionException failure =
                assertThrows(ExecutionException.class, () -> reader.done().get());
        assertInstanceOf(IllegalArgumentException.class, failure.getCause());
        assertEquals(0, reader.received());
    }

    @Test
    void byteParts() throws Exception {
        byte[] read = Bodies.collect(ListPublisher.ofBytes(new byte[] {1, 2}, new byte[] {3}), 10)
                .toCompletableFuture()
                .get(1, TimeUnit.SECONDS);
        assertEquals(3, read.length);
        assertEquals(3, read[2]);
    }

    @Test
    void theRequestedCountStopsAtLongMaxValue() {
        ListPublisher parts = new ListPublisher("a");
        parts.subscribe(new CountingSubscriber(Long.MAX_VALUE));
        parts.subscribe(new CountingSubscriber(Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, parts.requested());
    }
}

package dev.plinth.handlers.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TickerTest {

    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-25T12:00:01.750Z"), ZoneOffset.UTC);
    private static final Duration FAST = Duration.ofMillis(5);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private Ticker ticker;

    @AfterEach
    void close() {
        if (ticker != null) {
            ticker.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 100})
    void countedStreamSendsExactlyThatManyLinesThenCompletes(int batch) throws Exception {
        ticker = new Ticker(FAST, FIXED);
        RecordingSubscriber subscriber = new RecordingSubscriber(batch);
        ticker.lines(3).subscribe(subscriber);
        subscriber.awaitEnd(WAIT);
        assertEquals(
                List.of(
                        "2026-11-25T12:00:01Z tick 1\n",
                        "2026-11-25T12:00:01Z tick 2\n",
                        "2026-11-25T12:00:01Z tick 3\n"),
                subscriber.items);
        assertTrue(subscriber.completed());
        assertEquals(List.of(), subscriber.violations);
        assertTimerGone(subscriber);
    }

    @Test
    void firstLineComesAtOnce() throws Exception {
        ticker = new Ticker(HOUR, FIXED);
        RecordingSubscriber subscriber = new RecordingSubscriber(1);
        ticker.lines(1).subscribe(subscriber);
        subscriber.awaitEnd(WAIT);
        assertEquals(List.of("2026-11-25T12:00:01Z tick 1\n"), subscriber.items);
        assertTrue(subscriber.completed());
    }

    @Test
    void noLineWithoutDemandAndMissedTicksAreCoalesced() throws Exception {
        ticker = new Ticker(FAST, FIXED);
        RecordingSubscriber subscriber = new RecordingSubscriber(0);
        ticker.lines(Ticker.UNLIMITED).subscribe(subscriber);
        TickSubscription stream = (TickSubscription) subscriber.subscription();
        Await.until("five ticks fired", () -> stream.fired() >= 5);
        assertEquals(List.of(), subscriber.items, "no demand, no line");

        subscriber.request(1);
        Await.until("one line", () -> subscriber.items.size() == 1);
        long fired = stream.fired();
        Await.until("five more ticks fired", () -> stream.fired() >= fired + 5);
        assertEquals(1, subscriber.items.size(), "missed ticks are not queued");
        assertEquals(List.of(), subscriber.violations);
    }

    @Test
    void heldTickIsSentOnTheNextRequestOnTheRequestingThread() throws Exception {
        ticker = new Ticker(HOUR, FIXED);
        RecordingSubscriber subscriber = new RecordingSubscriber(0);
        ticker.lines(Ticker.UNLIMITED).subscribe(subscriber);
        TickSubscription stream = (TickSubscription) subscriber.subscription();
        Await.until("the first tick fired", () -> stream.fired() == 1);
        Await.until("the tick task returned", () -> ticker.executor().getActiveCount() == 0);
        assertEquals(List.of(), subscriber.items);

        subscriber.request(1);
        assertEquals(List.of("2026-11-25T12:00:01Z tick 1\n"), subscriber.items, "sent within request(1)");
        subscriber.request(1);
        assertEquals(1, subscriber.items.size(), "the next tick is an hour away");
    }

    @Test
    void cancelStopsTheTimer() throws Exception {
        ticker = new Ticker(FAST, FIXED);
        RecordingSubscriber subscriber = new RecordingSubscriber(1);
        ticker.lines(Ticker.UNLIMITED).subscribe(subscriber);
        TickSubscription stream = (TickSubscription) subscriber.subscription();
        Await.until("two lines", () -> subscriber.items.size() >= 2);
        assertFalse(stream.done());

        subscriber.cancel();
        assertTimerGone(subscriber);
        assertEquals(0, subscriber.terminals.get(), "no terminal signal after cancel");
        assertEquals(List.of(), subscriber.violations);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void nonPositiveRequestFailsTheStream(long n) throws Exception {
        ticker = new Ticker(FAST, FIXED);
        RecordingSubscriber subscriber = new RecordingSubscriber(0);
        ticker.lines(Ticker.UNLIMITED).subscribe(subscriber);
        subscriber.request(n);
        subscriber.awaitEnd(WAIT);
        assertInstanceOf(IllegalArgumentException.class, subscriber.error());
        assertEquals(List.of(), subscriber.items);
        assertTimerGone(subscriber);
        subscriber.request(1);
        subscriber.cancel();
        assertEquals(1, subscriber.terminals.get());
        assertEquals(List.of(), subscriber.violations);
    }

    @Test
    void unboundedDemandDoesNotOverflow() throws Exception {
        ticker = new Ticker(FAST, FIXED);
        RecordingSubscriber subscriber = new RecordingSubscriber(0);
        ticker.lines(3).subscribe(subscriber);
        subscriber.request(Long.MAX_VALUE);
        subscriber.request(Long.MAX_VALUE);
        subscriber.awaitEnd(WAIT);
        assertEquals(3, subscriber.items.size());
        assertTrue(subscriber.completed());
    }

    @Test
    void closeEndsLiveStreamsAndStopsTheThread() throws Exception {
        ticker = new Ticker(FAST, FIXED);
        RecordingSubscriber endless = new RecordingSubscriber(1);
        RecordingSubscriber counted = new RecordingSubscriber(1);
        ticker.lines(Ticker.UNLIMITED).subscribe(endless);
        ticker.lines(1_000_000).subscribe(counted);
        Await.until("both streams running", () -> !endless.items.isEmpty() && !counted.items.isEmpty());

        ticker.close();
        endless.awaitEnd(WAIT);
        counted.awaitEnd(WAIT);
        assertTrue(endless.completed(), "an endless stream completes");
        assertInstanceOf(CancellationException.class, counted.error(), "a counted stream is cut short");
        assertEquals(0, ticker.liveStreams());
        assertTrue(ticker.executor().awaitTermination(5, TimeUnit.SECONDS));
        assertEquals(List.of(), endless.violations);
        assertEquals(List.of(), counted.violations);

        RecordingSubscriber late = new RecordingSubscriber(1);
        ticker.lines(1).subscribe(late);
        late.awaitEnd(WAIT);
        assertInstanceOf(IllegalStateException.class, late.error());
    }

    @Test
    void timerThreadIsANamedDaemon() throws Exception {
        ticker = new Ticker(FAST, FIXED);
        Thread thread = ticker.executor().submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
        assertTrue(thread.isDaemon());
        assertTrue(thread.getName().startsWith("plinth-clock-"), thread.getName());
    }

    private void assertTimerGone(RecordingSubscriber subscriber) throws InterruptedException {
        TickSubscription stream = (TickSubscription) subscriber.subscription();
        Await.until("the stream ended", stream::done);
        assertTrue(stream.timerCancelled(), "timer not cancelled");
        assertEquals(0, ticker.liveStreams());
        // a task cancelled while it ran may be queued once more, then drops out at its next run without ticking
        Await.until("no timer task queued", () -> ticker.executor().getQueue().isEmpty());
        assertFalse(ticker.executor().isShutdown());
    }
}

package dev.plinth.channels.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.channels.Channel;
import dev.plinth.channels.ChannelSettings;
import dev.plinth.channels.ChannelStats;
import dev.plinth.channels.Channels;
import dev.plinth.channels.CloseReason;
import dev.plinth.channels.Message;
import dev.plinth.channels.OverflowPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ChannelsServiceTest {

    private final ChannelsService service = new ChannelsService();

    @AfterEach
    void stop() {
        service.deactivate();
    }

    private Channel configured(String name, int replay, int ceilingMessages, long ceilingBytes, OverflowPolicy p) {
        service.addConfiguration(
                new ChannelConfiguration(name, new ChannelSettings(replay, ceilingMessages, ceilingBytes, p)));
        return service.channel(name);
    }

    @Test
    void hundredSubscribersReceiveEveryMessageOfTenThousandInOrderFromFourPublishers() throws Exception {
        Channel channel = configured("fan/out", 100, 20_000, Long.MAX_VALUE, OverflowPolicy.DISCONNECT);
        int total = 10_000;
        List<Recorder> recorders = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            recorders.add(
                    new Recorder(i % 2 == 0 ? Long.MAX_VALUE : 1 + i % 16, total).subscribe(channel, Channel.LIVE));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread publisher = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < total / 4; i++) {
                    channel.publish("tick", "line one\nline two");
                }
            });
            publisher.start();
            publishers.add(publisher);
        }
        start.countDown();
        for (Thread publisher : publishers) {
            publisher.join();
        }
        for (Recorder recorder : recorders) {
            recorder.awaitUntil();
            recorder.assertExactly(1, total);
            assertTrue(recorder.gaps().isEmpty());
        }
        ChannelStats stats = channel.stats();
        assertEquals(100, stats.subscribers());
        assertEquals(total, stats.published());
        assertEquals(0, stats.dropped());
        assertEquals(0, stats.disconnected());
    }

    @Test
    void stalledSubscriberStaysWithinItsCeilingThenGetsOneGapForExactlyTheDroppedIds() throws Exception {
        Channel channel = configured("drop", 10, 50, Long.MAX_VALUE, OverflowPolicy.DROP_OLDEST);
        Recorder stalled = new Recorder(Recorder.STALLED, 1000).subscribe(channel, Channel.LIVE);
        List<Recorder> others = publishPast(channel, stalled);
        for (Recorder other : others) {
            other.awaitUntil();
            other.assertExactly(1, 1000);
        }
        assertEquals(50, stalled.outlet().queuedMessages());
        assertTrue(stalled.ids().isEmpty());
        assertEquals(950, channel.stats().dropped());
        assertEquals(50, channel.stats().queuedMessages());

        stalled.subscription().request(Long.MAX_VALUE);
        stalled.awaitUntil();
        stalled.assertExactly(951, 1000);
        assertEquals(1, stalled.gaps().size());
        assertArrayEquals(new long[] {1, 950}, stalled.gaps().get(0));
        assertEquals(0, stalled.outlet().queuedMessages());
    }

    private static void publish(Channel channel, int count) {
        for (int i = 0; i < count; i++) {
            channel.publish("", "m");
        }
    }

    /**
     * Publishes 1000 messages past a stalled subscriber (whose queue must stay within the ceiling of 50) and two that
     * keep up, one requesting everything, one 3 at a time.
     *
     * @return the two that keep up
     */
    private static List<Recorder> publishPast(Channel channel, Recorder stalled) throws InterruptedException {
        List<Recorder> others = List.of(
                new Recorder(Long.MAX_VALUE, 1000).subscribe(channel, Channel.LIVE),
                new Recorder(3, 1000).subscribe(channel, Channel.LIVE));
        for (int i = 1; i <= 1000; i++) {
            channel.publish("", "m" + i);
            assertTrue(stalled.outlet().queuedMessages() <= 50);
            keepPace(i, others);
        }
        return others;
    }

    /** Every 10 messages, waits for the subscribers that keep up, so that a ceiling of 50 never catches them. */
    private static void keepPace(long id, List<Recorder> recorders) throws InterruptedException {
        if (id % 10 == 0) {
            for (Recorder recorder : recorders) {
                recorder.awaitId(id);
            }
        }
    }

    @Test
    void byteCeilingBoundsTheQueueToItPlusOneMessage() throws Exception {
        long ceiling = 10_000;
        Channel channel = configured("bytes", 0, 1000, ceiling, OverflowPolicy.DROP_OLDEST);
        Recorder stalled = new Recorder(Recorder.STALLED, 500).subscribe(channel, Channel.LIVE);
        Random random = new Random(15);
        long largest = 0;
        for (int i = 0; i < 500; i++) {
            Message m = channel.publish("e", "x".repeat(random.nextInt(3000)));
            largest = Math.max(largest, m.size());
            assertTrue(
                    stalled.outlet().queuedBytes() <= ceiling + largest,
                    "bytes " + stalled.outlet().queuedBytes());
        }
        assertTrue(channel.stats().queuedBytes() <= ceiling + largest);
        stalled.subscription().request(Long.MAX_VALUE);
        stalled.awaitUntil();
        List<long[]> gaps = stalled.gaps();
        assertEquals(1, gaps.size());
        assertEquals(1, gaps.get(0)[0]);
        long first = gaps.get(0)[1] + 1;
        stalled.assertExactly(first, 500);
    }

    @Test
    void withDisconnectTheStalledSubscriberIsClosedAsSlowAndTheOthersAreUnaffected() throws Exception {
        Channel channel = configured("cut", 10, 50, Long.MAX_VALUE, OverflowPolicy.DISCONNECT);
        Recorder stalled = new Recorder(Recorder.STALLED, 1000).subscribe(channel, Channel.LIVE);
        List<Recorder> others = publishPast(channel, stalled);
        assertEquals(CloseReason.SLOW_CONSUMER, stalled.awaitClosed());
        assertTrue(stalled.ids().isEmpty());
        for (Recorder other : others) {
            other.awaitUntil();
            other.assertExactly(1, 1000);
            assertNull(other.closed());
        }
        ChannelStats stats = channel.stats();
        assertEquals(2, stats.subscribers());
        assertEquals(1, stats.disconnected());
        assertEquals(0, stats.dropped());
    }

    @Test
    void replayGivesTheRetainedMessagesAfterTheLastSeenThenLiveOnes() throws Exception {
        Channel channel = configured("replay", 100, 1000, Long.MAX_VALUE, OverflowPolicy.DROP_OLDEST);
        publish(channel, 50);
        Recorder resumed = new Recorder(Long.MAX_VALUE, 60).subscribe(channel, 20);
        Recorder all = new Recorder(4, 60).subscribe(channel, 0);
        Recorder live = new Recorder(Long.MAX_VALUE, 60).subscribe(channel, Channel.LIVE);
        Recorder ahead = new Recorder(Long.MAX_VALUE, 60).subscribe(channel, 50);
        publish(channel, 10);
        for (Recorder recorder : List.of(resumed, all, live, ahead)) {
            recorder.awaitUntil();
            assertTrue(recorder.gaps().isEmpty());
        }
        resumed.assertExactly(21, 60);
        all.assertExactly(1, 60);
        live.assertExactly(51, 60);
        ahead.assertExactly(51, 60);
        assertThrows(IllegalArgumentException.class, () -> channel.subscribe(-2, live));
    }

    @Test
    void resumingBeyondTheReplayWindowGetsAGapFirst() throws Exception {
        Channel channel = configured("window", 100, 1000, Long.MAX_VALUE, OverflowPolicy.DROP_OLDEST);
        publish(channel, 300);
        assertEquals(100, channel.stats().retained());
        Recorder resumed = new Recorder(Long.MAX_VALUE, 301).subscribe(channel, 50);
        Recorder fromStart = new Recorder(Long.MAX_VALUE, 301).subscribe(channel, 0);
        channel.publish("", "live");
        resumed.awaitUntil();
        fromStart.awaitUntil();
        resumed.assertExactly(201, 301);
        assertEquals(1, resumed.gaps().size());
        assertArrayEquals(new long[] {51, 200}, resumed.gaps().get(0));
        assertArrayEquals(new long[] {1, 200}, fromStart.gaps().get(0));
    }

    @Test
    void noReplayBufferStillTellsTheGap() throws Exception {
        Channel channel = configured("none", 0, 10, Long.MAX_VALUE, OverflowPolicy.DROP_OLDEST);
        publish(channel, 5);
        Recorder resumed = new Recorder(Long.MAX_VALUE, 6).subscribe(channel, 2);
        channel.publish("", "m");
        resumed.awaitUntil();
        resumed.assertExactly(6, 6);
        assertArrayEquals(new long[] {3, 5}, resumed.gaps().get(0));
    }

    @Test
    void noLossOrDuplicateBetweenReplayAndLiveWhilePublishing() throws Exception {
        Channel channel = configured("race", 1000, 100_000, Long.MAX_VALUE, OverflowPolicy.DISCONNECT);
        Random random = new Random(42);
        for (int iteration = 0; iteration < 200; iteration++) {
            long base = channel.stats().published();
            long until = base + 300;
            AtomicBoolean go = new AtomicBoolean(true);
            Thread publisher = new Thread(() -> {
                for (long i = base; i < until && go.get(); i++) {
                    channel.publish("", "m");
                }
            });
            publisher.start();
            // at most until - 1: a subscriber that has seen the last message of the iteration (possible when the
            // draw is 0 and the publisher has already finished) would wait for a message that never comes
            long seen = Math.min(until - 1, Math.max(0, channel.stats().published() - random.nextInt(150)));
            Recorder recorder = new Recorder(random.nextBoolean() ? Long.MAX_VALUE : 5, until).subscribe(channel, seen);
            publisher.join();
            recorder.awaitUntil();
            recorder.assertExactly(seen + 1, until);
            assertTrue(recorder.gaps().isEmpty(), "gap at iteration " + iteration);
            recorder.subscription().cancel();
        }
        assertEquals(0, channel.stats().subscribers());
    }

    @Test
    void cancelRequestAndPublishFromWithinCallbacks() throws Exception {
        Channel channel = configured("reentrant", 10, 10_000, Long.MAX_VALUE, OverflowPolicy.DROP_OLDEST);
        Channel other = service.channel("reentrant/other");
        Recorder cancelling = new Recorder(1, Long.MAX_VALUE);
        CountDownLatch cancelled = new CountDownLatch(1);
        cancelling.onMessage(m -> {
            if (m.id() == 5) {
                cancelling.subscription().cancel();
                cancelled.countDown();
            }
        });
        cancelling.subscribe(channel, Channel.LIVE);
        Recorder echoing = new Recorder(1, 0);
        AtomicLong pongs = new AtomicLong();
        CountDownLatch pongsDone = new CountDownLatch(1);
        echoing.onMessage(m -> {
            if (m.event().equals("ping")) {
                channel.publish("pong", m.data()); // publishing to the same channel, from its own delivery
                other.publish("pong", m.data());
            } else if (m.event().equals("pong") && pongs.incrementAndGet() == 100) {
                pongsDone.countDown();
            }
        });
        echoing.subscribe(channel, Channel.LIVE);
        Recorder watcher = new Recorder(2, 200).subscribe(channel, Channel.LIVE);
        Recorder otherWatcher = new Recorder(Long.MAX_VALUE, 100).subscribe(other, Channel.LIVE);
        for (int i = 0; i < 100; i++) {
            channel.publish("ping", Integer.toString(i));
        }
        assertTrue(pongsDone.await(20, TimeUnit.SECONDS));
        watcher.awaitUntil();
        otherWatcher.awaitUntil();
        watcher.assertExactly(1, 200);
        otherWatcher.assertExactly(1, 100);
        // its deliveries are its own: the others' being over says nothing about how far it has got
        assertTrue(cancelled.await(20, TimeUnit.SECONDS), "not cancelled; got " + cancelling.ids());
        cancelling.assertExactly(1, 5);
        assertFalse(echoing.overlapped());
        assertNull(cancelling.closed());
        assertEquals(2, channel.stats().subscribers());
    }

    @Test
    void aSubscriberThatThrowsIsCancelled() throws Exception {
        ChannelsService direct = new ChannelsService(Runnable::run); // deliveries on the publisher's thread
        Channel channel = direct.channel("throws");
        Recorder failing = new Recorder(Long.MAX_VALUE, Long.MAX_VALUE).onMessage(m -> {
            throw new IllegalStateException("test: a failing subscriber");
        });
        failing.subscribe(channel, Channel.LIVE);
        Recorder fine = new Recorder(Long.MAX_VALUE, 3).subscribe(channel, Channel.LIVE);
        publish(channel, 3);
        fine.awaitUntil();
        fine.assertExactly(1, 3);
        assertEquals(1, failing.ids().size());
        assertEquals(1, channel.stats().subscribers());
        direct.deactivate();
    }

    @Test
    void deactivationClosesEverySubscriptionWithServerStopping() throws Exception {
        List<Recorder> recorders = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            Channel channel = service.channel("stop/" + c);
            channels.add(channel);
            for (int s = 0; s < 5; s++) {
                recorders.add(new Recorder(s == 0 ? Recorder.STALLED : 1, 0).subscribe(channel, Channel.LIVE));
            }
            channel.publish("", "last");
        }
        service.deactivate();
        for (Recorder recorder : recorders) {
            assertEquals(CloseReason.SERVER_STOPPING, recorder.awaitClosed());
        }
        assertThrows(IllegalStateException.class, () -> service.channel("stop/0"));
        assertThrows(IllegalStateException.class, () -> channels.get(0).publish("", "late"));
        assertEquals(Set.of(), service.names());
        Recorder late = new Recorder(1, 0).subscribe(channels.get(1), Channel.LIVE);
        assertEquals(CloseReason.SERVER_STOPPING, late.awaitClosed());
    }

    @Test
    void requestedMessagesAreDeliveredBeforeTheClose() throws Exception {
        ChannelsService direct = new ChannelsService(Runnable::run);
        Channel channel = direct.channel("requested");
        Recorder stalled = new Recorder(Recorder.STALLED, 0).subscribe(channel, Channel.LIVE);
        publish(channel, 10);
        // With the caller's thread as executor, nothing is delivered until a request or a close.
        stalled.outlet().request(3);
        stalled.assertExactly(1, 3);
        stalled.outlet().close(CloseReason.CHANNEL_CLOSED); // 7 queued, none requested: discarded
        assertEquals(CloseReason.CHANNEL_CLOSED, stalled.closed());
        stalled.assertExactly(1, 3);
        direct.deactivate();
    }

    @Test
    void closingAChannelFreesItsNameAndIdsStartAgain() throws Exception {
        Channel first = service.channel("news/sports");
        assertSame(first, service.channel("news/sports"));
        assertSame(first, service.find("news/sports").orElseThrow());
        Recorder recorder = new Recorder(Long.MAX_VALUE, 2).subscribe(first, Channel.LIVE);
        first.publish("", "a");
        first.publish("", "b");
        recorder.awaitUntil();
        first.close();
        assertEquals(CloseReason.CHANNEL_CLOSED, recorder.awaitClosed());
        recorder.assertExactly(1, 2);
        assertTrue(service.find("news/sports").isEmpty());
        assertThrows(IllegalStateException.class, () -> first.publish("", "c"));
        Channel second = service.channel("news/sports");
        assertEquals(1, second.publish("", "again").id());
    }

    @Test
    void tenThousandSubscribersShareAFewDeliveryThreads() throws Exception {
        Channel channel = configured("many", 0, 100, Long.MAX_VALUE, OverflowPolicy.DISCONNECT);
        List<Recorder> recorders = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            recorders.add(new Recorder(i % 2 == 0 ? Long.MAX_VALUE : 1, 20).subscribe(channel, Channel.LIVE));
        }
        publish(channel, 20);
        for (Recorder recorder : recorders) {
            recorder.awaitUntil();
            recorder.assertExactly(1, 20);
        }
        long threads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("plinth-channels-"))
                .count();
        assertTrue(threads >= 1 && threads <= ChannelsService.threads(), threads + " delivery threads");
        assertEquals(0, channel.stats().disconnected());
    }

    @Test
    void everyChannelHasAnEpochOfItsOwnAndANewOneAfterAClose() {
        Channel first = service.channel("epochs");
        String epoch = first.epoch();
        assertTrue(epoch.matches("[0-9a-z]{1,13}"), epoch);
        assertEquals(epoch, service.channel("epochs").epoch());
        first.close();
        Channel second = service.channel("epochs");
        assertFalse(second.epoch().equals(epoch));
        assertFalse(service.channel("other").epoch().equals(second.epoch()));
    }

    @Test
    void namesAreChecked() {
        assertTrue(Channels.isValidName("a"));
        assertTrue(Channels.isValidName("News.sports_2/live-now"));
        assertTrue(Channels.isValidName("x".repeat(200)));
        assertFalse(Channels.isValidName("x".repeat(201)));
        assertFalse(Channels.isValidName(""));
        assertFalse(Channels.isValidName(null));
        assertFalse(Channels.isValidName("a b"));
        assertFalse(Channels.isValidName("caf\u00e9"));
        assertThrows(IllegalArgumentException.class, () -> service.channel("a:b"));
        assertTrue(service.find("a:b").isEmpty());
        assertTrue(service.find(null).isEmpty());
        service.channel("one");
        service.channel("two");
        assertEquals(Set.of("one", "two"), service.names());
    }

    @Test
    void configurationsApplyToTheirChannelAndGoAway() {
        Channel channel = service.channel("configured");
        assertEquals(ChannelSettings.DEFAULTS, channel.settings());
        publish(channel, 50);
        ChannelSettings small = new ChannelSettings(5, 10, 100, OverflowPolicy.DISCONNECT);
        ChannelConfiguration configuration = new ChannelConfiguration("configured", small);
        service.addConfiguration(configuration);
        assertEquals(small, channel.settings());
        assertEquals(5, channel.stats().retained());
        assertEquals(small, service.channel("configured").settings());
        service.removeConfiguration(configuration);
        assertEquals(ChannelSettings.DEFAULTS, channel.settings());
    }
}

package dev.plinth.handlers.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.TestRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ClockHandlerTest {

    private final ClockHandler handler = new ClockHandler(
            new Ticker(Duration.ofMillis(5), Clock.fixed(Instant.parse("2026-11-25T12:00:01Z"), ZoneOffset.UTC)));

    @AfterEach
    void deactivate() {
        handler.deactivate();
    }

    @Test
    void withoutTicksTheBodyIsEndless() throws Exception {
        Body.Parts body = assertInstanceOf(
                Body.Parts.class, handle("GET", "/stream/clock").body());
        assertTrue(body.endless(), "it ends only with its connection");
    }

    @Test
    void ticksGivesExactlyThatManyLinesInABodyOfUnknownLength() throws Exception {
        Response response = handle("GET", "/stream/clock?ticks=3");
        assertEquals(200, response.status());
        assertEquals(
                "text/plain; charset=utf-8",
                response.headers().first("Content-Type").orElseThrow());
        Body.Parts body = assertInstanceOf(Body.Parts.class, response.body());
        assertEquals(-1, body.length());
        assertFalse(body.endless());

        RecordingSubscriber subscriber = new RecordingSubscriber(1);
        body.publisher().subscribe(subscriber);
        subscriber.awaitEnd(Duration.ofSeconds(5));
        assertTrue(subscriber.completed());
        assertEquals(
                "2026-11-25T12:00:01Z tick 1\n2026-11-25T12:00:01Z tick 2\n2026-11-25T12:00:01Z tick 3\n",
                subscriber.text());
        assertEquals(0, handler.ticker().liveStreams());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-1", "", "1.5", "+3", " 3", "99999999999999999999", "0x10"})
    void invalidTicksIsABadRequest(String ticks) throws Exception {
        Response response =
                handle("GET", "/stream/clock?ticks=" + ticks.replace(" ", "%20").replace("+", "%2B"));
        assertEquals(400, response.status(), ticks);
    }

    @Test
    void onlyGetAndHeadAreAllowed() throws Exception {
        Response response = handle("POST", "/stream/clock");
        assertEquals(405, response.status());
        assertEquals("GET, HEAD", response.headers().first("Allow").orElseThrow());
    }

    @Test
    void aBodyNobodySubscribesToStartsNoTimer() throws Exception {
        Response response = handle("HEAD", "/stream/clock");
        assertEquals(200, response.status());
        assertInstanceOf(Body.Parts.class, response.body());
        assertTrue(handler.ticker().executor().getQueue().isEmpty());
        assertEquals(0, handler.ticker().liveStreams());
    }

    @Test
    void deactivationCompletesAnEndlessStream() throws Exception {
        Body.Parts body = (Body.Parts) handle("GET", "/stream/clock").body();
        RecordingSubscriber subscriber = new RecordingSubscriber(1);
        body.publisher().subscribe(subscriber);
        Await.until("a line", () -> !subscriber.items.isEmpty());

        handler.deactivate();
        subscriber.awaitEnd(Duration.ofSeconds(5));
        assertTrue(subscriber.completed());
        assertTrue(handler.ticker().executor().isShutdown());
        assertEquals(0, subscriber.violations.size(), subscriber.violations.toString());
    }

    private Response handle(String method, String target) throws Exception {
        return handler.handle(TestRequest.of(method, target))
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }
}

package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.glue.DefaultGlue;
import dev.plinth.http.handler.Bodies;
import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.CountingSubscriber;
import dev.plinth.http.handler.testing.ListPublisher;
import dev.plinth.http.parser.ParserConfig;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The exchange state machine, driven in memory. */
@Timeout(20)
class HttpConnectionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private ExecutorService workers;
    private final BlockingQueue<ExchangeFacts> logged = new LinkedBlockingQueue<>();
    private final CoreCounters counters = new CoreCounters();
    private DefaultGlue glue;
    private MemoryEndpoint endpoint;
    private HttpConnection connection;
    private long nextServiceId = 1;

    @BeforeEach
    void setUp() {
        workers = Executors.newFixedThreadPool(2);
        glue = new DefaultGlue();
        mount("/hello", request -> CompletableFuture.completedStage(
                Response.text(200, "hello " + request.path() + "\n")));
        // non-blocking, so it answers while the input is fed: a test sees the held state without waiting
        glue.addHandler(request -> CompletableFuture.completedStage(Response.text(200, "now\n")),
                Map.of(Handler.PREFIX, "/now", "service.id", nextServiceId++, Handler.NONBLOCKING, true));
        connect(CoreConfig.DEFAULT);
    }

    @AfterEach
    void tearDown() {
        workers.shutdownNow();
    }

    private void connect(CoreConfig config) {
        endpoint = new MemoryEndpoint();
        connection = new HttpConnection(config, new CoreServices(glue, workers, logged::add, counters), endpoint);
        endpoint.attach(connection);
    }

    private void mount(String prefix, Handler handler) {
        glue.addHandler(handler, Map.of(Handler.PREFIX, prefix, "service.id", nextServiceId++));
    }

    private List<Responses.Parsed> responses(int count, boolean... head) {
        endpoint.runUntil(() -> count(endpoint.output()) >= count, WAIT);
        return Responses.parse(endpoint.output(), head);
    }

    private static int count(String raw) {
        int n = 0;
        for (int at = raw.indexOf("HTTP/1.1 "); at >= 0; at = raw.indexOf("HTTP/1.1 ", at + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void answersGetWithContentLengthDateAndServer() {
        endpoint.feed("GET /hello/world HTTP/1.1\r\nHost: example.com\r\n\r\n");
        Responses.Parsed response = responses(1).get(0);
        assertEquals(200, response.status());
        assertEquals("hello /hello/world\n", response.body());
        assertEquals("length", response.framing());
        assertEquals("Plinth", response.header("Server"));
        assertTrue(response.header("Date").matches("\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"));
        assertNull(response.header("Connection"));
        assertFalse(endpoint.closeRequested);
    }

    @Test
    void sameResultWhateverTheSplitOfTheInput() {
        String request = "GET /hello/split HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n";
        for (int chunk = 1; chunk <= request.length(); chunk++) {
            connect(CoreConfig.DEFAULT);
            for (int at = 0; at < request.length(); at += chunk) {
                endpoint.feed(request.substring(at, Math.min(request.length(), at + chunk)));
            }
            assertEquals("hello /hello/split\n", responses(1).get(0).body(), "chunk size " + chunk);
        }
    }

    @Test
    void hundredPipelinedRequestsInOneWriteAreAnsweredInOrder() {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            batch.append("GET /hello/").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        }
        endpoint.feed(batch.toString());
        List<Responses.Parsed> answers = responses(100);
        assertEquals(100, answers.size());
        for (int i = 0; i < 100; i++) {
            assertEquals("hello /hello/" + i + "\n", answers.get(i).body());
        }
        assertFalse(endpoint.closeRequested);
    }

    @Test
    void unknownLengthIsChunkedToHttp11AndCloseDelimitedToHttp10() {
        mount("/parts", request -> CompletableFuture.completedStage(
                Response.of(200).body(Body.ofParts(new ListPublisher("one ", "two ", "three")))));
        endpoint.feed("GET /parts HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.output().endsWith("0\r\n\r\n"), WAIT);
        Responses.Parsed chunked = Responses.parse(endpoint.output()).get(0);
        assertEquals("chunked", chunked.framing());
        assertEquals("one two three", chunked.body());
        assertFalse(endpoint.closeRequested);

        connect(CoreConfig.DEFAULT);
        endpoint.feed("GET /parts HTTP/1.0\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed, WAIT);
        Responses.Parsed closeDelimited = Responses.parse(endpoint.output()).get(0);
        assertEquals("close", closeDelimited.framing());
        assertEquals("close", closeDelimited.header("Connection"));
        assertNull(closeDelimited.header("Transfer-Encoding"));
        assertEquals("one two three", closeDelimited.body());
    }

    @Test
    void headSendsTheHeadersOfGetWithoutBody() {
        endpoint.feed("GET /hello/x HTTP/1.1\r\nHost: a\r\n\r\nHEAD /hello/x HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /hello/after HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(3, false, true, false);
        Map<String, String> get = new java.util.HashMap<>(answers.get(0).headers());
        Map<String, String> head = new java.util.HashMap<>(answers.get(1).headers());
        get.remove("date");
        head.remove("date");
        assertEquals(get, head);
        assertEquals("", answers.get(1).body());
        assertEquals("hello /hello/after\n", answers.get(2).body(), "the connection stays in sync after HEAD");
    }

    @Test
    void noHandlerGives404() {
        endpoint.feed("GET /nothing HTTP/1.1\r\nHost: a\r\n\r\n");
        Responses.Parsed response = responses(1).get(0);
        assertEquals(404, response.status());
        assertTrue(response.header("Content-Type").startsWith("text/html"));
    }

    @Test
    void handlerThrowingBeforeItsFirstPartGives500AndTheConnectionGoesOn() {
        mount("/boom", request -> {
            throw new IllegalStateException("boom");
        });
        mount("/failed", request -> CompletableFuture.failedStage(new IllegalStateException("failed")));
        endpoint.feed("GET /boom HTTP/1.1\r\nHost: a\r\n\r\nGET /failed HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /hello/ok HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(3);
        assertEquals(500, answers.get(0).status());
        assertEquals(500, answers.get(1).status());
        assertEquals(200, answers.get(2).status());
    }

    @Test
    void streamFailingBeforeItsFirstPartGives500() {
        mount("/fails", request -> CompletableFuture.completedStage(Response.of(200)
                .body(Body.ofParts(new ListPublisher(List.of(), new IllegalStateException("no data"))))));
        endpoint.feed("GET /fails HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(500, responses(1).get(0).status());
    }

    @Test
    void streamFailingAfterItsFirstPartClosesWithoutTheLastChunk() {
        mount("/half", request -> CompletableFuture.completedStage(Response.of(200)
                .body(Body.ofParts(new ListPublisher(List.of("part"), new IllegalStateException("broken"))))));
        endpoint.feed("GET /half HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed, WAIT);
        String raw = endpoint.output();
        assertTrue(raw.contains("Transfer-Encoding: chunked"));
        assertTrue(raw.endsWith("4\r\npart\r\n"), raw);
        assertFalse(raw.contains("0\r\n\r\n"));
    }

    @Test
    void handlerWritingMoreThanItsDeclaredLengthClosesTheConnection() {
        ListPublisher tooMuch = new ListPublisher("12345", "678");
        mount("/long", request -> CompletableFuture.completedStage(Response.of(200)
                .body(Body.ofParts(tooMuch, 5))));
        endpoint.feed("GET /long HTTP/1.1\r\nHost: a\r\n\r\nGET /hello/next HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed, WAIT);
        endpoint.runUntil(tooMuch.cancelled::get, WAIT);
        String raw = endpoint.output();
        assertTrue(raw.contains("Content-Length: 5\r\n"));
        assertTrue(raw.endsWith("12345"), raw);
        assertEquals(1, count(raw), "the pipelined request is not answered on a desynchronised connection");
    }

    @Test
    void handlerWritingLessThanItsDeclaredLengthClosesTheConnection() {
        mount("/short", request -> CompletableFuture.completedStage(Response.of(200)
                .body(Body.ofParts(new ListPublisher("123", "4"), 10))));
        endpoint.feed("GET /short HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed, WAIT);
        assertTrue(endpoint.output().endsWith("1234"));
    }

    @Test
    void badRequestGets400AndClose() {
        endpoint.feed("GET /hello HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed, WAIT);
        Responses.Parsed response = Responses.parse(endpoint.output()).get(0);
        assertEquals(400, response.status());
        assertEquals("close", response.header("Connection"));
    }

    @Test
    void versionTwoGets505() {
        endpoint.feed("GET /hello HTTP/2.0\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed, WAIT);
        assertEquals(505, Responses.parse(endpoint.output()).get(0).status());
    }

    @Test
    void encodedSlashInThePathGets400() {
        endpoint.feed("GET /hello/..%2f..%2fetc HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed, WAIT);
        assertEquals(400, Responses.parse(endpoint.output()).get(0).status());
    }

    @Test
    void unknownMethodGets501AndUnknownExpectationGets417() {
        endpoint.feed("BREW /hello HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\nExpect: tea\r\n\r\n"
                + "GET /hello/ok HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(3);
        assertEquals(501, answers.get(0).status());
        assertEquals(417, answers.get(1).status());
        assertEquals(200, answers.get(2).status());
    }

    @Test
    void http10KeepAliveOnlyWhenAsked() {
        endpoint.feed("GET /hello/a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /hello/b HTTP/1.0\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed, WAIT);
        List<Responses.Parsed> answers = Responses.parse(endpoint.output());
        assertEquals("keep-alive", answers.get(0).header("Connection"));
        assertEquals("close", answers.get(1).header("Connection"));
        assertEquals("hello /hello/b\n", answers.get(1).body());
    }

    @Test
    void connectionCloseIsHonoured() {
        endpoint.feed("GET /hello/a HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /hello/b HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed, WAIT);
        List<Responses.Parsed> answers = Responses.parse(endpoint.output());
        assertEquals(1, answers.size());
        assertEquals("close", answers.get(0).header("Connection"));
    }

    @Test
    void bodyIsReadWhenTheHandlerAsksAndContinueIsSentThen() {
        mount("/size", request -> Bodies.collect(request.body(), 1000)
                .thenApply(bytes -> Response.text(200, "got " + new String(bytes, StandardCharsets.UTF_8))));
        endpoint.feed("POST /size HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        endpoint.runUntil(() -> endpoint.output().startsWith("HTTP/1.1 100 Continue\r\n\r\n"), WAIT);
        endpoint.feed("abcde");
        List<Responses.Parsed> answers = responses(2);
        assertEquals(100, answers.get(0).status());
        assertEquals("got abcde", answers.get(1).body());
    }

    @Test
    void noContinueWhenTheHandlerAnswersWithoutReadingAndTheConnectionCloses() {
        endpoint.feed("POST /hello/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed, WAIT);
        String raw = endpoint.output();
        assertFalse(raw.contains("100 Continue"));
        Responses.Parsed response = Responses.parse(raw).get(0);
        assertEquals(200, response.status());
        assertEquals("close", response.header("Connection"));
    }

    @Test
    void unreadSmallBodyIsSkippedAndTheConnectionReused() {
        endpoint.feed("POST /hello/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nabcdeGET /hello/y HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        assertEquals("hello /hello/x\n", answers.get(0).body());
        assertEquals("hello /hello/y\n", answers.get(1).body());
        assertFalse(endpoint.closeRequested);
    }

    @Test
    void anAnswerToAnUnreadBodyWaitsForTheBodyThenKeepsTheConnection() {
        endpoint.feed("POST /now HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab");
        assertEquals("", endpoint.output(), "answered, but held until the body is read and checked");
        endpoint.feed("cdeGET /hello/y HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        assertEquals("now\n", answers.get(0).body());
        assertNull(answers.get(0).header("Connection"));
        assertEquals("hello /hello/y\n", answers.get(1).body());
        assertFalse(endpoint.closeRequested);
    }

    @Test
    void aMalformedUnreadChunkedBodyMakesThatVeryAnswerSayClose() {
        endpoint.feed("POST /hello/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\nZZ\r\n");
        endpoint.runUntil(() -> endpoint.closeRequested, WAIT);
        List<Responses.Parsed> answers = Responses.parse(endpoint.output());
        assertEquals(1, answers.size(), "the handler's answer, not an error page after it");
        assertEquals(200, answers.get(0).status());
        assertEquals("close", answers.get(0).header("Connection"));
    }

    @Test
    void aWellFormedUnreadChunkedBodyIsSkippedAndTheConnectionReused() {
        endpoint.feed("POST /hello/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\nGET /hello/y HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        assertNull(answers.get(0).header("Connection"));
        assertEquals("hello /hello/y\n", answers.get(1).body());
        assertFalse(endpoint.closeRequested);
    }

    @Test
    void anUnreadChunkedBodyLongerThanTheDrainLimitGetsTheAnswerWithCloseAndNothingMoreIsRead() {
        connect(new CoreConfig(ParserConfig.DEFAULT, "Plinth", 65536, 16, CoreConfig.Timeouts.DEFAULT));
        endpoint.feed("POST /now HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "20\r\n" + "x".repeat(32) + "\r\n");
        Responses.Parsed answer = Responses.parse(endpoint.output()).get(0);
        assertEquals("now\n", answer.body());
        assertEquals("close", answer.header("Connection"));
        assertTrue(endpoint.closeRequested);
        endpoint.feed("20\r\n" + "y".repeat(32) + "\r\nnot-a-size\r\n");
        assertEquals(1, Responses.parse(endpoint.output()).size(), "nothing follows the answer");
    }

    @Test
    void anUnreadBodyCutOffByTheClientGetsTheAnswerWithClose() {
        endpoint.feed("POST /now HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        assertEquals("", endpoint.output());
        endpoint.endInput();
        endpoint.runUntil(() -> endpoint.closeRequested, WAIT);
        Responses.Parsed answer = Responses.parse(endpoint.output()).get(0);
        assertEquals("now\n", answer.body());
        assertEquals("close", answer.header("Connection"));
    }

    @Test
    void anUnreadBodyThatStallsGetsTheAnswerWithCloseAtTheBodyTimeout() {
        connect(CoreConfig.DEFAULT.withTimeouts(SHORT));
        endpoint.feed("POST /now HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        connection.onTick(later(2_000));
        assertEquals("", endpoint.output());
        connection.onTick(later(3_500));
        Responses.Parsed answer = Responses.parse(endpoint.output()).get(0);
        assertEquals(200, answer.status(), "the handler's answer, not a 408");
        assertEquals("close", answer.header("Connection"));
        assertTrue(endpoint.closeRequested);
    }

    @Test
    void aStoppingServerSendsTheHeldAnswerWithCloseWithoutWaitingForTheBody() {
        endpoint.feed("POST /now HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        assertEquals("", endpoint.output());
        connection.shutdown();
        assertEquals("close", Responses.parse(endpoint.output()).get(0).header("Connection"));
        assertTrue(endpoint.closeRequested);
    }

    @Test
    void aHeldFileAnswerIsReleasedWhenTheConnectionGoesAway(@TempDir Path folder) throws Exception {
        Path file = Files.writeString(folder.resolve("f.txt"), "file body");
        FileChannel channel = FileChannel.open(file);
        glue.addHandler(request -> CompletableFuture.completedStage(
                Response.of(200).body(Body.ofFile(channel, 0, 9))),
                Map.of(Handler.PREFIX, "/file", "service.id", nextServiceId++, Handler.NONBLOCKING, true));
        endpoint.feed("POST /file HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        assertEquals("", endpoint.output());
        assertTrue(channel.isOpen(), "held");
        connection.onClose();
        assertFalse(channel.isOpen(), "the file is closed with the connection, not left to the collector");
    }

    @Test
    void relayingTheRequestBodyWithoutExpectIsNeverHeld() {
        mount("/echo", request -> CompletableFuture.completedStage(
                Response.of(200).body(Body.ofParts(request.body(), request.contentLength()))));
        endpoint.feed("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nabcde"
                + "GET /hello/next HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        assertEquals(200, answers.get(0).status());
        assertEquals("abcde", answers.get(0).body());
        assertEquals("hello /hello/next\n", answers.get(1).body());
    }

    @Test
    void anInlineHandlersBodySubscriptionIsTakenBeforeItsAnswerIsFramed() {
        CountingSubscriber body = new CountingSubscriber(Long.MAX_VALUE);
        glue.addHandler(request -> {
            request.body().subscribe(body);
            return CompletableFuture.completedStage(Response.text(200, "reading"));
        }, Map.of(Handler.PREFIX, "/reads", "service.id", nextServiceId++, Handler.NONBLOCKING, true));
        endpoint.feed("POST /reads HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n");
        // had the answer overtaken the queued subscription, it would wait for a body nobody seemed to read
        Responses.Parsed answer = responses(1).get(0);
        assertEquals("reading", answer.body());
        assertNotNull(body.subscription().orTimeout(10, TimeUnit.SECONDS).join(), "the subscriber was subscribed");
    }

    @Test
    void anUnreadBodyOverTheDrainLimitIsNotWaitedFor() {
        endpoint.feed("POST /hello/x HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closeRequested, WAIT);
        assertEquals("close", Responses.parse(endpoint.output()).get(0).header("Connection"));
    }

    @Test
    void emptyLinesBeforeAndBetweenPipelinedRequestsAreIgnored() {
        endpoint.feed("\r\nPOST /hello/x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nab\r\n"
                + "GET /hello/y HTTP/1.1\r\nHost: a\r\n\r\n\r\n\r\nGET /hello/z HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(3);
        assertEquals("hello /hello/z\n", answers.get(2).body());
        assertFalse(endpoint.closeRequested);
    }

    @Test
    void anEmptyLineAfterARequestDoesNotStartTheHeadDeadline() {
        connect(CoreConfig.DEFAULT.withTimeouts(SHORT));
        endpoint.feed("GET /hello/a HTTP/1.1\r\nHost: a\r\n\r\n\r\n");
        responses(1);
        connection.onTick(later(1_500));
        assertTrue(endpoint.closeRequested, "closed by the idle timeout");
        assertEquals(1, count(endpoint.output()), "quietly, without a 408");
    }

    @Test
    void slowBodyConsumerMakesTheCoreStopReading() {
        CountingSubscriber body = new CountingSubscriber(1);
        mount("/slow", request -> {
            request.body().subscribe(body);
            return body.done().thenApply(total -> Response.text(200, "received " + total));
        });
        int total = 1 << 20;
        endpoint.feed("POST /slow HTTP/1.1\r\nHost: a\r\nContent-Length: " + total + "\r\n\r\n");
        byte[] block = new byte[16384];
        for (int i = 0; i < total / block.length; i++) {
            endpoint.feed(block);
        }
        endpoint.runUntil(() -> body.received() > 0 && !endpoint.reading, WAIT);
        endpoint.settle();
        assertFalse(endpoint.reading, "reading paused while the handler does not ask for more");
        assertEquals(total - body.received(), endpoint.unconsumed(), "nothing consumed beyond what was asked for");
        assertTrue(body.received() <= 16384, "one read's worth delivered for one part requested");

        body.subscription().join().request(Long.MAX_VALUE);
        Responses.Parsed response = responses(1).get(0);
        assertEquals("received " + total, response.body());
    }

    @Test
    void slowClientMakesTheCoreStopPullingHandlerOutput() {
        ListPublisher many = new ListPublisher(java.util.Collections.nCopies(1000, "x".repeat(1000)), null);
        mount("/many", request -> CompletableFuture.completedStage(Response.of(200).body(Body.ofParts(many))));
        connect(CoreConfig.DEFAULT.withOutboundCeiling(10_000));
        endpoint.socketFull = true;
        endpoint.feed("GET /many HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> endpoint.pendingBytes() >= 10_000, WAIT);
        endpoint.settle();
        assertTrue(endpoint.pendingBytes() < 10_000 + 1100, "queued output stays near the ceiling: "
                + endpoint.pendingBytes());
        assertTrue(many.requested.get() < 20, "parts pulled: " + many.requested.get());
        List<String> rounds = new ArrayList<>();
        while (!endpoint.output().endsWith("0\r\n\r\n")) {
            endpoint.socketFull = true;
            endpoint.drainSocket();
            endpoint.settle();
            rounds.add("x");
            assertTrue(rounds.size() < 1000, "bounded");
        }
        assertEquals(1_000_000, Responses.parse(endpoint.output()).get(0).body().length());
    }

    @Test
    void inputEndingBetweenRequestsClosesQuietly() {
        endpoint.feed("GET /hello/a HTTP/1.1\r\nHost: a\r\n\r\n");
        responses(1);
        endpoint.endInput();
        endpoint.runUntil(() -> endpoint.closed, WAIT);
        assertEquals(1, count(endpoint.output()));
    }

    @Test
    void inputEndingInsideAHeadGets400() {
        endpoint.feed("GET /hello/a HTTP/1.1\r\nHo");
        endpoint.endInput();
        endpoint.runUntil(() -> endpoint.closed, WAIT);
        assertEquals(400, Responses.parse(endpoint.output()).get(0).status());
    }

    @Test
    void glueExplainsItsChoice() {
        mount("/hello/deep", request -> CompletableFuture.completedStage(Response.text(200, "deep")));
        var explanation = glue.explain("", "/hello/deep/x");
        assertTrue(explanation.chosen().isPresent());
        assertEquals("/hello/deep", explanation.chosen().get().prefix());
        assertNotNull(explanation.toString());
        assertTrue(explanation.others().get(0).verdict().contains("shorter"), explanation.toString());
    }

    @Test
    void handlerThatNeverAnswersGets503AndItsLateAnswerIsDropped() {
        CompletableFuture<Response> late = new CompletableFuture<>();
        mount("/never", request -> late);
        connect(CoreConfig.DEFAULT.withTimeouts(new CoreConfig.Timeouts(30_000, 10_000, 30_000, 200)));
        endpoint.feed("GET /never HTTP/1.1\r\nHost: a\r\n\r\n");
        connection.onTick(later(100));
        assertEquals(0, count(endpoint.output()), "not yet");
        connection.onTick(later(300));
        assertEquals(503, responses(1).get(0).status());
        late.complete(Response.text(200, "too late"));
        endpoint.feed("GET /hello/next HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        assertEquals("hello /hello/next\n", answers.get(1).body());
        assertFalse(endpoint.output().contains("too late"));
    }

    @Test
    void textWithoutCharsetIsDeclaredUtf8() {
        mount("/text", request -> CompletableFuture.completedStage(Response.of(200)
                .header("Content-Type", "text/plain").body(Body.of("é"))));
        mount("/latin", request -> CompletableFuture.completedStage(Response.of(200)
                .header("Content-Type", "text/plain; charset=ISO-8859-1").body(Body.of("x"))));
        endpoint.feed("GET /text HTTP/1.1\r\nHost: a\r\n\r\nGET /latin HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(2);
        assertEquals("text/plain; charset=utf-8", answers.get(0).header("Content-Type"));
        assertEquals("text/plain; charset=ISO-8859-1", answers.get(1).header("Content-Type"));
    }

    @Test
    void everyExchangeIsPublishedToTheAccessLog() throws InterruptedException {
        mount("/parts", request -> CompletableFuture.completedStage(
                Response.of(200).body(Body.ofParts(new ListPublisher("ab", "cde")))));
        endpoint.feed("GET /hello/x HTTP/1.1\r\nHost: a\r\n\r\nGET /parts?q=1 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /missing HTTP/1.1\r\nHost: a\r\n\r\n");
        responses(3);
        ExchangeFacts first = logged.poll(5, TimeUnit.SECONDS);
        ExchangeFacts second = logged.poll(5, TimeUnit.SECONDS);
        ExchangeFacts third = logged.poll(5, TimeUnit.SECONDS);
        assertEquals("GET", first.method());
        assertEquals("/hello/x", first.target());
        assertEquals("HTTP/1.1", first.version());
        assertEquals(200, first.status());
        assertEquals("hello /hello/x\n".length(), first.bodyBytes());
        assertTrue(first.complete());
        assertEquals("/parts?q=1", second.target());
        assertEquals(5, second.bodyBytes());
        assertEquals(404, third.status());
        assertEquals("127.0.0.1", first.remote().getAddress().getHostAddress());
    }

    @Test
    void rejectedRequestIsPublishedToTheAccessLog() throws InterruptedException {
        endpoint.feed("GET /x HTTP/1.1\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed, WAIT);
        ExchangeFacts facts = logged.poll(5, TimeUnit.SECONDS);
        assertEquals(400, facts.status());
        assertEquals("GET", facts.method());
    }

    @Test
    void relayingTheRequestBodyAsTheResponseKeepsTheConnectionAfter100Continue() {
        mount("/echo", request -> CompletableFuture.completedStage(
                Response.of(200).body(Body.ofParts(request.body(), request.contentLength()))));
        endpoint.feed("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        endpoint.runUntil(() -> endpoint.output().startsWith("HTTP/1.1 100 Continue\r\n\r\n"), WAIT);
        endpoint.feed("abcdeGET /hello/next HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(3);
        assertEquals("abcde", answers.get(1).body());
        assertNull(answers.get(1).header("Connection"), "the body was read, so the connection persists");
        assertEquals("hello /hello/next\n", answers.get(2).body());
    }

    @Test
    void noContentAndNotModifiedCarryNoBodyAndNoFramingFields() {
        mount("/204", request -> CompletableFuture.completedStage(Response.of(204).body(Body.of("ignored"))));
        mount("/304", request -> CompletableFuture.completedStage(Response.of(304).header("ETag", "\"x\"")
                .body(Body.ofParts(new ListPublisher("ignored")))));
        endpoint.feed("GET /204 HTTP/1.1\r\nHost: a\r\n\r\nGET /304 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /hello/after HTTP/1.1\r\nHost: a\r\n\r\n");
        List<Responses.Parsed> answers = responses(3);
        for (Responses.Parsed bodiless : answers.subList(0, 2)) {
            assertNull(bodiless.header("Content-Length"));
            assertNull(bodiless.header("Transfer-Encoding"));
            assertNull(bodiless.header("Connection"));
        }
        assertEquals("\"x\"", answers.get(1).header("ETag"));
        assertEquals("hello /hello/after\n", answers.get(2).body(), "nothing of the ignored bodies was sent");
        assertFalse(endpoint.output().contains("ignored"));
    }

    private static final CoreConfig.Timeouts SHORT = new CoreConfig.Timeouts(1_000, 2_000, 3_000, 30_000);

    private static long later(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void idleConnectionClosesQuietlyAfterTheIdleTimeout() {
        connect(CoreConfig.DEFAULT.withTimeouts(SHORT));
        endpoint.feed("GET /hello/a HTTP/1.1\r\nHost: a\r\n\r\n");
        responses(1);
        connection.onTick(later(500));
        assertFalse(endpoint.closeRequested, "not idle long enough yet");
        connection.onTick(later(1_500));
        assertTrue(endpoint.closeRequested);
        assertEquals(1, count(endpoint.output()), "closed without a word");
    }

    @Test
    void requestHeadHasADeadlineNotAPerByteTimeout() {
        connect(CoreConfig.DEFAULT.withTimeouts(SHORT));
        endpoint.feed("GET /hello/a HTTP/1.1\r\n");
        connection.onTick(later(1_500));
        assertFalse(endpoint.closeRequested, "a started head is not idle");
        endpoint.feed("X-Trickle: 1\r\n"); // more bytes do not move the deadline
        connection.onTick(later(2_500));
        endpoint.runUntil(() -> endpoint.closed, WAIT);
        Responses.Parsed response = Responses.parse(endpoint.output()).get(0);
        assertEquals(408, response.status());
        assertEquals("close", response.header("Connection"));
    }

    @Test
    void stalledRequestBodyGets408() {
        mount("/size", request -> Bodies.collect(request.body(), 1000)
                .thenApply(bytes -> Response.text(200, "got " + bytes.length)));
        connect(CoreConfig.DEFAULT.withTimeouts(SHORT));
        endpoint.feed("POST /size HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        endpoint.runUntil(() -> endpoint.reading && endpoint.unconsumed() == 0, WAIT);
        connection.onTick(later(2_000));
        assertFalse(endpoint.closeRequested);
        connection.onTick(later(3_500));
        endpoint.runUntil(() -> endpoint.closed, WAIT);
        assertEquals(408, Responses.parse(endpoint.output()).get(0).status());
    }

    @Test
    void shutdownLetsTheExchangeInProgressFinishThenCloses() {
        CompletableFuture<Response> answer = new CompletableFuture<>();
        mount("/slow", request -> answer);
        endpoint.feed("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
        endpoint.runUntil(() -> counters.requests() == 1, WAIT);
        connection.shutdown();
        assertFalse(endpoint.closeRequested, "the exchange in flight is not cut");
        answer.complete(Response.text(200, "finished"));
        endpoint.runUntil(() -> endpoint.closed, WAIT);
        Responses.Parsed response = Responses.parse(endpoint.output()).get(0);
        assertEquals("finished", response.body());
        assertEquals("close", response.header("Connection"));
    }

    @Test
    void shutdownClosesAnIdleConnectionAtOnce() {
        connection.shutdown();
        assertTrue(endpoint.closeRequested);
    }

    @Test
    void refuseAnswersWithoutReadingAndCloses() {
        connection.refuse(503, "Too many connections.");
        endpoint.runUntil(() -> endpoint.closed, WAIT);
        Responses.Parsed response = Responses.parse(endpoint.output()).get(0);
        assertEquals(503, response.status());
        assertEquals("close", response.header("Connection"));
    }

    @Test
    void countersCountRequestsAndErrors() {
        mount("/boom", request -> {
            throw new IllegalStateException("boom");
        });
        endpoint.feed("GET /hello/a HTTP/1.1\r\nHost: a\r\n\r\nGET /boom HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /nothing HTTP/1.1\r\nHost: a\r\n\r\nGET /bad HTTP/1.1\r\n\r\n");
        endpoint.runUntil(() -> endpoint.closed, WAIT);
        assertEquals(3, counters.requests());
        assertEquals(2, counters.errors(), "the 500 and the 400; a 404 is no server error");
    }
}

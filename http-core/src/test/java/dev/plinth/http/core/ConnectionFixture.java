package dev.plinth.http.core;

import dev.plinth.http.core.glue.DefaultGlue;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * What the connection tests share: one {@link HttpConnection} driven in memory through a {@link MemoryEndpoint},
 * with a glue that mounts {@code /hello} (on the workers) and {@code /now} (non-blocking, so it answers while the
 * input is fed), an access log and counters to look at.
 */
@Timeout(20)
abstract class ConnectionFixture {

    static final CoreConfig.Timeouts SHORT = new CoreConfig.Timeouts(1_000, 2_000, 3_000, 30_000);

    final BlockingQueue<ExchangeFacts> logged = new LinkedBlockingQueue<>();
    final CoreCounters counters = new CoreCounters();
    TestWorkers workers;
    DefaultGlue glue;
    MemoryEndpoint endpoint;
    HttpConnection connection;
    private long nextServiceId = 1;

    @BeforeEach
    void setUp() {
        workers = new TestWorkers();
        glue = new DefaultGlue();
        mount(
                "/hello",
                request -> CompletableFuture.completedStage(Response.text(200, "hello " + request.path() + "\n")));
        // non-blocking, so it answers while the input is fed: a test sees the held state without waiting
        mountInline("/now", request -> CompletableFuture.completedStage(Response.text(200, "now\n")));
        connect(CoreConfig.DEFAULT);
    }

    @AfterEach
    void tearDown() {
        workers.close();
    }

    /** A new connection (and endpoint) with this configuration, to the same glue. */
    void connect(CoreConfig config) {
        endpoint = new MemoryEndpoint(workers);
        connection = new HttpConnection(config, new CoreServices(glue, workers, logged::add, counters), endpoint);
        endpoint.attach(connection);
    }

    /** Mounts a handler that runs on the workers. */
    void mount(String prefix, Handler handler) {
        glue.addHandler(handler, Map.of(Handler.PREFIX, prefix, "service.id", nextServiceId++));
    }

    /** Mounts a handler that declares itself non-blocking, so it is called on the loop. */
    void mountInline(String prefix, Handler handler) {
        glue.addHandler(
                handler, Map.of(Handler.PREFIX, prefix, "service.id", nextServiceId++, Handler.NONBLOCKING, true));
    }

    /** Runs the endpoint until it has written this many responses, and parses them all. */
    List<Responses.Parsed> responses(int count, boolean... head) {
        endpoint.runUntil(() -> count(endpoint.output()) >= count);
        return Responses.parse(endpoint.output(), head);
    }

    /** How many responses this raw output holds (by their status lines). */
    static int count(String raw) {
        int n = 0;
        for (int at = raw.indexOf("HTTP/1.1 "); at >= 0; at = raw.indexOf("HTTP/1.1 ", at + 1)) {
            n++;
        }
        return n;
    }

    /** The default settings with this drain limit. */
    static CoreConfig drainLimit(long bytes) {
        CoreConfig d = CoreConfig.DEFAULT;
        return new CoreConfig(d.parser(), d.serverName(), d.outboundCeiling(), bytes, d.timeouts());
    }

    /** A tick time this many milliseconds from now. */
    static long later(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }
}

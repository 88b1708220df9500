package dev.plinth.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plinth.http.core.ExchangeFacts;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

class ExchangeCountersTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 50_000);

    private final ExchangeCounters counters = new ExchangeCounters();

    static ExchangeFacts facts(int port, String prefix, int status, long nanos, boolean complete) {
        return new ExchangeFacts(
                CLIENT,
                new InetSocketAddress("127.0.0.1", port),
                0,
                "GET",
                "/",
                "HTTP/1.1",
                ExchangeFacts.ABSENT,
                ExchangeFacts.ABSENT,
                prefix,
                status,
                10,
                nanos,
                complete);
    }

    @Test
    void countsResponsesByStatusClassPerPort() {
        counters.exchangeCompleted(facts(8080, "/", 200, 1_000, true));
        counters.exchangeCompleted(facts(8080, "/", 204, 1_000, true));
        counters.exchangeCompleted(facts(8080, "/", 101, 1_000, true));
        counters.exchangeCompleted(facts(8080, "/", 304, 1_000, true));
        counters.exchangeCompleted(facts(8080, "", 404, 1_000, true));
        counters.exchangeCompleted(facts(8080, "/", 599, 1_000, true));
        counters.exchangeCompleted(facts(9090, "/", 200, 1_000, true));

        ListenerCounts port = counters.port(8080);
        assertEquals(1, port.responses(1));
        assertEquals(2, port.responses(2));
        assertEquals(1, port.responses(3));
        assertEquals(1, port.responses(4));
        assertEquals(1, port.responses(5));
        assertEquals(6, port.latency().count());
        assertEquals(1, counters.port(9090).responses(2));
        assertEquals(1, counters.port(9090).latency().count());
    }

    @Test
    void anExchangeEndedBeforeAnyResponseIsIncompleteAndInNoClass() {
        counters.exchangeCompleted(facts(8080, "/slow", 0, 3_000_000, false));
        counters.exchangeCompleted(facts(8080, "/slow", 200, 3_000_000, false));

        ListenerCounts port = counters.port(8080);
        assertEquals(2, port.incomplete());
        assertEquals(1, port.responses(2));
        assertEquals(2, port.latency().count());
        assertEquals(2, counters.prefix("/slow").errors());
    }

    @Test
    void countsRequestsAndErrorsPerPrefixOnEveryPort() {
        counters.exchangeCompleted(facts(8080, "/api", 200, 1, true));
        counters.exchangeCompleted(facts(9090, "/api", 500, 1, true));
        counters.exchangeCompleted(facts(8080, "/api", 503, 1, true));
        counters.exchangeCompleted(facts(8080, "/api", 404, 1, true));
        counters.exchangeCompleted(facts(8080, "/", 200, 1, true));
        counters.exchangeCompleted(facts(8080, "", 400, 1, true)); // rejected: no handler

        assertEquals(4, counters.prefix("/api").requests());
        assertEquals(2, counters.prefix("/api").errors());
        assertEquals(1, counters.prefix("/").requests());
        assertEquals(0, counters.prefix("/").errors());
        assertEquals(0, counters.prefix("").requests());
    }

    @Test
    void factsWithoutALocalAddressOrPrefixCountNowhere() {
        counters.exchangeCompleted(new ExchangeFacts(CLIENT, "GET", "/", "HTTP/1.1", 200, 0, 1, true));
        assertEquals(0, counters.prefix("/").requests());
        assertEquals(0, counters.port(0).latency().count());
    }

    @Test
    void aForgottenPortStartsAgainFromZero() {
        counters.exchangeCompleted(facts(8080, "/", 200, 1, true));
        counters.exchangeCompleted(facts(9090, "/", 200, 1, true));
        ListenerCounts before = counters.port(8080);
        assertSame(before, counters.port(8080));

        counters.forget(8080);

        assertNotSame(before, counters.port(8080));
        assertEquals(0, counters.port(8080).responses(2));
        assertEquals(1, counters.port(9090).responses(2));
    }

    @Test
    void countingAllocatesNothingOnceThePortAndPrefixAreKnown() throws Exception {
        ToLongFunction<Thread> allocated = allocationMeter();
        ExchangeFacts[] facts = {
            facts(8080, "/api", 200, 700_000, true), facts(8080, "/api", 503, 3_000_000_000L, false),
        };
        for (int i = 0; i < 50_000; i++) {
            counters.exchangeCompleted(facts[i & 1]);
        }
        Thread thread = Thread.currentThread();
        allocated.applyAsLong(thread);
        long before = allocated.applyAsLong(thread);
        for (int i = 0; i < 100_000; i++) {
            counters.exchangeCompleted(facts[i & 1]);
        }
        long bytes = allocated.applyAsLong(thread) - before;

        // a boxed port or a lambda per call would be over a megabyte; reading the meter costs a few hundred bytes
        assertTrue(bytes < 10_000, bytes + " bytes allocated for 100,000 exchanges");
        assertEquals(150_000, counters.prefix("/api").requests());
    }

    /**
     * @return the bytes a thread has allocated, from the JDK's {@code com.sun.management.ThreadMXBean}, reached by
     *     reflection: this module does not read jdk.management
     */
    private static ToLongFunction<Thread> allocationMeter() throws ReflectiveOperationException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Class<?> extended;
        try {
            extended = Class.forName("com.sun.management.ThreadMXBean");
        } catch (ClassNotFoundException e) {
            extended = null;
        }
        assumeTrue(extended != null && extended.isInstance(threads), "this JVM measures no allocation");
        Method method = extended.getMethod("getThreadAllocatedBytes", long.class);
        return thread -> {
            try {
                return (Long) method.invoke(threads, thread.getId());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Test
    void isNonBlocking() {
        assertTrue(counters.nonBlocking());
    }

    @Test
    void countsFromManyThreadsAddUp() throws Exception {
        int threads = 4;
        int each = 20_000;
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int port = 8080 + t % 2;
            workers[t] = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    counters.exchangeCompleted(facts(port, "/p" + (i % 3), 200 + (i % 4) * 100, i * 1_000L, true));
                }
            });
        }
        for (Thread worker : workers) {
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join(10_000);
        }
        long total = 0;
        for (int port = 8080; port <= 8081; port++) {
            for (int c = 2; c <= 5; c++) {
                total += counters.port(port).responses(c);
            }
            assertEquals(2L * each, counters.port(port).latency().count());
        }
        assertEquals((long) threads * each, total);
        assertEquals(
                (long) threads * each,
                counters.prefix("/p0").requests()
                        + counters.prefix("/p1").requests()
                        + counters.prefix("/p2").requests());
    }
}

package dev.plinth.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.Glue;
import dev.plinth.http.handler.Request;
import dev.plinth.http.transport.ConnectionInfo;
import dev.plinth.http.transport.HttpServer;
import dev.plinth.http.transport.Listener;
import dev.plinth.http.transport.ServerStats;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The four commands' text, over a fake glue and fake listeners: what an operator reads in the shell. */
class PlinthCommandsTest {

    private static final Glue.Route STATIC = new Glue.Route(
            30,
            9,
            "dev.plinth.handlers.statics.StaticHandler (service.id 30)",
            "/",
            "",
            0,
            0,
            "runs on the I/O thread (plinth.handler.nonblocking)");
    private static final Glue.Route CLOCK = new Glue.Route(
            41,
            10,
            "dev.plinth.handlers.stream.ClockHandler (service.id 41)",
            "/stream/clock",
            "",
            0,
            2,
            "runs on workers");
    private static final Glue.Route DOCS = new Glue.Route(
            52, -1, "com.example.Docs (service.id 52)", "/docs", "docs.example.com", 5, 0, "runs on workers");

    private final PlinthCommands commands = new PlinthCommands(id -> "[" + id + "] bundle." + id + " 1.2.3");

    @Test
    void handlersListsEachRouteOfTheGlueWithItsBundleInFlightAndWhereItRuns() {
        commands.glues = List.of(glue(7, 0, new FakeGlue(List.of(DOCS, CLOCK, STATIC))));

        List<String> lines = commands.handlers().lines().toList();

        assertEquals("glue " + FakeGlue.class.getName() + " (service.id 7, service.ranking 0)", lines.get(0));
        assertEquals(
                List.of("PREFIX", "HOST", "RANKING", "SERVICE", "BUNDLE", "IN", "FLIGHT", "RUNS", "HANDLER"),
                List.of(lines.get(1).split(" +")));
        assertEquals(
                List.of("/docs", "docs.example.com", "5", "52", "unknown", "0", "on workers", "com.example.Docs"),
                cells(lines.get(2), lines.get(1)));
        assertEquals(
                List.of(
                        "/stream/clock",
                        "any",
                        "0",
                        "41",
                        "[10] bundle.10 1.2.3",
                        "2",
                        "on workers",
                        "dev.plinth.handlers.stream.ClockHandler"),
                cells(lines.get(3), lines.get(1)));
        assertEquals(
                List.of(
                        "/",
                        "any",
                        "0",
                        "30",
                        "[9] bundle.9 1.2.3",
                        "0",
                        "on the I/O thread (plinth.handler.nonblocking)",
                        "dev.plinth.handlers.statics.StaticHandler"),
                cells(lines.get(4), lines.get(1)));
        assertEquals(5, lines.size());
    }

    @Test
    void handlersAsksTheBestRankedGlueThenTheOldestAsTheServerDoes() {
        commands.glues = List.of(
                glue(3, 0, new FakeGlue(List.of(STATIC))),
                glue(12, 10, new FakeGlue(List.of(DOCS))),
                glue(8, 10, new FakeGlue(List.of(CLOCK))),
                glue(2, -1, new FakeGlue(List.of())));

        String text = commands.handlers();

        assertTrue(
                text.startsWith("glue " + FakeGlue.class.getName() + " (service.id 8, service.ranking 10); 3 other"
                        + " glues, ranked lower, are not used\n"),
                text);
        assertTrue(text.contains("/stream/clock"), text);
        assertTrue(!text.contains("/docs") && !text.contains("StaticHandler"), text);
    }

    @Test
    void withoutHandlersOrGlueItSaysSo() {
        assertEquals(
                "no glue service: nothing routes requests to handlers (is the dev.plinth.http.core bundle active?)",
                commands.handlers());
        assertEquals(commands.handlers(), commands.explain("/"));
        commands.glues = List.of(glue(7, 0, new FakeGlue(List.of())));
        assertTrue(commands.handlers().endsWith("\nno handler is registered: every path answers 404"));
    }

    @Test
    void explainNamesTheChosenHandlerAndWhyEachOtherLost() {
        FakeGlue glue = new FakeGlue(List.of());
        glue.explanation = new Glue.Explanation(
                "",
                "/hello",
                Optional.of(new Glue.Candidate(
                        "dev.plinth.example.hello.HelloHandler (service.id 60)",
                        "/hello",
                        "",
                        0,
                        "the best match: longest prefix, then host, then ranking; runs on workers")),
                List.of(
                        new Glue.Candidate(
                                "dev.plinth.handlers.statics.StaticHandler (service.id 30)",
                                "/",
                                "",
                                0,
                                "its prefix / is shorter than /hello"),
                        new Glue.Candidate(
                                "com.example.Docs (service.id 52)",
                                "/docs",
                                "docs.example.com",
                                5,
                                "its prefix /docs does not match the path")));
        commands.glues = List.of(glue(7, 0, glue));

        assertEquals(
                "/hello on any host\n"
                        + "chosen  dev.plinth.example.hello.HelloHandler (service.id 60)  prefix /hello  host any"
                        + "  ranking 0\n"
                        + "        the best match: longest prefix, then host, then ranking; runs on workers\n"
                        + "lost    dev.plinth.handlers.statics.StaticHandler (service.id 30)  prefix /  host any"
                        + "  ranking 0\n"
                        + "        its prefix / is shorter than /hello\n"
                        + "lost    com.example.Docs (service.id 52)  prefix /docs  host docs.example.com  ranking 5\n"
                        + "        its prefix /docs does not match the path",
                commands.explain("/hello"));
        assertEquals(List.of(""), glue.hostsAsked);
    }

    @Test
    void explainAsksForTheHostWithoutItsPortAndSaysWhenNothingServesThePath() {
        FakeGlue glue = new FakeGlue(List.of());
        commands.glues = List.of(glue(7, 0, glue));

        assertEquals(
                "/nothing on host example.com\nchosen  none: the answer is 404",
                commands.explain("/nothing", "example.com:8080"));
        assertEquals(List.of("example.com"), glue.hostsAsked);
        assertEquals("a path starts with /, such as /hello", commands.explain("hello"));
    }

    @Test
    void theHostLosesItsPortButNotItsAddress() {
        assertEquals("example.com", PlinthCommands.withoutPort(" example.com:80 "));
        assertEquals("example.com", PlinthCommands.withoutPort("example.com"));
        assertEquals("example.com:", PlinthCommands.withoutPort("example.com:"));
        assertEquals("[::1]", PlinthCommands.withoutPort("[::1]:8080"));
        assertEquals("[::1]", PlinthCommands.withoutPort("[::1]"));
        assertEquals("::1", PlinthCommands.withoutPort("::1"));
        assertEquals("", PlinthCommands.withoutPort(""));
    }

    @Test
    void connectionsListsEachListenersConnectionsOldestFirst() {
        FakeListener second = new FakeListener(8081);
        FakeListener main = new FakeListener(8080);
        main.connections.add(new ConnectionInfo(address(50_001), Duration.ofMillis(850), 1, "idle", 0));
        main.connections.add(new ConnectionInfo(address(50_000), Duration.ofSeconds(75), 12, "handling", 0));
        main.connections.add(new ConnectionInfo(address(50_002), Duration.ofMillis(12_345), 3, "sending", 65_536));
        commands.listeners = List.of(second, main);

        assertEquals(
                "listener 127.0.0.1:8080: 3 connections\n"
                        + "REMOTE           AGE         REQUESTS  STATE     QUEUED BYTES\n"
                        + "127.0.0.1:50000  1 min 15 s  12        handling  0\n"
                        + "127.0.0.1:50002  12.3 s      3         sending   65536\n"
                        + "127.0.0.1:50001  850 ms      1         idle      0\n"
                        + "listener 127.0.0.1:8081: 0 connections",
                commands.connections());
    }

    @Test
    void statsPrintsEachListenersCountersAsTheyPrintThemselves() {
        FakeListener main = new FakeListener(8080);
        FakeListener second = new FakeListener(8081);
        commands.listeners = List.of(second, main);

        assertEquals(
                "listener 127.0.0.1:8080\ncounters of 8080\nlistener 127.0.0.1:8081\ncounters of 8081",
                commands.stats());
    }

    @Test
    void withoutAListenerConnectionsAndStatsSaySo() {
        String none =
                "no listener: the server accepts no connections (is the dev.plinth.http.transport bundle active?)";
        assertEquals(none, commands.connections());
        assertEquals(none, commands.stats());
    }

    /** @return the cells of a table row, cut where the heading's columns start */
    private static List<String> cells(String row, String heading) {
        List<String> cells = new ArrayList<>();
        String[] names = {"PREFIX", "HOST", "RANKING", "SERVICE", "BUNDLE", "IN FLIGHT", "RUNS", "HANDLER"};
        for (int i = 0; i < names.length; i++) {
            int start = heading.indexOf(names[i]);
            int end = i + 1 < names.length ? heading.indexOf(names[i + 1]) : row.length();
            cells.add(row.substring(start, Math.min(end, row.length())).strip());
        }
        return cells;
    }

    private static Map.Entry<Map<String, Object>, Glue> glue(long serviceId, int ranking, Glue glue) {
        return Map.entry(Map.of("service.id", serviceId, "service.ranking", ranking), glue);
    }

    private static InetSocketAddress address(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** A glue that only answers operators. */
    private static final class FakeGlue implements Glue {
        private final List<Route> routes;
        private final List<String> hostsAsked = new ArrayList<>();
        private Explanation explanation;

        FakeGlue(List<Route> routes) {
            this.routes = routes;
        }

        @Override
        public Decision choose(Request request) {
            return NOT_FOUND;
        }

        @Override
        public Explanation explain(String host, String path) {
            hostsAsked.add(host);
            return explanation != null ? explanation : new Explanation(host, path, Optional.empty(), List.of());
        }

        @Override
        public List<Route> routes() {
            return routes;
        }
    }

    /** A listener on 127.0.0.1 whose counters print as {@code counters of PORT}. */
    private static final class FakeListener implements Listener {
        private final int port;
        private final List<ConnectionInfo> connections = new ArrayList<>();

        FakeListener(int port) {
            this.port = port;
        }

        @Override
        public InetSocketAddress address() {
            return PlinthCommandsTest.address(port);
        }

        @Override
        public HttpServer.Drained drain(long graceMillis) {
            throw new UnsupportedOperationException("the commands never drain");
        }

        @Override
        public ServerStats stats() {
            return new ServerStats() {
                @Override
                public long connectionsOpen() {
                    return 0;
                }

                @Override
                public long connectionsTotal() {
                    return 0;
                }

                @Override
                public long connectionsRefused() {
                    return 0;
                }

                @Override
                public long requests() {
                    return 0;
                }

                @Override
                public long bytesIn() {
                    return 0;
                }

                @Override
                public long bytesOut() {
                    return 0;
                }

                @Override
                public long errors() {
                    return 0;
                }

                @Override
                public long peakQueuedBytes() {
                    return 0;
                }

                @Override
                public long inlineCalls() {
                    return 0;
                }

                @Override
                public long blockedLoops() {
                    return 0;
                }

                @Override
                public String toString() {
                    return "counters of " + port + "\n";
                }
            };
        }

        @Override
        public List<ConnectionInfo> connections() {
            return connections;
        }
    }
}

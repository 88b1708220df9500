package dev.plinth.http.core.glue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.Glue;
import dev.plinth.http.core.Router;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.TestRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The default glue's precedence: longest prefix, then host, then ranking, then service id. */
class DefaultGlueTest {

    private final DefaultGlue glue = new DefaultGlue();
    private long nextId = 1;

    private Handler add(String prefix, String host, int ranking) {
        Handler handler = new Named(prefix + "@" + host + "#" + ranking);
        Map<String, Object> properties = new HashMap<>();
        properties.put(Handler.PREFIX, prefix);
        if (host != null) {
            properties.put(Handler.HOST, host);
        }
        properties.put("service.ranking", ranking);
        properties.put("service.id", nextId++);
        glue.addHandler(handler, properties);
        return handler;
    }

    private Optional<Handler> select(String host, String path) {
        Glue.Decision decision = glue.choose(TestRequest.get(path).host(host));
        return decision instanceof Glue.Choice choice ? Optional.of(choice.handler()) : Optional.empty();
    }

    private Glue.Choice chosen(Request request) {
        return (Glue.Choice) glue.choose(request);
    }

    @Test
    void aChoiceCarriesThePrefixItWasMadeBy() {
        add("/", null, 0);
        add("/app/deep/", null, 0);
        assertEquals("/app/deep", chosen(TestRequest.get("/app/deep/x")).prefix(), "without the trailing slash");
        assertEquals("/", chosen(TestRequest.get("/other")).prefix());
    }

    @Test
    void longestMatchingPrefixWins() {
        Handler root = add("/", null, 0);
        Handler app = add("/app", null, 0);
        Handler deep = add("/app/deep/", null, 0);
        assertSame(root, select("", "/other").orElseThrow());
        assertSame(app, select("", "/app").orElseThrow());
        assertSame(app, select("", "/app/x").orElseThrow());
        assertSame(deep, select("", "/app/deep").orElseThrow(), "a trailing slash in the prefix is ignored");
        assertSame(deep, select("", "/app/deep/x").orElseThrow());
        assertSame(root, select("", "/application").orElseThrow(), "a prefix matches whole segments only");
    }

    @Test
    void oneObjectRegisteredAsTwoServicesServesBothPrefixesUntilEachLeaves() {
        Handler shared = new Named("shared");
        Map<String, Object> first = Map.of(Handler.PREFIX, "/a", "service.id", 101L);
        Map<String, Object> second = Map.of(Handler.PREFIX, "/b", "service.id", 102L, Handler.NONBLOCKING, true);
        glue.addHandler(shared, first);
        glue.addHandler(shared, second);
        assertSame(shared, select("", "/a").orElseThrow());
        assertSame(shared, select("", "/b").orElseThrow());
        assertFalse(chosen(TestRequest.get("/a")).nonBlocking());
        assertTrue(chosen(TestRequest.get("/b")).nonBlocking(), "each keeps its own properties");
        glue.removeHandler(shared, first);
        assertTrue(select("", "/a").isEmpty());
        assertSame(shared, select("", "/b").orElseThrow());
    }

    @Test
    void aNonBlockingHandlerIsDemotedOnItsThirdBlockedLoopReport() {
        Handler fast = new Named("fast");
        glue.addHandler(fast, Map.of(Handler.PREFIX, "/fast", "service.id", 201L, Handler.NONBLOCKING, "true"));
        for (int report = 1; report < Router.DEMOTE_AFTER; report++) {
            glue.blocked(fast);
            assertTrue(chosen(TestRequest.get("/fast")).nonBlocking(), "report " + report);
        }
        glue.blocked(fast);
        assertFalse(chosen(TestRequest.get("/fast")).nonBlocking());
        assertTrue(glue.explain("", "/fast").toString().contains("demoted after 3 blocked-loop reports"));
        glue.updatedHandler(fast, Map.of(Handler.PREFIX, "/quick", "service.id", 201L, Handler.NONBLOCKING, true));
        assertTrue(select("", "/fast").isEmpty(), "the update moved it");
        assertFalse(
                chosen(TestRequest.get("/quick")).nonBlocking(),
                "a property change keeps the demotion: it lasts while the service is registered");
        assertTrue(glue.nonBlocking(), "the default glue itself may be asked on an I/O thread");
    }

    @Test
    void noHandlerMeansEmpty() {
        add("/app", null, 0);
        assertTrue(select("", "/").isEmpty());
    }

    @Test
    void hostBoundHandlerBeatsAnyHostOnTheSamePrefixButNotALongerOne() {
        Handler any = add("/", null, 100);
        Handler bound = add("/", "example.com", 0);
        Handler longer = add("/app", null, 0);
        assertSame(bound, select("example.com", "/x").orElseThrow());
        assertSame(any, select("other.org", "/x").orElseThrow());
        assertSame(longer, select("example.com", "/app/x").orElseThrow());
    }

    @Test
    void rankingThenServiceIdBreakTies() {
        Handler first = add("/a", null, 0);
        Handler second = add("/a", null, 0);
        assertSame(first, select("", "/a").orElseThrow(), "lower service.id wins among equals");
        Handler ranked = add("/a", null, 5);
        assertSame(ranked, select("", "/a").orElseThrow());
        glue.removeHandler(ranked, Map.of());
        assertSame(first, select("", "/a").orElseThrow());
        glue.removeHandler(first, Map.of());
        assertSame(second, select("", "/a").orElseThrow());
    }

    @Test
    void handlerWithoutAValidPrefixIsIgnored() {
        glue.addHandler(new Named("bad"), Map.of(Handler.PREFIX, "no-slash", "service.id", 9L));
        glue.addHandler(new Named("none"), Map.of("service.id", 10L));
        assertTrue(select("", "/x").isEmpty());
    }

    @Test
    void explanationNamesTheWinnerAndWhyEachOtherLost() {
        add("/", null, 0);
        add("/app", null, 0);
        add("/app", null, 3);
        add("/app", "example.com", 0);
        add("/other", null, 0);
        Glue.Explanation explanation = glue.explain("other.org", "/app/x");
        assertEquals("/app", explanation.chosen().orElseThrow().prefix());
        assertEquals(3, explanation.chosen().orElseThrow().ranking());
        String text = explanation.toString();
        assertTrue(text.contains("is shorter than /app"), text);
        assertTrue(text.contains("lower than 3"), text);
        assertTrue(text.contains("serves only the host example.com"), text);
        assertTrue(text.contains("does not match the path"), text);
    }

    @Test
    void theLowerServiceIdWinsWhateverTheOrderOfArrival() {
        Handler later = new Named("later");
        Handler earlier = new Named("earlier");
        glue.addHandler(later, Map.of(Handler.PREFIX, "/a", "service.id", 20L));
        glue.addHandler(earlier, Map.of(Handler.PREFIX, "/a", "service.id", 10L));
        assertSame(earlier, select("", "/a").orElseThrow());
    }

    @Test
    void explanationSaysWhyAnAnyHostOrAnEqualHandlerLostAndWhereEachRuns() {
        add("/app", null, 7);
        add("/app", "example.com", 0);
        String boundWins = glue.explain("example.com", "/app").toString();
        assertTrue(boundWins.contains("serves any host; the winner is bound to example.com"), boundWins);

        glue.removeHandler(select("example.com", "/app").orElseThrow(), Map.of());
        add("/app", null, 7);
        String tie = glue.explain("", "/app").toString();
        assertTrue(tie.contains("same prefix, host and ranking; its service.id 3 is higher than 1"), tie);
        assertTrue(tie.contains("runs on workers"), tie);
    }

    private record Named(String name) implements Handler {
        @Override
        public CompletionStage<Response> handle(Request request) {
            return CompletableFuture.completedStage(Response.text(200, name));
        }
    }

    private Glue.Decision decide(String path) {
        return glue.choose(TestRequest.get(path));
    }

    private static Glue.Decision awaitLater(Glue.Decision decision) throws Exception {
        assertTrue(decision instanceof Glue.Later, "held: " + decision);
        return ((Glue.Later) decision).decision().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aRequestHeldForAHandlerThatLeftGoesToTheTableWhenTheWindowEnds() throws Exception {
        glue.settings(50, 10, 0);
        Handler root = add("/", null, 0);
        Map<String, Object> app = Map.of(Handler.PREFIX, "/app", "service.id", 500L);
        glue.addHandler(new Named("app"), app);
        glue.removeHandler(new Named("not registered"), Map.of(Handler.PREFIX, "/app", "service.id", 77L));
        assertTrue(decide("/app/x") instanceof Glue.Choice, "an unknown removal changes nothing");
        glue.removeHandler(findHandler("/app/x"), app);
        Glue.Decision later = decide("/app/x");
        assertSame(root, ((Glue.Choice) awaitLater(later)).handler(), "the next handler in the table");
        assertSame(root, select("", "/app/x").orElseThrow(), "no longer held");
        glue.removeHandler(root, Map.of(Handler.PREFIX, "/", "service.id", 1L));
        assertSame(Glue.NOT_FOUND, awaitLater(decide("/app/x")), "and with no handler left, 404");
    }

    private Handler findHandler(String path) {
        return chosen(TestRequest.get(path)).handler();
    }

    @Test
    void onlyRequestsTheLeavingHandlerWouldHaveServedAreHeld() {
        add("/app", null, 0);
        add("/app/deep", null, 0);
        Handler other = add("/other", null, 0);
        glue.removeHandler(findHandler("/app"), Map.of(Handler.PREFIX, "/app", "service.id", 1L));
        assertTrue(decide("/app/x") instanceof Glue.Later);
        assertTrue(decide("/app/deep/x") instanceof Glue.Choice, "a longer prefix still serves it");
        assertSame(other, select("", "/other").orElseThrow());
        assertSame(Glue.NOT_FOUND, decide("/application"), "a prefix matches whole segments only");
    }

    @Test
    void aHandlerInTheSamePlaceServesAtOnceWhenTheBetterOneLeaves() {
        Handler high = add("/app", null, 10);
        Handler low = add("/app", null, 0);
        glue.removeHandler(high, Map.of(Handler.PREFIX, "/app", "service.id", 1L));
        assertSame(low, select("", "/app").orElseThrow());
    }

    @Test
    void aReplacementTakesTheHeldRequestsAndAMaximumIsHeld() throws Exception {
        glue.settings(60_000, 2, 0);
        Handler first = add("/app", null, 0);
        glue.removeHandler(first, Map.of(Handler.PREFIX, "/app", "service.id", 1L));
        Glue.Decision one = decide("/app");
        Glue.Decision two = decide("/app/x");
        assertSame(Glue.NOT_FOUND, decide("/app/y"), "the third is not held: the table answers");
        Handler second = add("/app", null, 0);
        assertSame(second, ((Glue.Choice) awaitLater(one)).handler());
        assertSame(second, ((Glue.Choice) awaitLater(two)).handler());
        assertEquals("/app", ((Glue.Choice) awaitLater(two)).prefix());
    }

    @Test
    void withNoHandoverWindowNothingIsHeld() {
        glue.settings(0, 10, 0);
        Handler first = add("/app", null, 0);
        glue.removeHandler(first, Map.of(Handler.PREFIX, "/app", "service.id", 1L));
        assertSame(Glue.NOT_FOUND, decide("/app"));
        glue.removeHandler(first, Map.of(Handler.PREFIX, "/app", "service.id", 1L)); // twice: harmless
    }

    @Test
    void aRefusedConfigurationChangesNothingAndAGoodOneApplies() {
        glue.modified(Map.of("handoverMillis", 0L));
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("handoverMillis", "soon"),
                Map.of("handoverMillis", -5L),
                Map.of("handoverMaxHeld", 1.5),
                Map.of("handover", 60_000L))) {
            glue.modified(bad);
        }
        Handler first = add("/app", null, 0);
        glue.removeHandler(first, Map.of(Handler.PREFIX, "/app", "service.id", 1L));
        assertSame(Glue.NOT_FOUND, decide("/app"), "still no handover window: every change was refused");
        glue.modified(Map.of("handoverMillis", "60000", "service.pid", DefaultGlue.PID));
        Handler second = add("/app", null, 0);
        glue.removeHandler(second, Map.of(Handler.PREFIX, "/app", "service.id", 2L));
        assertTrue(decide("/app") instanceof Glue.Later, "held now");
    }

    @Test
    void routesListTheTableBestFirst() {
        add("/", null, 0);
        add("/app", "example.org", 5);
        List<Glue.Route> routes = glue.routes();
        assertEquals(
                List.of("/app", "/"), routes.stream().map(Glue.Route::prefix).toList());
        Glue.Route app = routes.get(0);
        assertEquals("example.org", app.host());
        assertEquals(5, app.ranking());
        assertEquals(2L, app.serviceId());
        assertEquals(-1L, app.bundleId(), "unknown outside a framework");
        assertEquals(0, app.inFlight());
        assertEquals("runs on workers", app.runs());
    }

    @Test
    void handlersRegisteringConcurrentlyAllArriveAndNoLookupSeesAPartialTable() throws Exception {
        int count = 100;
        Handler[] handlers = new Handler[count];
        for (int i = 0; i < count; i++) {
            handlers[i] = new Named("h" + i);
        }
        ExecutorService registering = Executors.newFixedThreadPool(8);
        AtomicBoolean reading = new AtomicBoolean(true);
        List<String> wrong = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            for (int round = 0; reading.get(); round++) {
                int i = round % count;
                Glue.Decision decision = decide("/h" + i + "/x");
                if (decision instanceof Glue.Choice choice && choice.handler() != handlers[i]) {
                    wrong.add("/h" + i + " went to " + choice.handler());
                }
                List<Glue.Route> routes = glue.routes();
                for (int r = 1; r < routes.size(); r++) {
                    if (routes.get(r - 1).prefix().length()
                            < routes.get(r).prefix().length()) {
                        wrong.add("the table is out of order: " + routes);
                    }
                }
            }
        });
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Void>> added = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int id = i;
                added.add(CompletableFuture.runAsync(
                        () -> {
                            awaitQuietly(go);
                            glue.addHandler(handlers[id], Map.of(Handler.PREFIX, "/h" + id, "service.id", 1000L + id));
                        },
                        registering));
            }
            go.countDown();
            CompletableFuture.allOf(added.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
        } finally {
            reading.set(false);
            registering.shutdownNow();
        }
        reader.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(), wrong);
        assertEquals(count, glue.routes().size(), "no registration lost");
        for (int i = 0; i < count; i++) {
            assertSame(handlers[i], select("", "/h" + i).orElseThrow());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

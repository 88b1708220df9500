package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.Router.Mount;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.TestRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The router built in code: the default glue's rules (its own tests cover them as services come and go), reached
 * through the builder and the mount options.
 */
class RouterTest {

    private static Handler named(String name) {
        return new Handler.Synchronous() {
            @Override
            public Response respond(dev.plinth.http.handler.Request request) {
                return Response.text(200, name);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private static Glue.Choice choice(Router router, String host, String path) {
        return (Glue.Choice) router.choose(TestRequest.get(path).host(host));
    }

    @Test
    void longestPrefixThenHostThenRankingThenTheFirstMounted() {
        Handler root = named("root");
        Handler hello = named("hello");
        Handler bound = named("bound");
        Handler ranked = named("ranked");
        Handler first = named("first");
        Handler second = named("second");
        Router router = Router.builder()
                .mount("/", root)
                .mount("/hello/", hello)
                .mount(Mount.of("/hello", bound).withHost("Example.ORG"))
                .mount(Mount.of("/r", named("low")))
                .mount(Mount.of("/r", ranked).withRanking(5))
                .mount("/tie", first)
                .mount("/tie", second)
                .build();
        assertSame(root, choice(router, "", "/helloworld").handler(), "a prefix matches whole segments");
        assertSame(hello, choice(router, "", "/hello/x").handler());
        assertEquals("/hello", choice(router, "", "/hello/x").prefix(), "a trailing slash is ignored");
        assertSame(bound, choice(router, "example.org", "/hello").handler(), "the host-bound mount wins");
        assertSame(ranked, choice(router, "", "/r").handler());
        assertSame(first, choice(router, "", "/tie").handler(), "equal mounts: the first added wins");
        assertEquals(
                List.of("/hello", "/hello", "/tie", "/tie", "/r", "/r", "/"),
                router.mounts().stream().map(Mount::prefix).toList(),
                "best first");
        assertTrue(router.explain("", "/tie").toString().contains("its service.id 6 is higher than 5"));
    }

    @Test
    void noMountMeansNotFound() {
        Router router = Router.builder().mount("/app", named("app")).build();
        assertSame(Glue.NOT_FOUND, router.choose(TestRequest.get("/")));
        assertTrue(router.explain("", "/").chosen().isEmpty());
        assertSame(Glue.NOT_FOUND, Router.builder().build().choose(TestRequest.get("/x")));
    }

    @Test
    void theOptionsReachTheChoice() {
        Router router = Router.builder()
                .mount(Mount.of("/fast", named("fast")).withNonBlocking(true).withCompress(false))
                .mount("/plain", named("plain"))
                .build();
        Glue.Choice fast = choice(router, "", "/fast");
        assertTrue(fast.nonBlocking());
        assertFalse(fast.compress());
        Glue.Choice plain = choice(router, "", "/plain");
        assertFalse(plain.nonBlocking());
        assertTrue(plain.compress());
        assertTrue(router.nonBlocking(), "a lookup never blocks");
    }

    @Test
    void aMountReplacedKeepsItsExchangesAndItsDemotion() {
        Handler fast = named("fast");
        Router router = Router.builder()
                .mount(Mount.of("/a", fast).withNonBlocking(true))
                .build();
        Mount before = router.mounts().get(0);
        Occupancy occupancy = router.occupancy(before);
        for (int report = 0; report < Router.DEMOTE_AFTER; report++) {
            router.blocked(fast);
        }
        assertFalse(choice(router, "", "/a").nonBlocking(), "demoted");
        Router moved = router.with(Mount.of("/b", fast).withNonBlocking(true).withId(before.id()));
        assertEquals(List.of("/b"), moved.mounts().stream().map(Mount::prefix).toList());
        assertSame(occupancy, moved.occupancy(moved.mounts().get(0)));
        assertFalse(choice(moved, "", "/b").nonBlocking(), "still demoted");
        assertSame(Occupancy.UNTRACKED, moved.occupancy(before), "not a mount of the new router");
        assertTrue(moved.without(fast, before.id()).mounts().isEmpty());
        assertSame(moved, moved.without(named("other"), Mount.NO_ID), "nothing to remove");
    }

    @Test
    void aPrefixMustBeAPath() {
        assertThrows(IllegalArgumentException.class, () -> Mount.of("hello", named("x")));
        assertThrows(IllegalArgumentException.class, () -> Mount.of(null, named("x")));
        assertThrows(IllegalArgumentException.class, () -> Mount.of("/", null));
    }
}

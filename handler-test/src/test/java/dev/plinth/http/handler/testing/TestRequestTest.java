package dev.plinth.http.handler.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Bodies;
import dev.plinth.http.handler.HttpVersion;
import dev.plinth.http.handler.Request;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TestRequestTest {

    @Test
    void theTargetIsSplitAndDecodedAsTheServerDoes() {
        TestRequest request = TestRequest.get("/docs/a%20b+c/%C3%A9?x=1+2");
        assertEquals("GET", request.method());
        assertEquals("/docs/a%20b+c/%C3%A9?x=1+2", request.target());
        assertEquals("/docs/a%20b+c/%C3%A9", request.rawPath());
        assertEquals("/docs/a b+c/\u00e9", request.path(), "a plus in a path is a plus");
        assertEquals(Optional.of("x=1+2"), request.query());
        assertEquals(Optional.empty(), TestRequest.get("/p").query());
        assertEquals("GET /docs/a%20b+c/%C3%A9?x=1+2 HTTP/1.1", request.toString());
    }

    @Test
    void theDefaultsAreAPlainHttp11RequestFromLocalhostWithoutBody() throws Exception {
        TestRequest request = TestRequest.of("DELETE", "/x");
        assertEquals("DELETE", request.method());
        assertEquals(HttpVersion.HTTP_1_1, request.version());
        assertEquals("localhost", request.host());
        assertEquals("http", request.scheme());
        assertEquals(0, request.headers().size());
        assertEquals(0, request.contentLength());
        assertEquals("", request.prefix());
        assertEquals("/x", request.pathBelowPrefix());
        CountingSubscriber body = new CountingSubscriber(0);
        request.body().subscribe(body);
        assertEquals(0L, body.done().get(1, TimeUnit.SECONDS), "no body completes without demand");
    }

    @Test
    void thePrefixGivesThePathBelowIt() {
        assertEquals("/a/b", TestRequest.get("/docs/a/b").prefix("/docs").pathBelowPrefix());
        assertEquals("", TestRequest.get("/docs").prefix("/docs").pathBelowPrefix());
    }

    @Test
    void queryParametersAreDecoded() {
        Request request = TestRequest.get("/p?name=Ada%20L&flag&x=1+2&name=second");
        assertEquals(Optional.of("Ada L"), request.queryParameter("name"), "the first value wins");
        assertEquals(Optional.of(""), request.queryParameter("flag"));
        assertEquals(Optional.of("1 2"), request.queryParameter("x"));
        assertEquals(Optional.empty(), request.queryParameter("missing"));
        assertEquals(Optional.empty(), TestRequest.get("/p").queryParameter("name"));
    }

    @Test
    void headerFieldsKeepTheirOrderAndRepeats() {
        TestRequest request = TestRequest.get("/")
                .header("Accept", "text/html")
                .header("X-Trace", "1")
                .header("accept", "*/*");
        assertEquals(List.of("text/html", "*/*"), request.headers().all("Accept"));
        assertEquals("X-Trace", request.headers().name(1));
    }

    @Test
    void aTextBodyIsUtf8OfKnownLength() throws Exception {
        TestRequest request = TestRequest.of("POST", "/notes").body("caf\u00e9");
        assertEquals(5, request.contentLength());
        byte[] read = Bodies.collect(request.body(), 100).toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertEquals("caf\u00e9", new String(read, StandardCharsets.UTF_8));
        byte[] again = Bodies.collect(request.body(), 100).toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertArrayEquals(read, again, "each subscriber gets the body from its start");
    }

    @Test
    void aBodyInPartsKeepsItsDeclaredLength() throws Exception {
        ListPublisher parts = new ListPublisher("ab", "cd");
        TestRequest request = TestRequest.of("PUT", "/f").body(-1, parts);
        assertEquals(-1, request.contentLength(), "chunked");
        assertSame(parts, request.body());
        byte[] read = Bodies.collect(request.body(), 100).toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertEquals("abcd", new String(read, StandardCharsets.US_ASCII));
    }

    @Test
    void hostVersionAndWorkersCanBeSet() {
        StringBuilder ran = new StringBuilder();
        TestRequest request = TestRequest.get("/")
                .host("example.org")
                .version(HttpVersion.HTTP_1_0)
                .workers(task -> ran.append("submitted;"));
        assertEquals("example.org", request.host());
        assertEquals(HttpVersion.HTTP_1_0, request.version());
        request.workers().execute(() -> ran.append("ran;"));
        assertEquals("submitted;", ran.toString());
        StringBuilder inline = new StringBuilder();
        TestRequest.get("/").workers().execute(() -> inline.append("ran"));
        assertEquals("ran", inline.toString(), "by default a task runs at once");
        assertTrue(request.remoteAddress().getAddress().isLoopbackAddress());
        assertEquals(8080, request.localAddress().getPort());
    }
}

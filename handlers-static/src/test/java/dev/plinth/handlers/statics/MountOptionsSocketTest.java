package dev.plinth.handlers.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each mount attribute, and the methods, over a real socket. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MountOptionsSocketTest {

    @TempDir
    Path temp;

    private Site site;
    private InetSocketAddress server;

    @BeforeEach
    void start() throws IOException {
        site = Site.in(temp);
        server = site.serve(site.mount());
    }

    @AfterEach
    void stop() throws InterruptedException {
        site.close();
    }

    @Test
    void listingIsOffByDefault() throws IOException {
        assertEquals(404, Wire.send(server, "GET", "/empty/").status());
    }

    @Test
    void listingShowsSortedEscapedEncodedNamesWithAParentLink() throws IOException {
        Path dir = site.docroot.resolve("empty");
        for (String name : List.of("b.txt", "a&b <c>\".txt", "ü ß.txt", "x:y.txt", ".dot", "'q'.txt")) {
            Site.write(dir.resolve(name), "x");
        }
        Files.createDirectories(dir.resolve("zdir"));
        InetSocketAddress listing = site.serve(site.mount().listing(true));
        Wire.Reply reply = Wire.send(listing, "GET", "/empty/");
        assertEquals(200, reply.status());
        assertEquals("text/html; charset=utf-8", reply.header("Content-Type"));
        assertEquals("nosniff", reply.header("X-Content-Type-Options"));
        String page = new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(page.contains("<title>Index of /empty/</title>"), page);
        List<String> links = page.lines().filter(l -> l.startsWith("<li>")).toList();
        assertEquals(
                List.of(
                        "<li><a href=\"../\">../</a></li>",
                        "<li><a href=\"./%27q%27.txt\">&#39;q&#39;.txt</a></li>",
                        "<li><a href=\"./a%26b%20%3Cc%3E%22.txt\">a&amp;b &lt;c&gt;&quot;.txt</a></li>",
                        "<li><a href=\"./b.txt\">b.txt</a></li>",
                        "<li><a href=\"./x%3Ay.txt\">x:y.txt</a></li>",
                        "<li><a href=\"./zdir/\">zdir/</a></li>",
                        "<li><a href=\"./%C3%BC%20%C3%9F.txt\">ü ß.txt</a></li>"),
                links,
                "sorted, hidden left out");
        Wire.Reply head = Wire.send(listing, "HEAD", "/empty/");
        assertEquals(String.valueOf(reply.body().length), head.header("Content-Length"));
        assertEquals(
                200,
                Wire.send(listing, "GET", "/empty/a%26b%20%3Cc%3E%22.txt").status(),
                "the encoded link leads to the file");
    }

    @Test
    void theTopOfTheMountHasNoParentLinkAndAnIndexWinsOverAListing() throws IOException {
        InetSocketAddress listing = site.serve(site.mount().listing(true).index("none.html"));
        String top = Wire.send(listing, "GET", "/").text();
        assertFalse(top.contains("href=\"../\""), top);
        assertTrue(top.contains("./site.css"), top);
        assertTrue(top.contains("./.well-known/"), "the well-known folder is not hidden: " + top);
        assertFalse(top.contains(".git") || top.contains(".hidden.txt"), top);
        InetSocketAddress withIndex = site.serve(site.mount().listing(true));
        assertEquals("<h1>sub</h1>\n", Wire.send(withIndex, "GET", "/sub/").text());
        InetSocketAddress docs = site.serve(site.mount().listing(true).prefix("/docs"));
        String sub = Wire.send(docs, "GET", "/docs/empty/").text();
        assertTrue(sub.contains("href=\"../\""), sub);
        assertTrue(sub.contains("Index of /docs/empty/"), sub);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/.hidden.txt",
                "/.git/config",
                "/.git/",
                "/.git",
                "/.well-known/.inner",
                "/sub/.well-known/x",
                "/%2egit/config",
                "/.Hidden.txt"
            })
    void hiddenFilesAreDeniedByDefault(String target) throws IOException {
        assertEquals(404, Wire.send(server, "GET", target).status());
    }

    @Test
    void wellKnownIsServedAndHiddenFilesWhenAllowed() throws IOException {
        assertEquals(
                "Contact: x\n",
                Wire.send(server, "GET", "/.well-known/security.txt").text());
        InetSocketAddress allow = site.serve(site.mount().hidden("allow"));
        assertEquals("hidden\n", Wire.send(allow, "GET", "/.hidden.txt").text());
        assertEquals("[core]\n", Wire.send(allow, "GET", "/.git/config").text());
        assertEquals("inner\n", Wire.send(allow, "GET", "/.well-known/.inner").text());
    }

    @Test
    void aLinkCannotExposeAHiddenFile() throws IOException {
        Files.createSymbolicLink(site.docroot.resolve("public.txt"), Path.of(".hidden.txt"));
        assertEquals(404, Wire.send(server, "GET", "/public.txt").status());
    }

    @Test
    void linksStayInsideByDefaultAndMayLeadOutWhenAllowed() throws IOException {
        assertEquals("<p>page</p>\n", Wire.send(server, "GET", "/alias.txt").text());
        assertEquals(
                "text/html; charset=utf-8",
                Wire.send(server, "GET", "/alias.txt").header("Content-Type"),
                "the type comes from the resolved file");
        for (String target : List.of("/escape.txt", "/escapedir/secret.txt", "/escapedir/", "/linkedindex/")) {
            Wire.Reply reply = Wire.send(server, "GET", target);
            assertEquals(404, reply.status(), target);
            assertFalse(reply.text().contains(Site.SECRET), target);
        }
        InetSocketAddress follow = site.serve(site.mount().followSymlinks(true));
        assertEquals(Site.SECRET + "\n", Wire.send(follow, "GET", "/escape.txt").text());
        assertEquals(
                Site.SECRET + "\n",
                Wire.send(follow, "GET", "/escapedir/secret.txt").text());
        assertEquals(
                Site.SECRET + "\n", Wire.send(follow, "GET", "/linkedindex/").text());
        assertEquals(404, Wire.send(follow, "GET", "/../secret.txt").status(), "dot segments still refused");
    }

    /**
     * A file replaced by a link after its lookup was cached: the cached real path is opened without following the
     * link, unless links may lead out. The file is as long as the secret, so its size check cannot tell.
     */
    @Test
    void aFileSwappedForALinkOutAfterItsLookupIsOpenedWithoutFollowingIt() throws IOException {
        Path file = site.docroot.resolve("swapped.txt");
        String sameLength =
                "x".repeat(Files.readString(site.temp.resolve("secret.txt")).length());
        Site.write(file, sameLength);
        InetSocketAddress inside =
                site.serve(site.mount().metadataCacheMillis(60_000).memory(0, 0));
        InetSocketAddress out =
                site.serve(site.mount().metadataCacheMillis(60_000).memory(0, 0).followSymlinks(true));
        assertEquals(sameLength, Wire.send(inside, "GET", "/swapped.txt").text(), "looked up and cached");
        assertEquals(sameLength, Wire.send(out, "GET", "/swapped.txt").text(), "looked up and cached");
        Files.delete(file);
        Files.createSymbolicLink(file, site.temp.resolve("secret.txt"));

        Wire.Reply refused = Wire.send(inside, "GET", "/swapped.txt");
        assertEquals(404, refused.status());
        assertFalse(refused.text().contains(Site.SECRET));
        assertEquals(Site.SECRET + "\n", Wire.send(out, "GET", "/swapped.txt").text(), "links may lead out there");
    }

    @Test
    void cacheControlGoesOnFileResponsesOnly() throws IOException {
        InetSocketAddress cached = site.serve(site.mount().cacheControl("public, max-age=3600"));
        assertEquals(
                "public, max-age=3600", Wire.send(cached, "GET", "/site.css").header("Cache-Control"));
        assertEquals(
                "public, max-age=3600",
                Wire.send(cached, "GET", "/digits.txt", "Range: bytes=0-1").header("Cache-Control"));
        String etag = Wire.send(cached, "GET", "/site.css").header("ETag");
        assertEquals(
                "public, max-age=3600",
                Wire.send(cached, "GET", "/site.css", "If-None-Match: " + etag).header("Cache-Control"));
        assertFalse(Wire.send(cached, "GET", "/missing").field("Cache-Control").isPresent());
        assertFalse(Wire.send(server, "GET", "/site.css").field("Cache-Control").isPresent(), "none by default");
    }

    @Test
    void extraMimeTypesAddToAndReplaceTheTable() throws IOException {
        Site.write(site.docroot.resolve("notes.foo"), "foo");
        Site.write(site.docroot.resolve("data.bar"), "bar");
        InetSocketAddress mapped = site.serve(site.mount()
                .mimeTypes("foo=text/x-foo, .bar=application/x-bar", "", "css=text/plain; charset=iso-8859-1"));
        assertEquals(
                "text/x-foo; charset=utf-8",
                Wire.send(mapped, "GET", "/notes.foo").header("Content-Type"));
        assertEquals("application/x-bar", Wire.send(mapped, "GET", "/data.bar").header("Content-Type"));
        assertEquals(
                "text/plain; charset=iso-8859-1",
                Wire.send(mapped, "GET", "/site.css").header("Content-Type"));
        assertEquals(
                "application/octet-stream",
                Wire.send(server, "GET", "/notes.foo").header("Content-Type"));
    }

    @Test
    void optionsAnswersWithAllow() throws IOException {
        for (String target : List.of("/site.css", "/", "/missing", "/sub")) {
            Wire.Reply reply = Wire.send(server, "OPTIONS", target);
            assertEquals(204, reply.status(), target);
            assertEquals("GET, HEAD, OPTIONS", reply.header("Allow"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "TRACE"})
    void otherMethodsAreNotAllowed(String method) throws IOException {
        Wire.Reply reply = Wire.exchange(server, Wire.request(method, "/site.css", "Content-Length: 0"), false);
        assertEquals(405, reply.status());
        assertEquals("GET, HEAD, OPTIONS", reply.header("Allow"));
    }

    @Test
    void headHasTheHeadersOfGetAndNoBody() throws IOException {
        Wire.Reply get = Wire.send(server, "GET", "/site.css");
        Wire.Reply head = Wire.send(server, "HEAD", "/site.css");
        for (String name : List.of(
                "Content-Type",
                "Content-Length",
                "ETag",
                "Last-Modified",
                "Accept-Ranges",
                "Vary",
                "X-Content-Type-Options")) {
            assertEquals(get.header(name), head.header(name), name);
        }
    }

    @Test
    void aDirectoryWithoutItsSlashIsRedirected() throws IOException {
        Wire.Reply reply = Wire.send(server, "GET", "/a%20b?x=1");
        assertEquals(301, reply.status());
        assertEquals("/a%20b/?x=1", reply.header("Location"));
        assertEquals(301, Wire.send(server, "HEAD", "/sub").status());
    }
}

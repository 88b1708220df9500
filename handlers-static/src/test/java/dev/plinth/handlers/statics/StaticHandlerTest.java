package dev.plinth.handlers.statics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plinth.config.RefusedConfiguration;
import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.TestRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StaticHandlerTest {

    @TempDir
    Path temp;

    private Path docroot;
    private StaticHandler handler;

    @BeforeEach
    void tree() throws IOException {
        docroot = Site.in(temp).docroot;
        Files.createDirectories(docroot.resolve("a"));
        handler = MountConfig.of(docroot).handler();
    }

    @Test
    void servesAFileWithTypeValidatorsAndAZeroCopyBody() throws Exception {
        Response response = handle(handler, TestRequest.get("/site.css"));
        assertEquals(200, response.status());
        assertEquals("text/css; charset=utf-8", header(response, "Content-Type"));
        assertEquals("nosniff", header(response, "X-Content-Type-Options"));
        assertEquals(Site.LAST_MODIFIED, header(response, "Last-Modified"));
        long nanos = TimeUnit.SECONDS.toNanos(Site.MODIFIED.getEpochSecond()) + Site.MODIFIED.getNano();
        long storedNanos =
                Files.getLastModifiedTime(docroot.resolve("site.css")).to(TimeUnit.NANOSECONDS);
        String etag = header(response, "ETag");
        assertTrue(etag.matches("\"[0-9a-f]+-7-" + Long.toHexString(storedNanos) + "\""), etag);
        assertEquals(nanos / 1_000_000, storedNanos / 1_000_000, "file system keeps at least milliseconds");
        assertEquals("body{}\n", read(response));
    }

    @Test
    void headGetsTheSameResponseAsGet() throws Exception {
        Response get = handle(handler, TestRequest.get("/site.css"));
        Response head = handle(handler, TestRequest.of("HEAD", "/site.css"));
        assertEquals(get.status(), head.status());
        assertEquals(get.headers().toString(), head.headers().toString());
        assertEquals(get.body().length(), head.body().length());
        read(get);
        read(head);
    }

    @Test
    void typeComesFromTheResolvedFileNotTheRequestedName() throws Exception {
        Response response = handle(handler, TestRequest.get("/alias.txt"));
        assertEquals("text/html; charset=utf-8", header(response, "Content-Type"));
        assertEquals("<p>page</p>\n", read(response));
    }

    @Test
    void slashedDirectoryServesItsIndex() throws Exception {
        assertEquals("<h1>home</h1>\n", read(handle(handler, TestRequest.get("/"))));
        Response sub = handle(handler, TestRequest.get("/sub/"));
        assertEquals("text/html; charset=utf-8", header(sub, "Content-Type"));
        assertEquals("<h1>sub</h1>\n", read(sub));
    }

    @Test
    void directoryWithoutSlashRedirectsKeepingTheQuery() throws Exception {
        Response response = handle(handler, TestRequest.get("/sub?x=1&y=%20"));
        assertEquals(301, response.status());
        assertEquals("/sub/?x=1&y=%20", header(response, "Location"));
    }

    @Test
    void redirectUsesTheRawPathAndNeverStartsWithTwoSlashes() throws Exception {
        Files.createDirectories(docroot.resolve("a b"));
        Response spaced = handle(handler, TestRequest.get("/a%20b"));
        assertEquals("/a%20b/", header(spaced, "Location"));
        Response doubled = handle(handler, TestRequest.get("//sub"));
        assertEquals(301, doubled.status());
        assertEquals("/sub/", header(doubled, "Location"));
    }

    @Test
    void directoryWithoutIndexIsNotListed() throws Exception {
        assertNotFound("/empty/");
    }

    @Test
    void missingFileIsNotFoundWithASmallTextBody() throws Exception {
        Response response = handle(handler, TestRequest.get("/nope.html"));
        assertEquals(404, response.status());
        assertEquals("text/plain; charset=utf-8", header(response, "Content-Type"));
        assertEquals("Not Found\n", read(response));
    }

    @Test
    void fileAskedForAsADirectoryIsNotFound() throws Exception {
        assertNotFound("/site.css/");
        assertNotFound("/site.css/x");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/../outside/secret.txt",
                "/a/../../outside/secret.txt",
                "/a/../site.css",
                "/./site.css",
                "/..",
                "/..\\outside\\secret.txt",
                "/a\\..\\..\\outside\\secret.txt",
                "/site.css\0.png",
                "/C:/Windows/win.ini",
                "/C:",
                "/c:\\boot.ini",
                "/site.css::$DATA",
                "/%2e%2e/outside/secret.txt"
            })
    void traversalAttemptsAreNotFound(String path) throws Exception {
        assertNotFound(path);
    }

    @Test
    void absolutePathOfAFileOutsideIsResolvedUnderTheDocroot() throws Exception {
        assertNotFound(temp.resolve("outside/secret.txt").toString());
        assertNotFound("/" + temp.resolve("outside/secret.txt"));
    }

    @Test
    void symbolicLinksLeadingOutOfTheDocrootAreNotFound() throws Exception {
        assertNotFound("/escape.txt");
        assertNotFound("/absolute.txt");
        assertNotFound("/escapedir/secret.txt");
        assertNotFound("/escapedir/");
        assertNotFound("/linkedindex/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "PROPFIND"})
    void otherMethodsAreNotAllowed(String method) throws Exception {
        Response response = handle(handler, TestRequest.of(method, "/site.css"));
        assertEquals(405, response.status());
        assertEquals("GET, HEAD, OPTIONS", header(response, "Allow"));
    }

    @Test
    void thePathBelowTheRoutedPrefixNamesTheFile() throws Exception {
        StaticHandler docs = MountConfig.of(docroot).prefix("/docs/").handler();
        assertEquals(
                "body{}\n", read(handle(docs, TestRequest.get("/docs/site.css").prefix("/docs"))));
        assertEquals(
                "<h1>sub</h1>\n",
                read(handle(docs, TestRequest.get("/docs/sub/").prefix("/docs"))));
        Response bare = handle(docs, TestRequest.get("/docs").prefix("/docs"));
        assertEquals(301, bare.status());
        assertEquals("/docs/", header(bare, "Location"));
        assertEquals(
                "body{}\n",
                read(handle(docs, TestRequest.get("/other/site.css").prefix("/other"))),
                "the prefix the glue routed by counts, not the one configured: a service may be registered twice");
        assertEquals(
                404,
                handle(docs, TestRequest.get("/docs/docs/site.css").prefix("/docs"))
                        .status(),
                "the prefix is taken off once");
    }

    @Test
    void indexNamesAreTriedInOrder() throws Exception {
        Site.write(docroot.resolve("sub/default.htm"), "default\n");
        StaticHandler custom = MountConfig.of(docroot)
                .index("missing.html", "default.htm", "index.html")
                .handler();
        Response response = handle(custom, TestRequest.get("/sub/"));
        assertEquals("text/html; charset=utf-8", header(response, "Content-Type"));
        assertEquals("default\n", read(response));
    }

    @Test
    void invalidConfigurationsAreRefused() {
        RefusedConfiguration file = assertThrows(
                RefusedConfiguration.class,
                () -> MountConfig.of(docroot.resolve("site.css")).handler());
        assertEquals("docroot", file.key());
        assertEquals("not a folder", file.reason());
        RefusedConfiguration absent = assertThrows(
                RefusedConfiguration.class,
                () -> MountConfig.of(temp.resolve("absent")).handler());
        assertEquals(temp.resolve("absent").toString(), absent.value());
        assertEquals("does not exist", absent.reason());
        assertThrows(
                RefusedConfiguration.class,
                () -> MountConfig.of(docroot).index("../x.html").handler());
        assertThrows(
                RefusedConfiguration.class,
                () -> MountConfig.of(docroot).index("a/index.html").handler());
        assertThrows(
                RefusedConfiguration.class,
                () -> MountConfig.of(docroot).index("/index.html").handler());
        assertThrows(
                RefusedConfiguration.class,
                () -> MountConfig.of(docroot).index("").handler());
        assertThrows(
                RefusedConfiguration.class,
                () -> MountConfig.of(docroot).prefix("docs").handler());
        assertThrows(
                RefusedConfiguration.class,
                () -> MountConfig.of(docroot).hidden("sometimes").handler());
        assertThrows(
                RefusedConfiguration.class,
                () -> MountConfig.of(docroot).mimeTypes("nothing").handler());
        assertThrows(
                RefusedConfiguration.class,
                () -> MountConfig.of(docroot).mimeTypes("a.b=text/x").handler());
        assertThrows(
                RefusedConfiguration.class,
                () -> MountConfig.of(docroot).mimeTypes("x=notatype").handler());
        assertThrows(
                RefusedConfiguration.class,
                () -> MountConfig.of(docroot)
                        .cacheControl("max-age=1\r\nSet-Cookie: x")
                        .handler());
        assertThrows(
                RefusedConfiguration.class,
                () -> MountConfig.of(docroot).cacheControl("max-age=1\u007f").handler());
        assertThrows(
                RefusedConfiguration.class,
                () -> MountConfig.of(docroot).metadataCacheMillis(-1).handler());
    }

    @Test
    void cachedMetadataNeverAnnouncesAStaleLengthForAFileSentFromDisk() throws Exception {
        StaticHandler cached = MountConfig.of(docroot)
                .metadataCacheMillis(60_000)
                .memory(16 * 1024, 1 << 20)
                .handler();
        String big = "x".repeat(16 * 1024 + 1);
        Files.writeString(docroot.resolve("big.txt"), big);
        assertEquals(big, read(handle(cached, TestRequest.get("/big.txt"))));
        Files.writeString(docroot.resolve("big.txt"), big + "more");
        Response changed = handle(cached, TestRequest.get("/big.txt"));
        assertEquals(big.length() + 4, changed.body().length());
        assertEquals(big + "more", read(changed), "a size change is noticed at once despite the cache");
        assertEquals(0, OpenChannels.on(docroot.resolve("big.txt")), "the channel that found the change is closed");
        Files.delete(docroot.resolve("big.txt"));
        assertEquals(404, handle(cached, TestRequest.get("/big.txt")).status(), "a deletion too");
    }

    @Test
    void aLookupWhoseFileCannotBeOpenedIsForgotten() throws Exception {
        AtomicLong clock = new AtomicLong(); // never moves: only forgetting renews a lookup
        StaticHandler fromDisk = MountConfig.of(docroot).memory(0, 0).handler(clock::get);
        Path file = docroot.resolve("page.html");
        Response first = handle(fromDisk, TestRequest.get("/page.html"));
        String tag = header(first, "ETag");
        read(first);
        Files.delete(file);
        assertEquals(404, handle(fromDisk, TestRequest.get("/page.html")).status());
        Site.write(file, "<p>PAGE</p>\n"); // as long as before
        Files.setLastModifiedTime(file, FileTime.from(Site.MODIFIED.plusSeconds(1)));
        Response again = handle(fromDisk, TestRequest.get("/page.html"));
        assertNotEquals(tag, header(again, "ETag"), "looked up afresh");
        assertEquals("<p>PAGE</p>\n", read(again));
    }

    @Test
    void aPrecompressedSiblingsTagIsItsOwnMarkedWithItsCoding() throws Exception {
        String identity = header(handle(handler, TestRequest.get("/app.js.br")), "ETag");
        Response brotli = handle(handler, TestRequest.get("/app.js").header("Accept-Encoding", "br"));
        assertEquals(identity.replaceFirst("\"$", "-br\""), header(brotli, "ETag"));
        String gzip = header(handle(handler, TestRequest.get("/app.js").header("Accept-Encoding", "gzip")), "ETag");
        assertTrue(gzip.endsWith("-gz\""), gzip);
    }

    @Test
    void filesOfTheSameSizeAndTimeHaveDifferentTags() throws Exception {
        assumeTrue(Files.readAttributes(docroot, BasicFileAttributes.class).fileKey() != null, "no file identity");
        Site.write(docroot.resolve("copy.css"), "body{}\n");
        Response original = handle(handler, TestRequest.get("/site.css"));
        Response copy = handle(handler, TestRequest.get("/copy.css"));
        assertEquals(read(original), read(copy));
        assertNotEquals(header(original, "ETag"), header(copy, "ETag"), "the file's identity tells them apart");
    }

    @Test
    void smallFileIsServedFromMemoryConsistentlyUntilTheCachePeriodEnds() throws Exception {
        AtomicLong clock = new AtomicLong();
        StaticHandler cached = MountConfig.of(docroot).metadataCacheMillis(200).handler(clock::get);
        Response first = handle(cached, TestRequest.get("/site.css"));
        assertInstanceOf(Body.Bytes.class, first.body(), "a small file is kept in memory");
        String firstTag = header(first, "ETag");
        Files.writeString(docroot.resolve("site.css"), "body{color:red}\n");
        clock.set(TimeUnit.MILLISECONDS.toNanos(200) - 1);
        Response during = handle(cached, TestRequest.get("/site.css"));
        assertEquals(firstTag, header(during, "ETag"), "the lookup is fresh until its period ends");
        assertEquals("body{}\n", read(during), "bytes and validators always belong together");
        clock.incrementAndGet();
        Response fresh = handle(cached, TestRequest.get("/site.css"));
        assertNotEquals(firstTag, header(fresh, "ETag"), "the change is seen once the cache period ends");
        assertEquals("body{color:red}\n", read(fresh));
    }

    @Test
    void withoutTheCacheEveryRequestLooksAtTheDisk() throws Exception {
        StaticHandler uncached = MountConfig.of(docroot).metadataCacheMillis(0).handler();
        assertInstanceOf(
                Body.FileRegion.class,
                handle(uncached, TestRequest.get("/site.css")).body());
        Files.delete(docroot.resolve("site.css"));
        assertEquals(404, handle(uncached, TestRequest.get("/site.css")).status());
    }

    @Test
    void theBuilderTakesTheSettingsOfAConfiguration() throws Exception {
        StaticHandler built = StaticHandler.builder(docroot)
                .index("page.html")
                .listing(true)
                .cacheControl(" public, max-age=60 ")
                .mimeTypes("css=text/x-test")
                .build();
        Response css = handle(built, TestRequest.get("/site.css"));
        assertEquals("text/x-test; charset=utf-8", header(css, "Content-Type"));
        assertEquals("public, max-age=60", header(css, "Cache-Control"));
        read(css);
        assertEquals("<p>page</p>\n", read(handle(built, TestRequest.get("/"))), "the index file named");
        Response listed = handle(built, TestRequest.get("/empty/"));
        assertEquals(200, listed.status(), "a folder without an index is listed");
        assertTrue(read(listed).contains("<html"));
        Response defaults = handle(StaticHandler.builder(docroot).build(), TestRequest.get("/empty/"));
        assertEquals(404, defaults.status(), "no listing unless asked for");
    }

    @Test
    void theBuilderRefusesWhatAConfigurationWouldBeRefused() {
        RefusedConfiguration missing = assertThrows(
                RefusedConfiguration.class,
                () -> StaticHandler.builder(temp.resolve("absent")).build());
        assertEquals("docroot", missing.key());
        RefusedConfiguration negative = assertThrows(
                RefusedConfiguration.class,
                () -> StaticHandler.builder(docroot).metadataCacheMillis(-1).build());
        assertEquals("metadataCacheMillis", negative.key());
    }

    private void assertNotFound(String path) throws Exception {
        Response response = handle(handler, TestRequest.get(path));
        assertEquals(404, response.status(), path);
        assertInstanceOf(Body.Bytes.class, response.body(), path);
    }

    private static Response handle(StaticHandler handler, Request request) throws Exception {
        return Answers.of(handler, request);
    }

    private static String header(Response response, String name) {
        return response.headers().first(name).orElseThrow(() -> new AssertionError("no " + name));
    }

    /** Reads the body, closing a file body's channel as the server would. */
    private static String read(Response response) throws IOException {
        if (response.body() instanceof Body.Bytes bytes) {
            return UTF_8.decode(bytes.content()).toString();
        }
        Body.FileRegion region = assertInstanceOf(Body.FileRegion.class, response.body());
        try (var channel = region.channel()) {
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(region.length()));
            while (buffer.hasRemaining() && channel.read(buffer, region.position() + buffer.position()) >= 0) {
                // read until full
            }
            assertEquals(0, buffer.remaining(), "file shorter than the region");
            return UTF_8.decode(buffer.flip()).toString();
        }
    }
}

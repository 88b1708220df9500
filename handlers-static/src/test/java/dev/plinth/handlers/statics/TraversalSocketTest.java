package dev.plinth.handlers.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Traversal payloads sent byte-exact on the wire to a real server. A secret lies just outside the docroot (and in a
 * sibling folder); no response may contain it, and every answer is 400 or 404.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TraversalSocketTest extends SharedSite {

    private static InetSocketAddress listingServer;

    @BeforeAll
    static void startListing() throws IOException {
        listingServer = site.serve(site.mount().listing(true).hidden("allow").index("no-index.html"));
        Site.write(site.docroot.resolve("drive:stream.txt"), "a name Windows would read as a drive or a stream");
    }

    static Stream<String> corpus() {
        String absolute = temp.resolve("secret.txt").toAbsolutePath().toString();
        return Stream.of(
                "/../secret.txt",
                "/../../secret.txt",
                "/../../../../../../etc/passwd",
                "/sub/../../secret.txt",
                "/./../secret.txt",
                "/sub/./../../secret.txt",
                "///../secret.txt",
                "/....//secret.txt",
                "/%2e%2e/secret.txt",
                "/%2E%2E/secret.txt",
                "/%2e./secret.txt",
                "/.%2e/secret.txt",
                "/sub/%2e%2e/%2e%2e/secret.txt",
                "/%2e%2e%2fsecret.txt",
                "/%2e%2e%2f%2e%2e%2fsecret.txt",
                "/%252e%252e/secret.txt",
                "/%252e%252e%252fsecret.txt",
                "/..%2fsecret.txt",
                "/..%2Fsecret.txt",
                "/..\\secret.txt",
                "/sub\\..\\..\\secret.txt",
                "/..%5csecret.txt",
                "/%5c..%5csecret.txt",
                "/%2e%2e%5csecret.txt",
                "/secret.txt%00.html",
                "/site.css%00",
                "/.%00./secret.txt",
                "/%c0%ae%c0%ae/secret.txt",
                "/%e0%80%ae%e0%80%ae/secret.txt",
                "/%c0%af../secret.txt",
                "/..%c0%af../secret.txt",
                "/..%c1%9c../secret.txt",
                "/%u002e%u002e/secret.txt",
                "//etc/passwd",
                "/etc/passwd",
                "/" + absolute,
                "/" + absolute.substring(1).replace("/", "%2f"),
                "/..;/secret.txt",
                "/sub/..;/..;/secret.txt",
                "/C:/Windows/win.ini",
                "/c:%5cwindows%5cwin.ini",
                "/C:%2fWindows",
                "/C:..\\secret.txt",
                "/site.css::$DATA",
                "\\\\server\\share\\secret.txt",
                "/\\\\server/share",
                "/escape.txt",
                "/absolute.txt",
                "/escapedir/secret.txt",
                "/escapedir/",
                "/escapedir",
                "/secret.txt.",
                "/secret.txt%20",
                "/..%20/secret.txt",
                "/.. /secret.txt",
                "/%2e%2e%00/secret.txt",
                "http://localhost/../secret.txt",
                "http://localhost/%2e%2e/secret.txt",
                "*");
    }

    @Test
    void theCorpusIsLargeAndTheSecretIsReallyThere() throws IOException {
        assertTrue(corpus().count() >= 30);
        assertTrue(Files.readString(temp.resolve("secret.txt")).contains(Site.SECRET));
        assertTrue(Files.readString(temp.resolve("outside/secret.txt")).contains(Site.SECRET));
        assertEquals(200, Wire.send(server, "GET", "/site.css").status(), "the server does serve the docroot");
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void getNeverLeavesTheDocroot(String target) throws IOException {
        assertRefused(target, Wire.exchange(server, Wire.request("GET", target), false));
        assertRefused(target, Wire.exchange(listingServer, Wire.request("GET", target), false));
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void rangesAndHeadNeverLeaveTheDocrootEither(String target) throws IOException {
        assertRefused(target, Wire.exchange(server, Wire.request("GET", target, "Range: bytes=0-5,-5"), false));
        assertRefused(target, Wire.exchange(server, Wire.request("HEAD", target), true));
    }

    private static void assertRefused(String target, Wire.Reply reply) {
        assertTrue(Set.of(400, 404).contains(reply.status()), target + " answered " + reply);
        assertFalse(reply.text().contains(Site.SECRET), target + " leaked the secret");
        assertFalse(reply.text().contains("root:"), target + " leaked /etc/passwd");
    }

    /**
     * Dot segments and colons are refused in every segment on their own, not only by the hidden policy or by the
     * check that the result lies inside: the listing server allows hidden names, and these paths stay inside.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "/sub/../site.css",
                "/sub/%2e%2e/site.css",
                "/./site.css",
                "/%2e/site.css",
                "/sub/./index.html",
                "/sub/..",
                "/sub/%2e%2e/",
                "/sub/../",
                "/drive:stream.txt",
                "/drive%3Astream.txt"
            })
    void dotSegmentsAndColonsAreRefusedEvenWhereHiddenNamesAreServed(String target) throws IOException {
        assertEquals("body{}\n", Wire.send(listingServer, "GET", "/site.css").text(), "the file is there");
        assertEquals(404, Wire.send(listingServer, "GET", target).status(), target);
    }

    @Test
    void aListingNeverShowsWhatLiesOutside() throws IOException {
        Wire.Reply listing = Wire.send(listingServer, "GET", "/");
        assertEquals(200, listing.status());
        for (String name : List.of("escape.txt", "escapedir")) {
            assertFalse(listing.text().contains(name), name + " is listed: " + listing.text());
        }
        assertTrue(listing.text().contains("alias.txt"), "a link inside is listed");
        Wire.Reply linked = Wire.send(listingServer, "GET", "/linkedindex/");
        assertEquals(200, linked.status());
        assertFalse(linked.text().contains("index.html"), "a link out is not listed: " + linked.text());
        assertFalse(linked.text().contains(Site.SECRET));
    }
}

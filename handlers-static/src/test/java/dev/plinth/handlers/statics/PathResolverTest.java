package dev.plinth.handlers.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Path resolution on its own, with no cache and no server: what each kind of path maps to in {@link Site}'s tree. */
class PathResolverTest {

    @TempDir
    static Path temp;

    private static Site site;
    private static PathResolver deny;
    private static PathResolver allow;

    @BeforeAll
    static void tree() throws IOException {
        site = Site.in(temp);
        Site.write(site.docroot.resolve("drive:stream.txt"), "refused by name");
        deny = new PathResolver(site.docroot, List.of("index.html"), PathResolver.Hidden.DENY, false);
        allow = new PathResolver(site.docroot, List.of("index.html"), PathResolver.Hidden.ALLOW, false);
    }

    @ParameterizedTest(name = "{0}: {1} with hidden names denied, {2} allowed")
    @CsvSource(
            delimiter = '|',
            value = {
                "/site.css              | Found        | Found",
                "/sub/                  | Found        | Found",
                "/sub                   | MissingSlash | MissingSlash",
                "''                     | MissingSlash | MissingSlash",
                "/empty/                | NoIndex      | NoIndex",
                "/missing.txt           | NotFound     | NotFound",
                "/site.css/             | NotFound     | NotFound",
                "/.hidden.txt           | NotFound     | Found",
                "/.well-known/security.txt | Found     | Found",
                "/sub/../site.css       | NotFound     | NotFound",
                "/./site.css            | NotFound     | NotFound",
                "/drive:stream.txt      | NotFound     | NotFound",
                "/escape.txt            | NotFound     | NotFound",
                "/alias.txt             | Found        | Found",
                "//sub//index.html      | Found        | Found"
            })
    void mapsEachKindOfPath(String path, String denied, String allowed) throws IOException {
        assertEquals(denied, deny.resolve(path).getClass().getSimpleName(), path);
        assertEquals(allowed, allow.resolve(path).getClass().getSimpleName(), path);
    }

    @Test
    void aFoundFileIsItsRealPath() throws IOException {
        Lookup.Found alias = assertInstanceOf(Lookup.Found.class, deny.resolve("/alias.txt"));
        assertEquals(site.docroot.resolve("page.html").toRealPath(), alias.file());
        assertEquals(12, alias.attributes().size());
    }

    @Test
    void siblingsFollowTheSameRules() throws IOException {
        Path app = site.docroot.resolve("app.js").toRealPath();
        Lookup.Found brotli = assertInstanceOf(Lookup.Found.class, deny.sibling(app, ".br"));
        assertEquals(app.resolveSibling("app.js.br"), brotli.file());
        assertInstanceOf(Lookup.NotFound.class, deny.sibling(app, ".zst"));
        assertInstanceOf(
                Lookup.NotFound.class,
                deny.sibling(site.docroot.toRealPath().resolve("escape"), ".txt"),
                "a sibling that is a link out");
    }
}

package dev.plinth.handlers.statics;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.core.testing.TestGlue;
import dev.plinth.http.transport.HttpServer;
import dev.plinth.http.transport.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A docroot with a known tree beside a secret that must never be served, and real servers on 127.0.0.1 serving it.
 *
 * <pre>
 * secret.txt                 SECRET (just outside the docroot)
 * outside/secret.txt         SECRET
 * www/index.html, site.css, page.html, digits.txt (100 bytes), blob.bin (200 000 random bytes), empty.txt
 * www/sub/index.html, www/empty/, www/a b/
 * www/app.js (+ .br, .gz), www/only-gz.css (+ .gz), www/logo.png
 * www/.hidden.txt, www/.git/config, www/.well-known/security.txt, www/.well-known/.inner
 * www/alias.txt -> page.html          (a link inside)
 * www/escape.txt -> ../secret.txt     (a link out)
 * www/absolute.txt -> /.../outside/secret.txt (a link out, absolute)
 * www/escapedir -> ../outside         (a directory link out)
 * www/linkedindex/index.html -> ../../secret.txt
 * </pre>
 */
final class Site implements AutoCloseable {

    /** The secret's bytes: no response may contain them. */
    static final String SECRET = "TOP-SECRET-7f3a9c-do-not-serve";

    /** Every file's modification time: long past, so Last-Modified is a strong validator. */
    static final Instant MODIFIED = Instant.parse("2024-01-02T03:04:05.123456Z");

    /** {@code Last-Modified} of every file. */
    static final String LAST_MODIFIED = "Tue, 02 Jan 2024 03:04:05 GMT";

    /** The content of digits.txt: 100 bytes. */
    static final String DIGITS = "0123456789".repeat(10);

    final Path temp;
    final Path docroot;
    final byte[] blob;
    private final List<HttpServer> servers = new ArrayList<>();

    private Site(Path temp) throws IOException {
        this.temp = temp;
        this.docroot = Files.createDirectories(temp.resolve("www"));
        write(temp.resolve("secret.txt"), SECRET + "\n");
        write(Files.createDirectories(temp.resolve("outside")).resolve("secret.txt"), SECRET + "\n");
        write(docroot.resolve("index.html"), "<h1>home</h1>\n");
        write(docroot.resolve("site.css"), "body{}\n");
        write(docroot.resolve("page.html"), "<p>page</p>\n");
        write(docroot.resolve("digits.txt"), DIGITS);
        write(docroot.resolve("empty.txt"), "");
        blob = new byte[200_000];
        new Random(42).nextBytes(blob);
        write(docroot.resolve("blob.bin"), blob);
        write(Files.createDirectories(docroot.resolve("sub")).resolve("index.html"), "<h1>sub</h1>\n");
        Files.createDirectories(docroot.resolve("empty"));
        Files.createDirectories(docroot.resolve("a b"));
        write(docroot.resolve("app.js"), "console.log('identity');\n");
        write(docroot.resolve("app.js.br"), "BROTLI-BYTES");
        write(docroot.resolve("app.js.gz"), "GZIP-BYTES-LONGER");
        write(docroot.resolve("only-gz.css"), "p{}\n");
        write(docroot.resolve("only-gz.css.gz"), "GZ-CSS");
        write(docroot.resolve("logo.png"), "PNG");
        write(docroot.resolve(".hidden.txt"), "hidden\n");
        write(Files.createDirectories(docroot.resolve(".git")).resolve("config"), "[core]\n");
        write(Files.createDirectories(docroot.resolve(".well-known")).resolve("security.txt"), "Contact: x\n");
        write(docroot.resolve(".well-known/.inner"), "inner\n");
        Files.createSymbolicLink(docroot.resolve("alias.txt"), Path.of("page.html"));
        Files.createSymbolicLink(docroot.resolve("escape.txt"), Path.of("../secret.txt"));
        Files.createSymbolicLink(docroot.resolve("absolute.txt"), temp.resolve("outside/secret.txt"));
        Files.createSymbolicLink(docroot.resolve("escapedir"), Path.of("../outside"));
        Files.createSymbolicLink(
                Files.createDirectories(docroot.resolve("linkedindex")).resolve("index.html"),
                Path.of("../../secret.txt"));
    }

    /**
     * @param temp an empty directory
     * @return the site, with no server yet
     * @throws IOException if the tree cannot be made
     */
    static Site in(Path temp) throws IOException {
        return new Site(temp);
    }

    /** @return a mount of the docroot with default settings */
    MountConfig mount() {
        return MountConfig.of(docroot);
    }

    /**
     * @param config a mount
     * @return the address of a new server on 127.0.0.1 serving it under its prefix
     * @throws IOException if the handler or the server cannot start
     */
    InetSocketAddress serve(MountConfig config) throws IOException {
        return serve(config, CoreConfig.DEFAULT);
    }

    /**
     * @param config a mount
     * @param core the server's core settings (compression, say)
     * @return the address of a new server on 127.0.0.1 serving it under its prefix
     * @throws IOException if the handler or the server cannot start
     */
    InetSocketAddress serve(MountConfig config, CoreConfig core) throws IOException {
        HttpServer server = new HttpServer(
                ServerConfig.of("127.0.0.1", 0).withCore(core),
                TestGlue.of(config.plinth_handler_prefix(), config.handler()));
        servers.add(server);
        return server.start();
    }

    static void write(Path file, String text) throws IOException {
        write(file, text.getBytes(UTF_8));
    }

    static void write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
    }

    @Override
    public void close() throws InterruptedException {
        for (HttpServer server : servers) {
            server.stop(1_000);
        }
    }
}

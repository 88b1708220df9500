package dev.plinth.handlers.statics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * For socket tests that only read: one {@link Site} and one server with the default mount per test class. A subclass
 * may start more servers in its own {@code @BeforeAll}, which runs after this one.
 */
abstract class SharedSite {

    @TempDir
    static Path temp;

    static Site site;

    /** The default mount of {@link #site}. */
    static InetSocketAddress server;

    @BeforeAll
    static void startSite() throws IOException {
        site = Site.in(temp);
        server = site.serve(site.mount());
    }

    @AfterAll
    static void stopSite() throws InterruptedException {
        site.close();
    }
}

package dev.plinth.distribution.it;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests that run the distribution as its own process share: a temporary folder, and the server, which is
 * stopped after each test if the test left it running.
 */
abstract class ProcessTest {

    /** How long the server may take to bind its socket. */
    static final Duration START_WAIT = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    /** The server the test started, if any. */
    PlinthProcess server;

    @AfterEach
    void stopTheServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }
}

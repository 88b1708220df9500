package dev.plinth.handlers.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Counts the channels this process holds open on a file, from {@code /proc/self/fd} (Linux; skipped elsewhere). */
final class OpenChannels {

    private static final Path DESCRIPTORS = Path.of("/proc/self/fd");

    private OpenChannels() {}

    /**
     * @param file a file
     * @return how many descriptors of this process are open on it now
     * @throws IOException if the descriptors cannot be listed
     */
    static long on(Path file) throws IOException {
        assumeTrue(Files.isDirectory(DESCRIPTORS), "no /proc here");
        Path real = file.toRealPath();
        try (Stream<Path> open = Files.list(DESCRIPTORS)) {
            return open.filter(descriptor -> {
                        try {
                            return Files.readSymbolicLink(descriptor).equals(real);
                        } catch (IOException closedMeanwhile) {
                            return false;
                        }
                    })
                    .count();
        }
    }

    /**
     * Waits, at most {@link Answers#WAIT_MILLIS}, until no channel is open on the file. Closing happens on a server
     * thread with nothing to wait on but the descriptor table itself, so it is looked at every few milliseconds.
     *
     * @param file a file
     * @throws Exception if a channel is still open on it at the deadline, or waiting was interrupted
     */
    static void awaitNone(Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Answers.WAIT_MILLIS);
        while (on(file) > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
        assertEquals(0, on(file), "channels still open on " + file);
    }
}

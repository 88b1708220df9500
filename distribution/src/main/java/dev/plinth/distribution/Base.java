package dev.plinth.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The base folder: where one Plinth instance keeps what its user owns, {@code etc/}, {@code deploy/}, {@code www/},
 * {@code logs/} and {@code data/}, apart from the release in the home folder ({@code plinth.jar}, {@code lib/},
 * {@code bundles/}, {@code bin/}), so that a new release can take the old one's place while the base stays, as with
 * Tomcat's CATALINA_BASE or Karaf's KARAF_BASE. Unless told otherwise the base is the home, and everything lives in
 * the release's folder.
 *
 * <p>A base is made on the first start that names it: a folder that does not exist yet, or is empty, gets copies of
 * the home's {@code etc/}, {@code deploy/} and {@code www/}. A base is recognised by its {@code etc/config.properties};
 * a folder that holds other things but not that file is refused, so that a mistyped path cannot fill, say, a user's
 * home directory with Plinth's folders.
 */
final class Base {

    /** The folders copied from the home into a new base, in this order. */
    static final List<String> COPIED = List.of("www", "deploy", "etc");

    /** Environment variable naming the base, when neither {@code --base} nor {@code -Dplinth.base} does. */
    static final String ENVIRONMENT = "PLINTH_BASE";

    /** A base (or home) folder that cannot be used; the message says why. */
    static final class UnusableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnusableException(String message) {
            super(message);
        }
    }

    private Base() {}

    /**
     * Chooses the base folder: {@code --base}, else the system property {@code plinth.base}, else the environment
     * variable {@code PLINTH_BASE}, else the home.
     *
     * @param home the release's folder
     * @param options the command line
     * @param system the system properties ({@code System::getProperty})
     * @param environment the environment ({@code System::getenv})
     * @return the base folder, absolute and normalised
     */
    static Path choose(Path home, Options options, UnaryOperator<String> system, UnaryOperator<String> environment) {
        if (options.base().isPresent()) {
            return options.base().get();
        }
        for (String given : new String[] {system.apply("plinth.base"), environment.apply(ENVIRONMENT)}) {
            if (given != null && !given.isBlank()) {
                return Path.of(given).toAbsolutePath().normalize();
            }
        }
        return home;
    }

    /**
     * Makes sure the base can be used: nothing to do when it holds {@code etc/config.properties}; when it does not
     * exist or is empty, the home's {@code www/}, {@code deploy/} and {@code etc/} are copied into it (the copies
     * writable, whatever the release's files are).
     *
     * @param home the release's folder
     * @param base the base folder, possibly the home
     * @return the folders copied, empty if the base was ready
     * @throws UnusableException if the base is neither a base nor empty, or the home is not a release, or a copy
     *     fails
     */
    static List<String> prepare(Path home, Path base) throws UnusableException {
        if (Files.isRegularFile(base.resolve("etc/config.properties"))) {
            return List.of();
        }
        if (!Files.isRegularFile(home.resolve("etc/config.properties"))) {
            throw new UnusableException(home + " holds no etc/config.properties;"
                    + " run plinth.jar from its distribution folder or set -Dplinth.home");
        }
        try {
            if (!isEmptyOrMissing(base)) {
                throw new UnusableException("the base folder " + base + " holds no etc/config.properties and is not"
                        + " empty; name an existing base, or an empty or new folder to make one");
            }
            List<String> copied = new ArrayList<>();
            for (String folder : COPIED) {
                if (Files.isDirectory(home.resolve(folder))) {
                    copyTree(home.resolve(folder), base.resolve(folder));
                    copied.add(folder);
                }
            }
            return copied;
        } catch (IOException e) {
            throw new UnusableException("cannot make the base folder " + base + ": " + e);
        }
    }

    private static boolean isEmptyOrMissing(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return true;
        }
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }

    /**
     * Copies files and folders, but not their permissions (which {@code Files.copy(Path, Path)} would take on Unix): the
     * copies are made as new files of the user's, writable even if the release's are not.
     */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    try (InputStream in = Files.newInputStream(file)) {
                        Files.copy(in, target);
                    }
                }
            }
        }
    }
}

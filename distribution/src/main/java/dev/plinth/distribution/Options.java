package dev.plinth.distribution;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The command line of {@code plinth.jar}. Every option is optional; an absent one falls back to the system property
 * of the same meaning ({@code -Dplinth.http.port=...}), then to the default.
 *
 * @param port {@code --port N}: the TCP port to listen on, 0 to 65535 (0 picks a free one)
 * @param host {@code --host ADDRESS}: the address to listen on
 * @param docroot {@code --docroot DIR}: the folder the static handler serves, made absolute
 * @param base {@code --base DIR}: the instance folder holding etc/, deploy/, www/, logs/ and data/, made absolute
 * @param help {@code --help} or {@code -h}: print the usage and exit
 */
public record Options(
        OptionalInt port, Optional<String> host, Optional<Path> docroot, Optional<Path> base, boolean help) {

    /** What {@code --help} prints, and what an invalid command line prints to standard error. */
    public static final String USAGE = String.join(
            System.lineSeparator(),
            "Usage: java -jar plinth.jar [--port N] [--host ADDRESS] [--docroot DIR] [--base DIR] [--help]",
            "",
            "  --port N          TCP port to listen on (default 8080; 0 picks a free port)",
            "  --host ADDRESS    address to listen on (default 0.0.0.0, every interface)",
            "  --docroot DIR     folder served under / (default <base>/www)",
            "  --base DIR        folder of etc/, deploy/, www/, logs/ and data/ (default $PLINTH_BASE, else <home>);",
            "                    an empty or missing one gets copies of <home>'s etc/, deploy/ and www/",
            "  --help            print this message and exit",
            "",
            "<home> is the folder of plinth.jar. Configuration lives in <base>/etc (Config Admin files, read by",
            "FileInstall); handler bundles dropped into <base>/deploy go live within about a second, and go away",
            "when removed.");

    /** Thrown for a command line that cannot be understood; the launcher prints the message and exits with 2. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * Parses a command line. Each option takes its value either as the next argument ({@code --port 9000}) or after
     * an equals sign ({@code --port=9000}); a later occurrence of an option replaces an earlier one.
     *
     * @param args the arguments given to {@code main}
     * @return the options
     * @throws UsageException for an unknown option, a missing value, or a value out of range
     */
    public static Options parse(String... args) throws UsageException {
        OptionalInt port = OptionalInt.empty();
        Optional<String> host = Optional.empty();
        Optional<Path> docroot = Optional.empty();
        Optional<Path> base = Optional.empty();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            switch (name) {
                case "--help", "-h" -> {
                    if (value != null) {
                        throw new UsageException(name + " takes no value");
                    }
                    help = true;
                }
                case "--port", "--host", "--docroot", "--base" -> {
                    if (value == null) {
                        if (i + 1 == args.length) {
                            throw new UsageException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--port" -> port = OptionalInt.of(port(value));
                        case "--host" -> host = Optional.of(host(value));
                        case "--docroot" -> docroot = Optional.of(folder(name, value));
                        default -> base = Optional.of(folder(name, value));
                    }
                }
                default -> throw new UsageException("unknown option: " + arg);
            }
        }
        return new Options(port, host, docroot, base, help);
    }

    /**
     * Checks what parsing cannot: that a {@code --docroot} given names an existing folder.
     *
     * @return this
     * @throws UsageException if it does not
     */
    public Options validate() throws UsageException {
        if (docroot.isPresent() && !Files.isDirectory(docroot.get())) {
            throw new UsageException("--docroot is not a folder: " + docroot.get());
        }
        return this;
    }

    private static int port(String value) throws UsageException {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--port needs a number from 0 to 65535, not '" + value + "'");
    }

    private static String host(String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException("--host needs an address");
        }
        return value.strip();
    }

    private static Path folder(String option, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(option + " needs a folder");
        }
        try {
            return Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UsageException(option + " is not a valid path: '" + value + "'");
        }
    }
}

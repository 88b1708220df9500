package dev.plinth.distribution;

import java.io.Console;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Starts Plinth: works out the home and base folders, turns the command line into system properties, and hands over
 * to Felix's own launcher ({@code org.apache.felix.main.Main}), which reads {@code <base>/etc/config.properties},
 * cleans the framework storage, and installs and starts every jar in {@code <home>/bundles}.
 *
 * <p>The home folder is the one holding {@code plinth.jar}, whatever the working directory; the system property
 * {@code plinth.home} overrides it. The base folder holds the instance's {@code etc/}, {@code deploy/}, {@code www/},
 * {@code logs/} and {@code data/}; it is the home unless {@code --base}, {@code -Dplinth.base} or the environment
 * variable {@code PLINTH_BASE} names another (see {@link Base}). The system properties set for the framework and the
 * configuration files:
 * <table>
 * <caption>Properties set by the launcher</caption>
 * <tr><th>property</th><th>from</th><th>default</th></tr>
 * <tr><td>{@code plinth.home}</td><td>location of plinth.jar</td><td></td></tr>
 * <tr><td>{@code plinth.base}</td><td>{@code --base}, {@code PLINTH_BASE}</td><td>{@code <home>}</td></tr>
 * <tr><td>{@code plinth.http.port}</td><td>{@code --port}</td><td>8080</td></tr>
 * <tr><td>{@code plinth.http.host}</td><td>{@code --host}</td><td>0.0.0.0</td></tr>
 * <tr><td>{@code plinth.docroot}</td><td>{@code --docroot}</td><td>{@code <base>/www}</td></tr>
 * <tr><td>{@code felix.config.properties}</td><td></td><td>{@code <base>/etc/config.properties}</td></tr>
 * <tr><td>{@code java.util.logging.config.file}</td><td></td><td>{@code <base>/etc/logging.properties}</td></tr>
 * <tr><td>{@code felix.auto.start.1}</td><td>a console is attached</td>
 *     <td>the jars in {@code <home>/bundles/shell}</td></tr>
 * <tr><td>{@code gosh.args}</td><td>no console</td><td>{@code --nointeractive}</td></tr>
 * </table>
 * A property already given with {@code -D} is kept, unless the matching option is also on the command line.
 */
public final class Launcher {

    /** Exit status for a command line that cannot be understood. */
    public static final int EXIT_USAGE = 2;

    /** Exit status for a home folder that is not a Plinth distribution, or a base folder that cannot be used. */
    public static final int EXIT_NO_HOME = 1;

    /** Default TCP port. */
    public static final int DEFAULT_PORT = 8080;

    /** Default listening address: every interface. */
    public static final String DEFAULT_HOST = "0.0.0.0";

    private Launcher() {}

    /**
     * Runs the server until the framework stops (Ctrl-C, or {@code stop 0} in the shell).
     *
     * @param args {@code [--port N] [--host ADDRESS] [--docroot DIR] [--base DIR] [--help]}
     * @throws Exception if Felix fails to start
     */
    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
            if (options.help()) {
                System.out.println(Options.USAGE);
                return;
            }
            options.validate();
        } catch (Options.UsageException e) {
            System.err.println("plinth: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        Path home = home();
        Path base = Base.choose(home, options, System::getProperty, System::getenv);
        List<String> copied;
        try {
            copied = Base.prepare(home, base);
        } catch (Base.UnusableException e) {
            System.err.println("plinth: " + e.getMessage());
            System.exit(EXIT_NO_HOME);
            return;
        }
        Map<String, String> settings = settings(home, base, options, interactive(), System::getProperty);
        settings.forEach(System::setProperty);
        Path docroot = Path.of(System.getProperty("plinth.docroot"));
        System.Logger log = System.getLogger(Launcher.class.getPackageName());
        if (!copied.isEmpty()) {
            log.log(
                    System.Logger.Level.INFO,
                    "Plinth made the base folder {0}: copied {1} from {2}",
                    base,
                    copied.stream().map(folder -> folder + "/").collect(Collectors.joining(", ")),
                    home);
        }
        if (!Files.isDirectory(docroot)) {
            log.log(
                    System.Logger.Level.WARNING,
                    "docroot {0} is not a folder: the sample site is not mounted, / answers 404 and /health/ready 503",
                    docroot);
        }
        log.log(
                System.Logger.Level.INFO,
                "Plinth starting from {0} (base {1}, port {2}, docroot {3})",
                home,
                base,
                System.getProperty("plinth.http.port"),
                docroot);
        org.apache.felix.main.Main.main(new String[0]);
    }

    /**
     * Computes the system properties to set before Felix starts.
     *
     * @param home the distribution folder
     * @param base the base folder ({@link Base#choose}), possibly the home
     * @param options the command line
     * @param interactive whether a console is attached (the Gogo shell is started only then)
     * @param system the current system properties ({@code System::getProperty}), which win over defaults
     * @return the properties to set, in a stable order
     */
    static Map<String, String> settings(
            Path home, Path base, Options options, boolean interactive, UnaryOperator<String> system) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("plinth.home", home.toString());
        settings.put("plinth.base", base.toString());
        settings.put(
                "plinth.http.port",
                options.port().isPresent()
                        ? Integer.toString(options.port().getAsInt())
                        : or(system.apply("plinth.http.port"), Integer.toString(DEFAULT_PORT)));
        settings.put(
                "plinth.http.host", options.host().orElseGet(() -> or(system.apply("plinth.http.host"), DEFAULT_HOST)));
        settings.put("plinth.docroot", options.docroot().map(Path::toString).orElseGet(() -> {
            String given = system.apply("plinth.docroot");
            return given == null || given.isBlank()
                    ? base.resolve("www").toString()
                    : Path.of(given).toAbsolutePath().normalize().toString();
        }));
        settings.put(
                "felix.config.properties",
                or(
                        system.apply("felix.config.properties"),
                        base.resolve("etc/config.properties").toUri().toString()));
        Path logging = base.resolve("etc/logging.properties");
        if (system.apply("java.util.logging.config.file") == null && Files.isRegularFile(logging)) {
            settings.put("java.util.logging.config.file", logging.toString());
        }
        if (interactive) {
            String shell = shellBundles(home.resolve("bundles/shell"));
            if (!shell.isEmpty() && system.apply("felix.auto.start.1") == null) {
                settings.put("felix.auto.start.1", shell);
            }
        } else if (system.apply("gosh.args") == null) {
            // Should a shell bundle be dropped in anyway, it must not stop the framework when stdin ends.
            settings.put("gosh.args", "--nointeractive");
        }
        return settings;
    }

    /**
     * @param folder {@code <home>/bundles/shell}
     * @return the file URIs of the jars in it, space-separated, sorted; empty if none
     */
    static String shellBundles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return "";
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .map(f -> f.toUri().toString())
                    .collect(Collectors.joining(" "));
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * @return the folder of {@code plinth.jar}, or {@code -Dplinth.home}
     */
    static Path home() {
        String given = System.getProperty("plinth.home");
        if (given != null && !given.isBlank()) {
            return Path.of(given).toAbsolutePath().normalize();
        }
        CodeSource source = Launcher.class.getProtectionDomain().getCodeSource();
        try {
            Path location =
                    Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
            return Files.isDirectory(location) ? location : location.getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("").toAbsolutePath();
        }
    }

    /**
     * Whether a person is at a terminal. {@code System.console()} alone is not enough from Java 22 on, where it may
     * return a console whose streams are redirected; {@code Console.isTerminal()} (22+) tells, and is called
     * reflectively since the launcher is compiled for Java 17.
     *
     * @return whether to start the interactive shell
     */
    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}

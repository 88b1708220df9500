package dev.plinth.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plinth.distribution.it.HttpProbe.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Apache Karaf's own distribution, as a user unpacks it, with Plinth's features installed from its shell: Karaf runs
 * as a process ({@code bin/karaf server}), configured through its {@code etc/} files (Plinth's listener on a free
 * loopback port in {@code etc/dev.plinth.http.cfg}); {@code bin/client} adds the features repository and installs
 * the features as the README says; then the example handler, the sample page and the access log answer over a real
 * socket. Karaf's Maven resolver looks first in the repository this build laid out ({@code plinth.karaf.repository}),
 * so the bundles installed are this build's and Karaf never asks the network for them. Lives in the distribution
 * ITs' package to use their helpers ({@link HttpProbe}, {@link Tools}).
 */
class KarafFeatureIT {

    /** Karaf's start, the client's retries and the features' installation, together. */
    private static final Duration INSTALL = Duration.ofSeconds(240);

    /** A handler or a configuration change that follows an installation or a file in etc/. */
    private static final Duration SETTLE = Duration.ofSeconds(30);

    private static final String VERSION = System.getProperty("plinth.version");
    private static final String KARAF_VERSION = System.getProperty("plinth.karaf.version");

    private static Path karaf;
    private static Process process;
    private static int port;
    private static String shell;

    @BeforeAll
    static void installTheFeaturesIntoKaraf() throws Exception {
        String unsupported = "Karaf " + KARAF_VERSION + " does not run on Java "
                + Runtime.version().feature()
                + ": its scripts pass -Djava.security.manager=allow, which Java 24 and later refuse to start with;"
                + " without it, Karaf's Event Admin fails at every event (Subject.getSubject is not supported), its"
                + " Config Admin updates die and its remote shell never opens. KarafFeatureIT skipped.";
        if (Runtime.version().feature() >= 24) {
            System.out.println(unsupported);
        }
        assumeTrue(Runtime.version().feature() < 24, unsupported);
        Path work = Path.of(System.getProperty("plinth.karaf.work"));
        deleteTree(work);
        karaf = copyTree(Path.of(System.getProperty("plinth.karaf.dist")), work.resolve("karaf"));
        Path repository = publishFeatures(Path.of(System.getProperty("plinth.karaf.repository")));

        int[] ports = Tools.freePorts(4);
        port = ports[0];
        configureKaraf(repository, ports[1], ports[2], ports[3]);
        Files.writeString(etc("dev.plinth.http.cfg"), "host = 127.0.0.1\nport = " + port + "\n");
        // a stop that does not keep the test waiting (the default gives load balancers 5 s to notice)
        Files.writeString(etc("dev.plinth.shutdown.cfg"), "delayMillis = 0\ngraceMillis = 2000\n");

        process = karafScript("bin/karaf", "server")
                .redirectOutput(work.resolve("karaf.out").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(PlinthProcess.nullDevice()))
                .start();
        shell = client(
                work,
                ports[1],
                "shell:info | grep \"Karaf version\"",
                "feature:repo-add mvn:dev.plinth/plinth-features/" + VERSION + "/xml/features",
                "feature:install plinth-example",
                "feature:install plinth-commands",
                "feature:list -i | grep plinth",
                // a command's result is printed in a pipe only (batch mode prints what commands write)
                "plinth:handlers | grep -v \"^$\"");
        System.out.println("Karaf's shell (bin/client):\n" + shell);
        shell = shell.replaceAll("\u001B\\[[;\\d]*m", "").replaceAll("(?m)[ \t]+$", ""); // colours, trailing blanks
    }

    @AfterAll
    static void stopKaraf() throws InterruptedException {
        if (process == null) {
            return;
        }
        // bin/karaf is a shell script around the JVM: stop the JVM (SIGTERM: Plinth drains, Karaf stops), then both
        List<ProcessHandle> all = Stream.concat(process.descendants(), Stream.of(process.toHandle()))
                .toList();
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
    }

    @Test
    void theShellInstalledTheFeatures() {
        assertTrue(
                Pattern.compile("Karaf version\\s+" + Pattern.quote(KARAF_VERSION) + "\\s")
                        .matcher(shell)
                        .find(),
                shell);
        assertFalse(shell.contains("Error"), shell);
        for (String feature : List.of("plinth ", "plinth-example ", "plinth-commands ")) {
            // name | version | required | state | repository (plinth-<version>) | description, columns padded
            Pattern started = Pattern.compile("^" + Pattern.quote(feature) + ".*\\|\\s*Started\\s*\\|\\s*plinth-"
                    + Pattern.quote(VERSION) + "\\s*\\|");
            assertTrue(
                    shell.lines().anyMatch(line -> started.matcher(line).find()), feature + "not started:\n" + shell);
        }
        // plinth-commands: Plinth's Gogo command answers in Karaf's shell, with the example's mounts
        assertTrue(shell.lines().anyMatch(line -> line.startsWith("/hello ") && line.endsWith("HelloHandler")), shell);
        assertTrue(shell.lines().anyMatch(line -> line.startsWith("/ ") && line.endsWith("StaticHandler")), shell);
    }

    @Test
    void theExampleHandlerAndTheSamplePageAnswerOnThePortOfEtc() throws IOException {
        Reply hello = HttpProbe.awaitStatus(port, "/hello", 200, SETTLE);
        System.out.println(
                "GET /hello on Karaf: " + hello.status() + " " + hello.text().strip());
        assertEquals("Hello from a Plinth handler bundle\n", hello.text());
        Reply page = HttpProbe.awaitStatus(port, "/", 200, SETTLE);
        System.out.println("GET / on Karaf: " + page.status() + " " + page.header("content-type") + ", "
                + page.body().length + " bytes");
        assertEquals("text/html; charset=utf-8", page.header("content-type").toLowerCase());
        assertTrue(page.text().contains("<h1>Plinth on Apache Karaf</h1>"), page.text());
        assertEquals(404, HttpProbe.get(port, "/no-such-file").status());
    }

    @Test
    void readyWithKarafsDeployFolderAndItsReadme() throws IOException {
        Reply ready = HttpProbe.awaitStatus(port, "/health/ready", 200, SETTLE);
        assertTrue(ready.text().contains("{\"name\":\"deploy\",\"ok\":true"), ready.text());
        assertTrue(Files.exists(karaf.resolve("deploy/README")), "Karaf's deploy/ as shipped");
    }

    @Test
    void aFileInEtcChangesTheHandlerWithoutARestart() throws IOException {
        HttpProbe.awaitStatus(port, "/hello", 200, SETTLE);
        Files.writeString(etc("dev.plinth.example.hello.cfg"), "greeting = Moin\n");
        String text = await(
                () -> HttpProbe.get(port, "/hello?name=Karaf").text(), "Moin, Karaf\n"::equals, "the new greeting");
        assertEquals("Moin, Karaf\n", text);
    }

    @Test
    void theAccessLogOfTheFeaturesConfigurationIsBesideKarafsLog() throws IOException {
        HttpProbe.awaitStatus(port, "/hello?from=access-log", 200, SETTLE);
        Path log = karaf.resolve("data/log/plinth-access.log");
        String lines = await(
                () -> Files.exists(log) ? Files.readString(log) : "",
                text -> text.contains("\"GET /hello?from=access-log HTTP/1.1\" 200"),
                "the exchange in " + log);
        assertTrue(lines.contains("127.0.0.1"), lines);
    }

    /** Puts the built features file and sample page where their mvn: URLs point in the repository. */
    private static Path publishFeatures(Path repository) throws IOException {
        Path feature = Path.of(System.getProperty("plinth.karaf.feature"));
        Path folder = Files.createDirectories(repository.resolve("dev/plinth/plinth-features/" + VERSION));
        String name = "plinth-features-" + VERSION;
        Files.copy(feature.resolve("features.xml"), folder.resolve(name + "-features.xml"), REPLACE);
        Files.copy(feature.resolve("index.html"), folder.resolve(name + "-index.html"), REPLACE);
        return repository;
    }

    private static final StandardCopyOption REPLACE = StandardCopyOption.REPLACE_EXISTING;

    /**
     * Karaf's own ports on free ones, a user for its client, and its Maven resolver: this build's repository first
     * (Plinth's artifacts), then Karaf's own; what is in neither is fetched into the build's local repository.
     */
    private static void configureKaraf(Path repository, int ssh, int rmiRegistry, int rmiServer) throws IOException {
        Path maven = etc("org.ops4j.pax.url.mvn.cfg");
        String defaults = "org.ops4j.pax.url.mvn.defaultRepositories=\\\n";
        String text = Files.readString(maven);
        assertTrue(text.contains(defaults), text);
        Files.writeString(
                maven,
                text.replace(defaults, defaults + "    " + repository.toUri() + "@id=plinth.build@snapshots, \\\n")
                        + "\norg.ops4j.pax.url.mvn.localRepository = "
                        + System.getProperty("plinth.karaf.localRepository") + "\n");
        replace("org.apache.karaf.shell.cfg", "sshPort", Integer.toString(ssh));
        replace("org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1");
        replace("org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(rmiRegistry));
        replace("org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(rmiServer));
        Files.writeString(
                etc("users.properties"),
                "karaf = karaf,_g_:admingroup\n_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n",
                StandardOpenOption.APPEND);
    }

    private static void replace(String file, String key, String value) throws IOException {
        Path path = etc(file);
        String text = Files.readString(path);
        String changed = text.replaceFirst("(?m)^" + key + "\\s*=.*$", key + " = " + value);
        assertFalse(changed.equals(text), key + " not found in " + path);
        Files.writeString(path, changed);
    }

    private static Path etc(String file) {
        return karaf.resolve("etc").resolve(file);
    }

    /**
     * Runs Karaf's client with these commands (its batch mode, one per line on standard input): it retries until
     * Karaf's SSH server is up, for at most {@link #INSTALL} in all.
     *
     * @return what the shell printed
     */
    private static String client(Path work, int ssh, String... commands) throws Exception {
        Path input = Files.writeString(work.resolve("client.in"), String.join("\n", commands) + "\n");
        Path output = work.resolve("client.out");
        Process client = karafScript(
                        "bin/client",
                        "-h",
                        "127.0.0.1",
                        "-a",
                        Integer.toString(ssh),
                        "-u",
                        "karaf",
                        "-p",
                        "karaf",
                        "-r",
                        "180",
                        "-d",
                        "1",
                        "-b")
                .redirectOutput(output.toFile())
                .redirectInput(input.toFile())
                .start();
        try {
            if (!client.waitFor(INSTALL.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("bin/client did not end within " + INSTALL + ": " + Files.readString(output)
                        + "\nKaraf: " + Files.readString(work.resolve("karaf.out")));
            }
        } finally {
            client.destroyForcibly();
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, client.exitValue(), printed);
        return printed;
    }

    /** One of Karaf's scripts, run in its folder on the JDK that runs this test, its errors with its output. */
    private static ProcessBuilder karafScript(String script, String... arguments) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", script));
        command.addAll(List.of(arguments));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(karaf.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return builder;
    }

    /** What the source says, polled until the condition holds, for at most {@link #SETTLE}. */
    private static String await(Source source, Predicate<String> condition, String what) throws IOException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        String last = source.get();
        while (!condition.test(last)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no " + what + " within " + SETTLE + "; last: " + last);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            last = source.get();
        }
        return last;
    }

    /** Text read from the server or a file. */
    private interface Source {
        String get() throws IOException;
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(file);
            }
        }
    }
}

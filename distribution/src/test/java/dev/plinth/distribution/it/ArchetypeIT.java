package dev.plinth.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.distribution.it.HttpProbe.Reply;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a handler author does, start to end, with the real Maven: generate a project from the installed
 * {@code plinth-handler-archetype}, build it (its unit test runs, on {@code handler-test}), drop the bundle into the
 * {@code deploy/} folder of a running distribution, and ask it; then configure it with a {@code .cfg} file as its
 * README says. The archetype, the BOM and the API must be in the local repository: under {@code mvn install} from
 * the root they are installed before this module's integration tests run. The nested Maven uses the outer build's
 * local repository, and is offline when the outer build is.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ArchetypeIT extends ProcessTest {

    private static final Duration MAVEN_WAIT = Duration.ofMinutes(5);
    private static final Duration DEPLOY_WAIT = Duration.ofSeconds(30);

    private final StringBuilder transcript = new StringBuilder();

    @AfterEach
    void keepTheTranscript() throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("plinth.it.work")));
        Files.writeString(work.resolve("ArchetypeIT-transcript.txt"), transcript);
    }

    @Test
    void aGeneratedHandlerBundleBuildsTestsDeploysAndIsConfigured() throws Exception {
        String version = System.getProperty("plinth.it.version");
        Path archetype = Path.of(System.getProperty("plinth.it.repo.local"), "dev/plinth/plinth-handler-archetype")
                .resolve(version)
                .resolve("plinth-handler-archetype-" + version + ".jar");
        assertTrue(
                Files.isRegularFile(archetype),
                "the archetype, the BOM and the API must be installed for this test (" + archetype
                        + " is missing): run `mvn -B install` from the root, not `mvn verify`");
        String readme = Files.readString(Path.of(System.getProperty("plinth.it.readme")));
        List<String> generateCommand = readmeCommand(readme, "mvn -B org.apache.maven.plugins:maven-archetype-plugin:");
        assertEquals(
                "org.apache.maven.plugins:maven-archetype-plugin:" + System.getProperty("plinth.it.archetype.plugin")
                        + ":generate",
                generateCommand.get(2),
                "README's command runs the archetype plugin the build uses");
        Path projects = Files.createDirectories(temp.resolve("projects"));
        List<String> arguments = new ArrayList<>(generateCommand.subList(2, generateCommand.size()));
        // The README leaves the version to the local catalog, which may list others too: this build's, explicitly.
        arguments.add("-DarchetypeVersion=" + version);
        Tools.Run generate = maven(projects, arguments);
        assertEquals(0, generate.exit(), generate.toString());
        Path project = projects.resolve("greeter");
        String pom = Files.readString(project.resolve("pom.xml"));
        assertTrue(pom.contains("<plinth.version>" + version + "</plinth.version>"), pom);
        String test = Files.readString(project.resolve("src/test/java/com/example/greeter/HelloHandlerTest.java"));
        assertTrue(readme.contains("```java\n" + test + "```\n"), "README.md shows the generated test as it is");

        Tools.Run build = maven(project, "package");
        assertEquals(0, build.exit(), build.toString());
        assertTrue(build.out().contains("Tests run: 3, Failures: 0, Errors: 0, Skipped: 0"), build.out());
        Path bundle = project.resolve("target/greeter-1.0.0-SNAPSHOT.jar");
        assertTrue(Files.isRegularFile(bundle), "built: " + bundle);

        Path home = PlinthProcess.copyHome(temp.resolve("plinth"));
        server = PlinthProcess.start(home, temp);
        int port = server.awaitServingHttp(START_WAIT);
        assertEquals(
                404, HttpProbe.awaitStatus(port, "/greeter", 404, START_WAIT).status(), "nothing there yet");

        Files.copy(bundle, home.resolve("deploy/greeter.jar"));
        log("cp " + project.relativize(bundle) + " <plinth>/deploy/greeter.jar");
        Reply hello = HttpProbe.awaitStatus(port, "/greeter", 200, DEPLOY_WAIT);
        assertEquals("Hello from greeter\n", hello.text());
        assertEquals("text/plain; charset=utf-8", hello.header("content-type"));
        log("GET /greeter -> " + hello.status() + " " + hello.text().strip());
        Reply ada = HttpProbe.get(port, "/greeter?name=Ada");
        assertEquals("Hello, Ada\n", ada.text());
        log("GET /greeter?name=Ada -> " + ada.status() + " " + ada.text().strip());

        Files.writeString(
                home.resolve("etc/com.example.greeter.hello.cfg"), "plinth.handler.prefix=/greetings\ngreeting=Hi\n");
        log("etc/com.example.greeter.hello.cfg: plinth.handler.prefix=/greetings, greeting=Hi");
        Reply configured = HttpProbe.awaitStatus(port, "/greetings?name=Ada", 200, DEPLOY_WAIT);
        assertEquals("Hi, Ada\n", configured.text());
        log("GET /greetings?name=Ada -> " + configured.status() + " "
                + configured.text().strip());
        assertEquals(
                404, HttpProbe.awaitStatus(port, "/greeter", 404, DEPLOY_WAIT).status(), "the old prefix left");
        log("GET /greeter -> 404");
    }

    /** Runs the nested Maven in batch mode, on this test's JDK, with the outer build's repository and offline mode. */
    private Tools.Run maven(Path directory, String... arguments) throws Exception {
        return maven(directory, List.of(arguments));
    }

    private Tools.Run maven(Path directory, List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(mavenExecutable(), "-B", "-ntp"));
        if ("offline=true".equals(System.getProperty("plinth.it.offline"))) {
            command.add("-o");
        }
        String repository = System.getProperty("plinth.it.repo.local", "");
        if (!repository.isEmpty()) {
            command.add("-Dmaven.repo.local=" + repository);
        }
        command.addAll(arguments);
        log("$ (in " + temp.relativize(directory) + ") " + String.join(" ", command));
        Tools.Run run = Tools.run(
                MAVEN_WAIT,
                temp,
                directory,
                Map.of("JAVA_HOME", System.getProperty("java.home")),
                command.toArray(String[]::new));
        for (String line : run.out().split("\n")) {
            if (line.matches(
                    ".*(Parameter: prefix|Project created|Tests run: .*[0-9]$|BUILD|ERROR|bnd-maven-plugin).*")) {
                log("  " + line.strip());
            }
        }
        log("  -> exit " + run.exit());
        return run;
    }

    /**
     * A shell command of the README, its continuation lines joined, split into words (it has no quotes).
     *
     * @param readme the README's text
     * @param start how the command's first line starts
     * @return its words, the first being {@code mvn}
     */
    private static List<String> readmeCommand(String readme, String start) {
        int from = readme.indexOf("\n" + start);
        assertTrue(from >= 0, "README.md has a line starting " + start);
        StringBuilder command = new StringBuilder();
        for (String line : readme.substring(from + 1).split("\n")) {
            command.append(line.strip());
            if (!line.endsWith("\\")) {
                break;
            }
            command.setLength(command.length() - 1);
            command.append(' ');
        }
        return List.of(command.toString().strip().split("\\s+"));
    }

    /** The outer build's own Maven ({@code maven.home}), else {@code mvn} from the PATH. */
    private static String mavenExecutable() {
        String windows = System.getProperty("os.name").startsWith("Windows") ? ".cmd" : "";
        String home = System.getProperty("plinth.it.maven.home", "");
        Path own = Path.of(home, "bin", "mvn" + windows);
        if (!home.isEmpty() && Files.isExecutable(own)) {
            return own.toString();
        }
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(folder, "mvn" + windows);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("this test needs Maven: no " + own + " and no mvn on the PATH");
    }

    private void log(String line) {
        transcript.append(line).append('\n');
        System.out.println("[ArchetypeIT] " + line);
    }
}

package dev.plinth.example.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.module.ModuleDescriptor;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example, packaged, run as an embedder runs it: in its own JVM with only Plinth's jars and its own, once on the
 * class path and once on the module path. Each run serves a folder and the handler over a real loopback socket, and
 * stops gracefully when its standard input ends. What each run did is written to {@code target/embedding-it}.
 */
@Timeout(120)
class EmbeddingIT {

    private static final Path JARS = Path.of(System.getProperty("plinth.example.jars"));
    private static final Path EXAMPLE = Path.of(System.getProperty("plinth.example.jar"));
    private static final Path WORK = Path.of(System.getProperty("plinth.example.work"));
    private static final String MAIN = "dev.plinth.example.embedding.Main";
    /** How long the example may take to start, to answer, and to stop. */
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final Pattern SERVING = Pattern.compile("Plinth serving (http://127\\.0\\.0\\.1:(\\d+)/)");

    @Test
    void thePathsHoldPlinthsModulesAndNoOsgiJar() throws IOException {
        List<String> modules = new ArrayList<>();
        for (Path jar : plinthJars()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                assertTrue(
                        file.stream().noneMatch(entry -> entry.getName().startsWith("org/osgi/")),
                        jar + " holds no OSGi class");
                var moduleInfo = file.getEntry("module-info.class");
                assertNotNull(moduleInfo, jar + " is a module");
                ModuleDescriptor descriptor = ModuleDescriptor.read(file.getInputStream(moduleInfo));
                modules.add(descriptor.name());
                for (ModuleDescriptor.Requires requires : descriptor.requires()) {
                    boolean osgi = requires.name().startsWith("osgi.")
                            || requires.name().startsWith("org.osgi.");
                    assertTrue(
                            !osgi || requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC),
                            descriptor.name() + " needs " + requires + " only to compile");
                }
            }
        }
        assertEquals(
                List.of(
                        "dev.plinth.config",
                        "dev.plinth.handler.api",
                        "dev.plinth.handlers.statics",
                        "dev.plinth.http.core",
                        "dev.plinth.http.parser",
                        "dev.plinth.http.transport"),
                modules.stream().sorted().toList());
    }

    /**
     * jdeps' class graph of Plinth's modules: the classes that use an OSGi type, and every class that uses one of
     * those, however indirectly, lie in packages no module exports, so an embedder's code never loads them.
     */
    @Test
    void noClassOfAnExportedPackageReachesAnOsgiType() throws Exception {
        Path out = Files.createDirectories(WORK).resolve("jdeps.txt");
        Process jdeps = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jdeps").toString(),
                        "-verbose:class",
                        "--ignore-missing-deps",
                        "--module-path",
                        JARS.toString(),
                        "--add-modules",
                        "ALL-MODULE-PATH")
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertTrue(jdeps.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS), "jdeps ends within " + WAIT);
        assertEquals(0, jdeps.exitValue(), read(out));
        Map<String, Set<String>> users = new HashMap<>(); // class -> the classes that use it
        Set<String> reached = new TreeSet<>();
        Matcher edge = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s").matcher("");
        for (String line : Files.readAllLines(out)) {
            if (edge.reset(line).find()) {
                users.computeIfAbsent(edge.group(2), c -> new HashSet<>()).add(edge.group(1));
                if (edge.group(2).startsWith("org.osgi.")) {
                    reached.add(edge.group(1));
                }
            }
        }
        assertFalse(reached.isEmpty(), "the DS components use OSGi types: jdeps sees them\n" + read(out));
        for (Deque<String> work = new ArrayDeque<>(reached); !work.isEmpty(); ) {
            for (String user : users.getOrDefault(work.pop(), Set.of())) {
                if (reached.add(user)) {
                    work.push(user);
                }
            }
        }
        Set<String> exported = new HashSet<>();
        for (Path jar : plinthJars()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                ModuleDescriptor.read(file.getInputStream(file.getEntry("module-info.class"))).exports().stream()
                        .map(ModuleDescriptor.Exports::source)
                        .forEach(exported::add);
            }
        }
        List<String> leaks = reached.stream()
                .filter(name -> exported.contains(name.substring(0, name.lastIndexOf('.'))))
                .toList();
        assertEquals(List.of(), leaks, "classes of exported packages that reach OSGi types; all that do: " + reached);
    }

    @Test
    void runsOnTheClassPath() throws Exception {
        List<String> path =
                new ArrayList<>(plinthJars().stream().map(Path::toString).toList());
        path.add(EXAMPLE.toString());
        serveAndStop("class-path", List.of("-cp", String.join(File.pathSeparator, path), MAIN));
    }

    @Test
    void runsOnTheModulePath() throws Exception {
        String path = JARS + File.pathSeparator + EXAMPLE;
        serveAndStop("module-path", List.of("-p", path, "-m", "dev.plinth.example.embedding/" + MAIN));
    }

    private static List<Path> plinthJars() throws IOException {
        try (Stream<Path> jars = Files.list(JARS)) {
            List<Path> all = jars.sorted().toList();
            assertFalse(all.isEmpty(), "Plinth's jars are copied to " + JARS);
            return all;
        }
    }

    /** Runs the example, asks it for a file, the folder's index and the handler, then ends its standard input. */
    private void serveAndStop(String name, List<String> launch) throws Exception {
        Path work = Files.createDirectories(WORK.resolve(name));
        Path docroot = Files.createDirectories(work.resolve("www"));
        Files.writeString(docroot.resolve("index.html"), "<h1>embedded</h1>\n");
        Files.writeString(docroot.resolve("notes.txt"), "served from " + name + "\n");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(launch);
        command.add(docroot.toString());
        command.add("0");
        Path err = work.resolve("stderr.txt");
        Process process =
                new ProcessBuilder(command).redirectError(err.toFile()).start();
        List<String> transcript = new ArrayList<>();
        transcript.add("$ " + String.join(" ", command).replace(JARS.getParent() + File.separator, ""));
        try {
            BlockingQueue<String> out = lines(process);
            String first = out.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            transcript.add(first);
            assertNotNull(first, "the example says where it serves within " + WAIT + "; stderr: " + read(err));
            Matcher serving = SERVING.matcher(first);
            assertTrue(serving.matches(), first);
            URI base = URI.create(serving.group(1));
            assertTrue(Integer.parseInt(serving.group(2)) > 0, "the port bound is told, not 0");

            assertEquals("served from " + name + "\n", get(base.resolve("notes.txt"), 200, transcript));
            assertEquals("<h1>embedded</h1>\n", get(base, 200, transcript));
            assertEquals("Hello from embedded Plinth\n", get(base.resolve("hello"), 200, transcript));
            get(base.resolve("missing.txt"), 404, transcript);

            process.getOutputStream().close(); // the example's standard input ends: it stops
            transcript.add("(standard input closed)");
            assertTrue(process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS), "it exits within " + WAIT);
            String last = out.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            transcript.add(last);
            transcript.add("exit status " + process.exitValue());
            assertEquals("Plinth stopped", last);
            assertEquals(0, process.exitValue());
            assertEquals("", read(err), "nothing on standard error");
        } finally {
            process.destroyForcibly();
            Files.write(
                    work.resolve("transcript.txt"),
                    transcript.stream().map(String::valueOf).toList());
        }
    }

    /** One request on its own connection ({@code Connection: close}), read to the end of input. */
    private static String get(URI uri, int status, List<String> transcript) throws IOException {
        String answer;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) WAIT.toMillis());
            socket.setSoTimeout((int) WAIT.toMillis());
            String request = "GET " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getAuthority()
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        int end = answer.indexOf("\r\n\r\n");
        assertTrue(end > 0, "a whole response head: " + answer);
        String head = answer.substring(0, end);
        String body = answer.substring(end + 4);
        String statusLine = head.lines().findFirst().orElseThrow();
        String type = head.lines()
                .filter(line -> line.regionMatches(true, 0, "Content-Type:", 0, 13))
                .map(line -> line.substring(13).strip())
                .findFirst()
                .orElse("");
        transcript.add("GET " + uri.getPath() + " -> " + statusLine + " [" + type + "] " + body.strip());
        assertTrue(statusLine.startsWith("HTTP/1.1 " + status + " "), uri + ": " + statusLine);
        assertFalse(head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding"), "a body of known length");
        return body;
    }

    /** Standard output, line by line, read on a daemon thread so that every wait for a line is bounded. */
    private static BlockingQueue<String> lines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process is gone: no more lines
            }
        });
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}

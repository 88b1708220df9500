package dev.plinth.distribution.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The distribution run as a user runs it, {@code java -jar plinth.jar} from a home folder, with standard input closed
 * (as under CI or a service manager) and its output (standard error merged into standard output) collected line by
 * line on a helper thread, so that tests can wait, bounded, for the lines the server logs.
 */
final class PlinthProcess implements AutoCloseable {

    private static final Pattern SERVING_HTTP = Pattern.compile("Plinth serving http://([^/]+):(\\d+)/");

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private boolean ended;

    private PlinthProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readOutput, "plinth output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Copies the built distribution ({@code plinth.it.dist}) to a new folder, without its framework storage.
     *
     * @param to the folder to make
     * @return {@code to}
     * @throws IOException if a file cannot be copied
     */
    static Path copyHome(Path to) throws IOException {
        Path from = Path.of(System.getProperty("plinth.it.dist"));
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(file);
                if (relative.startsWith("data")) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return to;
    }

    /**
     * Starts {@code plinth.jar} of the home folder on 127.0.0.1 and a free port, with standard input closed.
     *
     * @param home the distribution's folder
     * @param workingDirectory the process's working directory
     * @return the running process
     * @throws IOException if the process cannot be started
     */
    static PlinthProcess start(Path home, Path workingDirectory) throws IOException {
        return start(home, workingDirectory, "--host", "127.0.0.1", "--port", "0");
    }

    /**
     * Starts {@code plinth.jar} of the home folder with these options, with standard input closed.
     *
     * @param home the distribution's folder
     * @param workingDirectory the process's working directory
     * @param options the launcher's options
     * @return the running process
     * @throws IOException if the process cannot be started
     */
    static PlinthProcess start(Path home, Path workingDirectory, String... options) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(home.resolve("plinth.jar").toString());
        command.addAll(List.of(options));
        return start(new ProcessBuilder(command).directory(workingDirectory.toFile()));
    }

    /**
     * Starts a process that runs the server some other way (a start script), with standard input closed and its
     * output collected like {@code plinth.jar}'s.
     *
     * @param builder the command, working directory and environment
     * @return the running process
     * @throws IOException if the process cannot be started
     */
    static PlinthProcess start(ProcessBuilder builder) throws IOException {
        return new PlinthProcess(builder.redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                .start());
    }

    /** The null device, for a closed standard input. */
    static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    Process process() {
        return process;
    }

    /**
     * Waits until the main (plain) listener says which port it bound.
     *
     * @param timeout how long to wait
     * @return the port
     */
    int awaitServingHttp(Duration timeout) throws InterruptedException {
        return Integer.parseInt(awaitMatch(SERVING_HTTP, timeout).group(2));
    }

    /**
     * Waits for an output line containing the text.
     *
     * @param text the text to find
     * @param timeout how long to wait
     * @return the first line containing it
     * @throws AssertionError with the output so far if no such line comes in time or the process ends first
     */
    String awaitLine(String text, Duration timeout) throws InterruptedException {
        return awaitMatch(Pattern.compile(".*" + Pattern.quote(text) + ".*"), timeout)
                .group();
    }

    /**
     * Waits for an output line in which the pattern is found.
     *
     * @param pattern what to find
     * @param timeout how long to wait
     * @return the first match
     * @throws AssertionError with the output so far if no line matches in time or the process ends first
     */
    MatchResult awaitMatch(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (output) {
            while (true) {
                for (String line : output) {
                    Matcher matcher = pattern.matcher(line);
                    if (matcher.find()) {
                        return matcher.toMatchResult();
                    }
                }
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    throw new AssertionError("no line matching '" + pattern + "' "
                            + (ended ? "before the server's output ended" : "within " + timeout) + ": " + output);
                }
                output.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }
    }

    /** The lines logged so far. */
    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** Stops the process (SIGTERM, then a kill after 20 s) if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private void readOutput() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (output) {
                    output.add(line);
                    output.notifyAll();
                }
            }
        } catch (IOException e) {
            synchronized (output) {
                output.add("(reading the output failed: " + e + ")");
            }
        } finally {
            synchronized (output) {
                ended = true;
                output.notifyAll();
            }
        }
    }
}

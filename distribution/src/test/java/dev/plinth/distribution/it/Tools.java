package dev.plinth.distribution.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real clients run as processes (curl, openssl, node), bounded in time, and free ports, for tests of the running
 * distribution.
 */
final class Tools {

    /** How long one tool may run. */
    static final Duration TOOL_WAIT = Duration.ofSeconds(20);

    private Tools() {}

    /**
     * A command's outcome.
     *
     * @param command the command line
     * @param exit its exit status
     * @param out its standard output, trimmed
     * @param err its standard error, trimmed
     */
    record Run(List<String> command, int exit, String out, String err) {
        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exit + "\nout: " + out + "\nerr: " + err;
        }
    }

    /**
     * Runs curl, silent but for errors, without a proxy, for at most 10 s.
     *
     * @param temp where its output is kept
     * @param directory its working directory
     * @param arguments curl's arguments
     * @return what it did
     */
    static Run curl(Path temp, Path directory, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--noproxy", "*", "--max-time", "10"));
        command.addAll(List.of(arguments));
        return run(temp, directory, Map.of(), command.toArray(String[]::new));
    }

    /**
     * Runs a command with standard input closed, bounded by {@link #TOOL_WAIT}; a missing tool fails the test.
     *
     * @param temp where its output is kept
     * @param directory its working directory
     * @param environment variables added to this process's
     * @param command the command line
     * @return what it did
     */
    static Run run(Path temp, Path directory, Map<String, String> environment, String... command) throws Exception {
        return run(TOOL_WAIT, temp, directory, environment, command);
    }

    /**
     * Runs a command with standard input closed, bounded by a wait of its own; a missing tool fails the test.
     *
     * @param wait how long it may run
     * @param temp where its output is kept
     * @param directory its working directory
     * @param environment variables added to this process's
     * @param command the command line
     * @return what it did
     */
    static Run run(Duration wait, Path temp, Path directory, Map<String, String> environment, String... command)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(PlinthProcess.nullDevice()))
                .redirectOutput(Files.createTempFile(temp, "out", ".txt").toFile())
                .redirectError(Files.createTempFile(temp, "err", ".txt").toFile());
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError(
                    "this test needs '" + command[0] + "' (curl, openssl, node and mvn on the PATH): " + e.getMessage(),
                    e);
        }
        try {
            if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(String.join(" ", command) + " did not end within " + wait);
            }
        } finally {
            process.destroyForcibly();
        }
        return new Run(
                List.of(command),
                process.exitValue(),
                Files.readString(builder.redirectOutput().file().toPath()).trim(),
                Files.readString(builder.redirectError().file().toPath()).trim());
    }

    /** Ports free on every interface now, distinct (each held open until all are found). */
    static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.bind(new InetSocketAddress(0));
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}

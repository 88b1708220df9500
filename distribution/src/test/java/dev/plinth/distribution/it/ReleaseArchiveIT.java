package dev.plinth.distribution.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.distribution.it.HttpProbe.Reply;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The release archives as a user gets them: {@code plinth-<version>.tar.gz} unpacked with {@code tar} into a new
 * folder and started with {@code bin/plinth} (through a symbolic link, as from a folder on the PATH), with JAVA_OPTS
 * and PLINTH_OPTS; the zip holding the same files with the same modes; and a base folder that keeps the user's
 * {@code etc/}, {@code deploy/}, {@code www/}, {@code logs/} and {@code data/} out of the release, across an upgrade.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ReleaseArchiveIT extends ProcessTest {

    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    @Test
    void unpackedWithTarItStartsWithBinPlinthHonoursJavaOptsAndStopsGracefullyOnSigterm() throws Exception {
        Path release = untar(temp.resolve("opt")).toRealPath();
        Path script = release.resolve("bin/plinth");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(script)));
        Path shutdown = release.resolve("etc/dev.plinth.shutdown.cfg");
        Files.writeString(shutdown, Files.readString(shutdown).replace("delayMillis=5000", "delayMillis=500"));
        Path onPath = Files.createSymbolicLink(
                Files.createDirectories(temp.resolve("on-path")).resolve("plinth"), script);
        Path workingDirectory = Files.createDirectories(temp.resolve("work"));
        Files.writeString(workingDirectory.resolve("a-file"), "would be matched by a * left to the shell\n");

        ProcessBuilder builder = script(workingDirectory, onPath.toString(), "--port", "0");
        builder.environment().put("JAVA_OPTS", "-Xmx256m -Dplinth.http.host=0.0.0.0 -Dplinth.it.star=*");
        builder.environment().put("PLINTH_OPTS", "-Dplinth.http.host=127.0.0.1");
        server = PlinthProcess.start(builder);
        int port = server.awaitServingHttp(START_WAIT);

        String serving = server.awaitLine("Plinth serving http://", Duration.ofSeconds(1));
        assertTrue(serving.contains("http://127.0.0.1:" + port + "/"), "PLINTH_OPTS came after JAVA_OPTS: " + serving);
        Reply index = HttpProbe.awaitStatus(port, "/", 200, Duration.ofSeconds(10));
        assertArrayEquals(Files.readAllBytes(release.resolve("www/index.html")), index.body(), "index.html");

        ProcessHandle jvm = server.process().toHandle();
        ProcessHandle.Info info = jvm.info();
        Path java = Path.of(info.command().orElseThrow());
        assertEquals(
                Path.of(System.getProperty("java.home"), "bin", "java").toRealPath(),
                java.toRealPath(),
                "the script's process became JAVA_HOME's java (exec)");
        assertEquals(0, jvm.children().count(), "no process between the script and the JVM");
        List<String> arguments = List.of(info.arguments().orElseThrow());
        assertEquals(
                List.of(
                        "-Xmx256m",
                        "-Dplinth.http.host=0.0.0.0",
                        "-Dplinth.it.star=*",
                        "-Dplinth.http.host=127.0.0.1",
                        "-jar",
                        release.resolve("plinth.jar").toString(),
                        "--port",
                        "0"),
                arguments,
                "JAVA_OPTS, then PLINTH_OPTS, split into words and not expanded, then the script's arguments");

        long sent = System.nanoTime();
        jvm.destroy(); // SIGTERM, to the script's process id
        server.awaitLine("SIGTERM: readiness answers 503 from now on; serving 500 ms more", Duration.ofSeconds(10));
        assertTrue(server.process().waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS), "ends after the drain");
        long stoppedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
        assertEquals(0, server.process().exitValue(), "exit status 0 after SIGTERM: " + server.output());
        server.awaitLine("listener 127.0.0.1:" + port + " drained in", Duration.ofSeconds(1));
        assertTrue(stoppedMillis < 15_000, "stopped within 15 s of SIGTERM: " + stoppedMillis + " ms");
        System.out.println("bin/plinth from the tar.gz: served http://127.0.0.1:" + port + "/ as pid " + jvm.pid()
                + ", " + java + " " + String.join(" ", arguments) + "; exit status 0, " + stoppedMillis
                + " ms after SIGTERM");
    }

    @Test
    void theZipHoldsWhatTheTarGzHoldsAndBothHoldTargetPlinth() throws Exception {
        Path release = untar(temp.resolve("from-tar"));
        Map<String, String> unpacked = modes(release);
        assertEquals(modes(Path.of(System.getProperty("plinth.it.dist"))).keySet(), unpacked.keySet(), "the layout");
        assertEquals("rwxr-xr-x", unpacked.get("bin/plinth"));
        String cmd = Files.readString(release.resolve("bin/plinth.cmd"));
        assertTrue(cmd.startsWith("@echo off\r\n") && !cmd.replace("\r\n", "").contains("\n"), "CRLF for cmd.exe");
        assertFalse(Files.readString(release.resolve("bin/plinth")).contains("\r"), "LF for sh");
        assertEquals(
                Set.of("rw-r--r--", "rwxr-xr-x"),
                Set.copyOf(unpacked.values()),
                "files rw-r--r--, folders and bin/plinth rwxr-xr-x");

        Path zip = archive(".zip");
        String top = release.getFileName() + "/";
        Map<String, String> zipped = new TreeMap<>();
        zipModes(Files.readAllBytes(zip)).forEach((name, mode) -> {
            assertTrue(name.startsWith(top), name + " lies under " + top);
            zipped.put(name.substring(top.length()).replaceAll("/$", ""), mode);
        });
        zipped.remove("");
        assertEquals(unpacked, zipped, "the zip's entries and their modes are the tar.gz's");
        try (ZipFile entries = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : entries.stream().toList()) {
                if (!entry.isDirectory()) {
                    byte[] content = entries.getInputStream(entry).readAllBytes();
                    Path file = release.resolve(entry.getName().substring(top.length()));
                    assertArrayEquals(Files.readAllBytes(file), content, entry.getName());
                }
            }
        }
        System.out.println("the tar.gz and the zip hold the same " + unpacked.size() + " entries as target/plinth, "
                + "bin/plinth " + unpacked.get("bin/plinth") + " in both");
    }

    @Test
    void aBaseFolderKeepsTheUsersFilesOutOfAReadOnlyReleaseAcrossAnUpgrade() throws Exception {
        Path release = untar(temp.resolve("opt")).toRealPath();
        Map<String, String> releaseBefore = snapshot(release);
        Path base = Files.createDirectories(temp.resolve("instance")).toRealPath();
        Path hello = Path.of(System.getProperty("plinth.it.bundles")).resolve("example-hello.jar");

        int port;
        readOnly(release, true);
        try {
            ProcessBuilder builder = script(temp, release.resolve("bin/plinth").toString(), "--port", "0");
            builder.environment().put("PLINTH_BASE", base.toString());
            builder.environment().put("PLINTH_OPTS", "-Dplinth.http.host=127.0.0.1");
            server = PlinthProcess.start(builder);
            port = server.awaitServingHttp(START_WAIT);
            String made = server.awaitLine("Plinth made the base folder", Duration.ofSeconds(1));
            assertTrue(made.endsWith(base + ": copied www/, deploy/, etc/ from " + release), made);

            assertEquals(list(release.resolve("etc")), list(base.resolve("etc")), "etc/ copied");
            assertArrayEquals(
                    Files.readAllBytes(release.resolve("etc/config.properties")),
                    Files.readAllBytes(base.resolve("etc/config.properties")));
            assertEquals(
                    200,
                    HttpProbe.awaitStatus(port, "/", 200, Duration.ofSeconds(10))
                            .status());
            Files.copy(hello, base.resolve("deploy/hello.jar.part"));
            Files.move(base.resolve("deploy/hello.jar.part"), base.resolve("deploy/hello.jar"));
            Reply greeting = HttpProbe.awaitStatus(port, "/hello", 200, Duration.ofSeconds(10));
            assertEquals("Hello from a Plinth handler bundle", greeting.text().strip());
            awaitFileContaining(base.resolve("logs/access.log"), "\"GET /hello HTTP/1.1\" 200", Duration.ofSeconds(10));
            assertTrue(Files.isDirectory(base.resolve("data/felix-cache")), "the framework storage is in the base");

            // The user's own changes, which an upgrade must keep.
            Files.writeString(base.resolve("www/index.html"), "<h1>mine</h1>\n");
            Path shutdown = base.resolve("etc/dev.plinth.shutdown.cfg");
            Files.writeString(shutdown, Files.readString(shutdown).replace("delayMillis=5000", "delayMillis=250"));
            stopWithSigterm();
        } finally {
            readOnly(release, false);
        }
        assertEquals(releaseBefore, snapshot(release), "the release is as unpacked: nothing written into it");

        // The upgrade: a new release unpacked beside the old one, started on the same base.
        Path next = untar(temp.resolve("opt-next"));
        Map<String, String> nextBefore = snapshot(next);
        readOnly(next, true);
        try {
            server = PlinthProcess.start(script(
                    temp,
                    next.resolve("bin/plinth").toString(),
                    "--base",
                    base.toString(),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0"));
            port = server.awaitServingHttp(START_WAIT);
            assertTrue(
                    server.output().stream().noneMatch(line -> line.contains("made the base folder")),
                    "an existing base is used as it is");
            HttpProbe.awaitStatus(port, "/health/ready", 200, Duration.ofSeconds(20));
            assertEquals("<h1>mine</h1>\n", HttpProbe.get(port, "/").text(), "the user's site");
            assertEquals(200, HttpProbe.get(port, "/hello").status(), "the user's deployed bundle");
            server.process().toHandle().destroy();
            server.awaitLine("SIGTERM: readiness answers 503 from now on; serving 250 ms more", STOP_WAIT);
            assertTrue(server.process().waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(0, server.process().exitValue(), String.join("\n", server.output()));
        } finally {
            readOnly(next, false);
        }
        assertEquals(nextBefore, snapshot(next), "the new release is as unpacked too");
        assertTrue(Files.readString(base.resolve("logs/access.log")).contains("\"GET /hello HTTP/1.1\" 200"));
        System.out.println("PLINTH_BASE=" + base + ": made with " + list(base) + "; /hello from its deploy/ answered "
                + "200; after the upgrade to a second unpacked release (--base), its www/, deploy/ and etc/ changes "
                + "held; both releases unchanged");
    }

    /** The archive of the build, {@code target/plinth-<version>} with this extension. */
    private static Path archive(String extension) {
        return Path.of(System.getProperty("plinth.it.archive") + extension);
    }

    /** Unpacks the tar.gz with {@code tar} into a new folder; returns the release's folder in it. */
    private Path untar(Path into) throws Exception {
        Files.createDirectories(into);
        Path tarGz = archive(".tar.gz");
        // p: the modes as archived, whatever this user's umask
        Tools.Run tar = Tools.run(temp, into, Map.of(), "tar", "xzpf", tarGz.toString());
        assertEquals(0, tar.exit(), tar.toString());
        String name = tarGz.getFileName().toString().replace(".tar.gz", "");
        assertEquals(List.of(name), list(into), "one top folder, named after the archive");
        return into.resolve(name);
    }

    /** {@code bin/plinth} with these arguments, JAVA_HOME this JVM's, and none of the variables it reads set else. */
    private static ProcessBuilder script(Path workingDirectory, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeAll(List.of("JAVA_OPTS", "PLINTH_OPTS", "PLINTH_BASE", "JAVA_TOOL_OPTIONS"));
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        return builder;
    }

    private void stopWithSigterm() throws InterruptedException {
        server.process().toHandle().destroy();
        assertTrue(server.process().waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS), "ends after SIGTERM");
        assertEquals(0, server.process().exitValue(), String.join("\n", server.output()));
    }

    /** Every file and folder below the root but data/ and logs/, with its permissions ("rwxr-xr-x"). */
    private static Map<String, String> modes(Path root) throws IOException {
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = root.relativize(file);
                if (!relative.toString().isEmpty() && !relative.startsWith("data") && !relative.startsWith("logs")) {
                    modes.put(relative.toString(), PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
                }
            }
        }
        return modes;
    }

    /** Every file and folder below the root with its size, time of change and permissions. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> state = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                state.put(
                        root.relativize(file).toString(),
                        Files.size(file) + " " + Files.getLastModifiedTime(file) + " "
                                + PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            }
        }
        return state;
    }

    /**
     * Takes every write permission from the tree, or gives the owner's back. (Tests running as root can write
     * anyway: {@link #snapshot} is what shows that nothing was written.)
     */
    private static void readOnly(Path root, boolean readOnly) throws IOException {
        Set<PosixFilePermission> write = EnumSet.of(
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.toList()) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                if (readOnly) {
                    permissions.removeAll(write);
                } else {
                    permissions.add(PosixFilePermission.OWNER_WRITE);
                }
                Files.setPosixFilePermissions(file, permissions);
            }
        }
    }

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /** Waits, bounded, until the access log (written by its own thread) holds the text. */
    private static void awaitFileContaining(Path file, String text, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!(Files.exists(file) && Files.readString(file).contains(text))) {
            assertTrue(System.nanoTime() - deadline < 0, file + " holds '" + text + "' within " + timeout);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /**
     * The Unix permissions of a zip's entries, which {@code java.util.zip} does not show: the high 16 bits of each
     * central directory header's external attributes, where the archiver put them (APPNOTE.TXT 4.3.12, 4.4.15).
     */
    private static Map<String, String> zipModes(byte[] zip) {
        ByteBuffer bytes = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - 22;
        while (bytes.getInt(end) != 0x06054b50) {
            end--;
        }
        int entries = Short.toUnsignedInt(bytes.getShort(end + 10));
        int at = bytes.getInt(end + 16);
        Map<String, String> modes = new TreeMap<>();
        for (int i = 0; i < entries; i++) {
            assertEquals(0x02014b50, bytes.getInt(at), "a central directory header");
            assertEquals(3, Short.toUnsignedInt(bytes.getShort(at + 4)) >> 8, "made on Unix: modes present");
            int nameLength = Short.toUnsignedInt(bytes.getShort(at + 28));
            int extraLength = Short.toUnsignedInt(bytes.getShort(at + 30));
            int commentLength = Short.toUnsignedInt(bytes.getShort(at + 32));
            int mode = (bytes.getInt(at + 38) >>> 16) & 0777;
            String name = new String(zip, at + 46, nameLength, StandardCharsets.UTF_8);
            modes.put(name, PosixFilePermissions.toString(permissions(mode)));
            at += 46 + nameLength + extraLength + commentLength;
        }
        assertFalse(modes.isEmpty(), "entries in the zip");
        return modes;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE, as in ls -l
        for (int bit = 0; bit < 9; bit++) {
            if ((mode & (0400 >> bit)) != 0) {
                permissions.add(order[bit]);
            }
        }
        return permissions;
    }
}

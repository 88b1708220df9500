package dev.plinth.handlers.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.config.RefusedConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the handler does when it starts: the directory made, stale temporary files swept, bad settings refused. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SweepTest {

    @TempDir
    Path temp;

    @Test
    void staleTemporaryFilesFromACrashAreDeletedAndNothingElse() throws Exception {
        Path root = Files.createDirectories(temp.resolve("files/sub")).getParent();
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        Path stale = Files.writeString(root.resolve(".upload-0123456789abcdef.part"), "x");
        Path staleDeep = Files.writeString(root.resolve("sub/.upload-fedcba9876543210.part"), "x");
        Path fresh = Files.writeString(root.resolve(".upload-00112233445566ff.part"), "x");
        Path other = Files.writeString(root.resolve(".upload-notours.part"), "x");
        Path kept = Files.writeString(root.resolve("old.txt"), "x");
        for (Path file : new Path[] {stale, staleDeep, other, kept}) {
            Files.setLastModifiedTime(file, old);
        }
        UploadHandler handler = new UploadHandler(UploadConfig.of(root), UploadEvents.NONE);
        try {
            assertEquals(2, handler.swept().toCompletableFuture().get(5, TimeUnit.SECONDS));
        } finally {
            handler.close();
        }
        assertFalse(Files.exists(stale));
        assertFalse(Files.exists(staleDeep));
        assertTrue(Files.exists(fresh), "young: may belong to an upload in progress");
        assertTrue(Files.exists(other));
        assertTrue(Files.exists(kept));
    }

    @Test
    void aMissingDirectoryIsCreated() throws Exception {
        Path missing = temp.resolve("a/b/c");
        UploadHandler handler = new UploadHandler(UploadConfig.of(missing), UploadEvents.NONE);
        handler.close();
        assertTrue(Files.isDirectory(missing));
    }

    @Test
    void badSettingsAreRefusedNamingTheKey() throws Exception {
        Path file = Files.writeString(temp.resolve("file"), "x");
        assertEquals(
                "directory",
                assertThrows(RefusedConfiguration.class, () -> new UploadHandler(UploadConfig.of(file)))
                        .key());
        assertEquals(
                "maxBytes",
                assertThrows(
                                RefusedConfiguration.class,
                                () -> new UploadHandler(UploadConfig.of(temp).maxBytes(0)))
                        .key());
        assertEquals(
                "locationPrefix",
                assertThrows(
                                RefusedConfiguration.class,
                                () -> new UploadHandler(UploadConfig.of(temp).locationPrefix("files")))
                        .key());
        assertEquals(
                "plinth.handler.prefix",
                assertThrows(
                                RefusedConfiguration.class,
                                () -> new UploadHandler(UploadConfig.of(temp).prefix("up")))
                        .key());
    }
}

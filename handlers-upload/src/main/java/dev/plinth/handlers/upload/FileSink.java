package dev.plinth.handlers.upload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;

/**
 * A body stored as one file: a PUT to a requested name, or a raw POST to a generated one. Written to a temporary
 * file beside its target, published when the body is complete.
 */
final class FileSink implements Sink {

    /** How often a raw POST draws a new name when the one drawn is taken (never, with 128 random bits). */
    private static final int ATTEMPTS = 4;

    private final UploadDirectory directory;
    /** A PUT's name; null for a POST. */
    private final List<String> segments;

    private final boolean overwrite;
    private final int takenStatus;
    private final String contentType;
    private final String locationPrefix;

    private Path target;
    private UploadDirectory.TempFile temp;
    private long size;

    /**
     * @param directory the upload directory
     * @param segments a PUT's checked name, from {@link Names#requested}; null for a POST (a generated name)
     * @param overwrite whether a PUT may replace an existing file
     * @param takenStatus the status for a PUT to a name that exists and may not be replaced: 409, or 412 when the
     *        request said {@code If-None-Match: *}
     * @param contentType the request's Content-Type, for a generated name's extension; may be null
     * @param locationPrefix the public prefix for {@code Location}
     */
    FileSink(
            UploadDirectory directory,
            List<String> segments,
            boolean overwrite,
            int takenStatus,
            String contentType,
            String locationPrefix) {
        this.directory = directory;
        this.segments = segments;
        this.overwrite = overwrite;
        this.takenStatus = takenStatus;
        this.contentType = contentType;
        this.locationPrefix = locationPrefix;
    }

    @Override
    public void start() throws Refusal, IOException {
        target = segments != null ? directory.target(segments, overwrite, takenStatus) : fresh();
        temp = directory.createTemp(target.getParent());
    }

    private Path fresh() throws IOException {
        String name = Names.generated(contentType);
        while (directory.taken(name)) {
            name = Names.generated(contentType);
        }
        return directory.root().resolve(name);
    }

    @Override
    public void accept(ByteBuffer part) throws IOException {
        while (part.hasRemaining()) {
            size += temp.channel().write(part);
        }
    }

    @Override
    public Outcome finish() throws Refusal, IOException {
        directory.finish(temp.channel());
        boolean replaced = false;
        for (int attempt = 1; ; attempt++) {
            try {
                replaced = directory.publish(temp.path(), target, segments != null && overwrite);
                break;
            } catch (FileAlreadyExistsException taken) {
                if (segments != null) {
                    throw new Refusal(takenStatus, "a file of that name was stored meanwhile; it may not be replaced");
                }
                if (attempt == ATTEMPTS) {
                    throw taken;
                }
                target = fresh();
            }
        }
        temp = null;
        String name = directory.root().relativize(target).toString().replace('\\', '/');
        return new Outcome(
                replaced, List.of(new Stored("", name, size, Locations.of(locationPrefix, name))), List.of());
    }

    @Override
    public int discard() {
        if (temp == null) {
            return 0;
        }
        try {
            temp.channel().close();
        } catch (IOException ignored) {
            // it is deleted next
        }
        int deleted = UploadDirectory.delete(temp.path()) ? 1 : 0;
        temp = null;
        return deleted;
    }
}

package dev.plinth.handlers.upload;

import dev.plinth.multipart.Boundary;
import dev.plinth.multipart.MultipartException;
import dev.plinth.multipart.MultipartLimits;
import dev.plinth.multipart.MultipartListener;
import dev.plinth.multipart.MultipartParser;
import dev.plinth.multipart.PartHead;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code multipart/form-data} body (RFC 7578): every part with a {@code filename} parameter is streamed to its own
 * temporary file as the parser finds its bytes, and published when the whole body is complete and valid, under the
 * client's file name made safe ({@link Names#fromClientFilename}), or a generated one if nothing safe is left; a name
 * already taken, on disk or by an earlier part, gets a random suffix ({@link Names#variant}): a form never replaces a
 * file. A part with an empty file name and no bytes (a file input left empty) is dropped. Other parts are small
 * fields, kept in memory up to a total size, and reported in the receipt. All or nothing: if publishing one file
 * fails, those published before it are deleted again.
 */
final class FormSink implements Sink, MultipartListener {

    private static final int ATTEMPTS = 8;

    private final UploadDirectory directory;
    private final MultipartParser parser;
    private final int maxFieldBytes;
    private final String locationPrefix;

    /** The files of complete parts, and the one being written last. */
    private final List<FilePart> files = new ArrayList<>();

    private final List<Map.Entry<String, String>> fields = new ArrayList<>();
    private final List<Path> published = new ArrayList<>();

    private FilePart file;
    private String fieldName;
    private ByteArrayOutputStream fieldValue;
    private int fieldBytes;

    /** One file part. */
    private static final class FilePart {
        final String field;
        /** The safe name, or null to generate one. */
        final String name;

        final boolean emptyName;
        final UploadDirectory.TempFile temp;
        long size;
        boolean deleted;

        FilePart(String field, String name, boolean emptyName, UploadDirectory.TempFile temp) {
            this.field = field;
            this.name = name;
            this.emptyName = emptyName;
            this.temp = temp;
        }
    }

    /**
     * @param directory the upload directory
     * @param boundary the body's boundary
     * @param limits the parser's limits
     * @param maxFieldBytes the most bytes of field names and values kept, all fields together
     * @param locationPrefix the public prefix for {@code Location}
     */
    FormSink(
            UploadDirectory directory,
            Boundary boundary,
            MultipartLimits limits,
            int maxFieldBytes,
            String locationPrefix) {
        this.directory = directory;
        this.parser = new MultipartParser(boundary, limits, this);
        this.maxFieldBytes = maxFieldBytes;
        this.locationPrefix = locationPrefix;
    }

    @Override
    public void start() {
        // files are created as their parts begin
    }

    @Override
    public void accept(ByteBuffer part) throws Refusal, IOException {
        try {
            parser.feed(part);
        } catch (MultipartException e) {
            throw new Refusal(e.status(), "bad multipart/form-data body: " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (Stop stop) {
            throw stop.refusal;
        }
    }

    @Override
    public Outcome finish() throws Refusal, IOException {
        try {
            parser.end();
        } catch (MultipartException e) {
            throw new Refusal(e.status(), "bad multipart/form-data body: " + e.getMessage());
        }
        List<FilePart> kept = files.stream().filter(f -> !f.deleted).toList();
        if (kept.isEmpty()) {
            throw new Refusal(400, "the form holds no file");
        }
        Set<String> used = new HashSet<>();
        List<Stored> stored = new ArrayList<>();
        for (FilePart part : kept) {
            String name = publish(part, used);
            stored.add(new Stored(part.field, name, part.size, Locations.of(locationPrefix, name)));
        }
        published.clear(); // done: nothing to undo
        return new Outcome(false, List.copyOf(stored), List.copyOf(fields));
    }

    private String publish(FilePart part, Set<String> used) throws IOException {
        String name = part.name != null ? part.name : Names.generated(null);
        for (int attempt = 1; ; attempt++) {
            if (used.add(name)) {
                Path target = directory.root().resolve(name);
                try {
                    directory.publish(part.temp.path(), target, false);
                    part.deleted = true; // its temporary name is gone
                    published.add(target);
                    return name;
                } catch (FileAlreadyExistsException taken) {
                    if (attempt == ATTEMPTS) {
                        throw taken;
                    }
                }
            }
            name = part.name != null ? Names.variant(part.name) : Names.generated(null);
        }
    }

    @Override
    public int discard() {
        int deleted = 0;
        for (FilePart part : files) {
            if (!part.deleted) {
                close(part);
                deleted += UploadDirectory.delete(part.temp.path()) ? 1 : 0;
                part.deleted = true;
            }
        }
        for (Path target : published) {
            deleted += UploadDirectory.delete(target) ? 1 : 0;
        }
        published.clear();
        return deleted;
    }

    private static void close(FilePart part) {
        try {
            part.temp.channel().close();
        } catch (IOException ignored) {
            // it is deleted next
        }
    }

    // --- the parser's listener: called during feed and end -------------------------------------------------------

    @Override
    public void part(PartHead head) {
        if (head.filename().isPresent()) {
            String filename = head.filename().get();
            try {
                file = new FilePart(
                        head.name(),
                        Names.fromClientFilename(filename),
                        filename.isEmpty(),
                        directory.createTemp(directory.root()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            files.add(file);
        } else {
            fieldName = head.name();
            fieldValue = new ByteArrayOutputStream();
            countField(fieldName.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Override
    public void data(ByteBuffer slice) {
        if (file != null) {
            try {
                while (slice.hasRemaining()) {
                    file.size += file.temp.channel().write(slice);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            countField(slice.remaining());
            byte[] bytes = new byte[slice.remaining()];
            slice.get(bytes);
            fieldValue.writeBytes(bytes);
        }
    }

    @Override
    public void partEnd() {
        if (file != null) {
            try {
                directory.finish(file.temp.channel());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (file.emptyName && file.size == 0) {
                UploadDirectory.delete(file.temp.path()); // a file input left empty
                file.deleted = true;
            }
            file = null;
        } else {
            fields.add(new AbstractMap.SimpleImmutableEntry<>(
                    fieldName, new String(fieldValue.toByteArray(), StandardCharsets.UTF_8)));
            fieldName = null;
            fieldValue = null;
        }
    }

    @Override
    public void complete() {
        // the body's end is checked by end()
    }

    private void countField(int bytes) {
        fieldBytes += bytes;
        if (fieldBytes > maxFieldBytes) {
            throw new Stop(new Refusal(413, "the form's fields are larger than " + maxFieldBytes + " bytes"));
        }
    }

    /** Carries a refusal out of a listener call, whose methods throw no checked exception. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Refusal refusal;

        Stop(Refusal refusal) {
            super(null, null, false, false);
            this.refusal = refusal;
        }
    }
}

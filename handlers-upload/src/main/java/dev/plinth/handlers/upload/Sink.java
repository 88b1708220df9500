package dev.plinth.handlers.upload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Where an upload's body goes: one file ({@link FileSink}) or the files of a form ({@link FormSink}). Called on the
 * upload's {@link Lane} only, one call at a time; any call may block on the disk.
 */
interface Sink {

    /**
     * Checks the target and creates the temporary file(s) needed before the first body byte is asked for, so that a
     * refusal (a name taken, a folder missing) comes before the client sends its body.
     *
     * @throws Refusal if the upload cannot be stored
     * @throws IOException if the file system fails
     */
    void start() throws Refusal, IOException;

    /**
     * Writes the next part of the body, all of it, before returning.
     *
     * @param part the bytes, from position to limit
     * @throws Refusal if the bytes are refused (a bad form, a field too large)
     * @throws IOException if the file system fails
     */
    void accept(ByteBuffer part) throws Refusal, IOException;

    /**
     * The body is complete: publishes every file under its final name.
     *
     * @return what was stored
     * @throws Refusal if the body is refused (a form cut short, a name taken meanwhile)
     * @throws IOException if the file system fails; what was published is undone where it can be
     */
    Outcome finish() throws Refusal, IOException;

    /**
     * Deletes every temporary file (and undoes what {@link #finish} published before it failed). Never throws.
     *
     * @return how many files were deleted
     */
    int discard();

    /**
     * A stored upload.
     *
     * @param replaced whether a PUT replaced an existing file (204) rather than created one (201)
     * @param files the files stored
     * @param fields a form's small fields, name and value, in order
     */
    record Outcome(boolean replaced, List<Stored> files, List<Map.Entry<String, String>> fields) {}
}

package dev.plinth.multipart;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives a multipart body from a {@link MultipartParser}, during its {@code feed} and {@code end} calls, in this
 * order: for each part {@link #part}, {@link #data} zero or more times, {@link #partEnd}; then {@link #complete}
 * once. After a {@link MultipartException} nothing more comes: a part begun and not ended is incomplete and must be
 * discarded. An exception a method throws ends the parser too, and leaves its {@code feed} or {@code end} call.
 */
@ConsumerType
public interface MultipartListener {

    /**
     * A part's header block is complete and valid.
     *
     * @param head its fields, name, file name and content type
     */
    void part(PartHead head);

    /**
     * Some bytes of the current part's body, never empty. How the body is cut into calls depends on how it arrived
     * and on delimiter look-alikes held back until they are resolved; only the concatenation is meaningful.
     *
     * @param slice the bytes, read-only: a view of the buffer given to {@code feed} (or, for bytes held back from an
     *        earlier {@code feed} because they might have begun a delimiter, of the parser's own copy of the
     *        delimiter). Valid only during this call: copy what must be kept. Reading it does not move the fed
     *        buffer's position.
     */
    void data(ByteBuffer slice);

    /** The current part's body is complete: the next delimiter was seen. */
    void partEnd();

    /** The close delimiter line was seen: the body is complete; what follows (the epilogue) is ignored. */
    void complete();
}

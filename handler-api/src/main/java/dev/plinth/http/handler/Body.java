package dev.plinth.http.handler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * A response body. Its kind and its {@link #length()} decide how the server signals the body's end (see the package
 * documentation): a body of known length is sent with {@code Content-Length}; one of unknown length is chunked to an
 * HTTP/1.1 client and ended by closing the connection otherwise; an {@linkplain #endless endless} one always ends by
 * closing the connection.
 */
public abstract sealed class Body permits Body.Bytes, Body.FileRegion, Body.Parts {

    private static final Body EMPTY = new Bytes(ByteBuffer.allocate(0));

    private Body() {}

    /** @return the body's length in bytes, or -1 if it is unknown before its end */
    public abstract long length();

    /** @return a body of no bytes */
    public static Body empty() {
        return EMPTY;
    }

    /**
     * @param text the text, sent as UTF-8
     * @return a complete body held in memory
     */
    public static Body of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param bytes the bytes; not copied, so do not change them afterwards
     * @return a complete body held in memory
     */
    public static Body of(byte[] bytes) {
        return new Bytes(ByteBuffer.wrap(bytes));
    }

    /**
     * @param bytes the bytes between position and limit; not copied, so do not change them afterwards
     * @return a complete body held in memory
     */
    public static Body of(ByteBuffer bytes) {
        return new Bytes(bytes.slice());
    }

    /**
     * Opens a whole file. The transport sends it without copying it through the heap where it can.
     *
     * @param file a regular file
     * @return a body of the file's current size; the server closes the file after sending it
     * @throws IOException if the file cannot be opened
     */
    public static Body ofFile(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new FileRegion(channel, 0, channel.size());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * A region of an open file.
     *
     * @param channel an open, readable channel; the server closes it after sending
     * @param position where the region starts
     * @param count how many bytes to send; the file must hold them, or the connection is closed short
     * @return a body of exactly {@code count} bytes
     */
    public static Body ofFile(FileChannel channel, long position, long count) {
        return new FileRegion(channel, position, count);
    }

    /**
     * A body produced in parts, of unknown length: chunked to HTTP/1.1 clients, close-delimited to HTTP/1.0 ones.
     *
     * @param parts the parts; the server requests them as the connection can take them
     * @return a streamed body
     */
    public static Body ofParts(Flow.Publisher<ByteBuffer> parts) {
        return new Parts(parts, -1, false, false);
    }

    /**
     * A body produced in parts whose total length is known in advance. Producing more or fewer bytes than declared
     * closes the connection and fails the subscription.
     *
     * @param parts the parts
     * @param length their total length in bytes
     * @return a streamed body sent with {@code Content-Length}
     */
    public static Body ofParts(Flow.Publisher<ByteBuffer> parts, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length");
        }
        return new Parts(parts, length, false, false);
    }

    /**
     * A body that ends only when the connection closes, such as a never-ending media stream for clients that do not
     * understand chunked encoding. The connection is not reused.
     *
     * @param parts the parts
     * @return a close-delimited streamed body
     */
    public static Body endless(Flow.Publisher<ByteBuffer> parts) {
        return new Parts(parts, -1, true, true);
    }

    /**
     * A body of parts that need not ever end by itself, such as server-sent events or a feed: framed like
     * {@link #ofParts(Flow.Publisher)} (chunked to HTTP/1.1 clients, so the connection can be reused once it ends;
     * close-delimited to HTTP/1.0 ones), but a server that drains or stops, or a handler service that leaves, does not
     * wait for it: the server ends it cleanly, with its last chunk or the close, as if its publisher had completed,
     * and cancels the publisher.
     *
     * @param parts the parts
     * @return a streamed body the server may end
     * @since 2.2
     */
    public static Body openEnded(Flow.Publisher<ByteBuffer> parts) {
        return new Parts(parts, -1, false, true);
    }

    /** A body held in memory. */
    public static final class Bytes extends Body {
        private final ByteBuffer content;

        private Bytes(ByteBuffer content) {
            this.content = content;
        }

        /** @return a read-only view of the bytes, positioned at their start */
        public ByteBuffer content() {
            return content.asReadOnlyBuffer();
        }

        @Override
        public long length() {
            return content.remaining();
        }
    }

    /** A region of a file, sent zero-copy where the operating system allows. */
    public static final class FileRegion extends Body {
        private final FileChannel channel;
        private final long position;
        private final long count;

        private FileRegion(FileChannel channel, long position, long count) {
            this.channel = Objects.requireNonNull(channel, "channel");
            if (position < 0 || count < 0) {
                throw new IllegalArgumentException("negative position or count");
            }
            this.position = position;
            this.count = count;
        }

        /** @return the open channel, closed by the server when done */
        public FileChannel channel() {
            return channel;
        }

        /** @return where the region starts in the file */
        public long position() {
            return position;
        }

        @Override
        public long length() {
            return count;
        }
    }

    /** A body produced in parts by a publisher. */
    public static final class Parts extends Body {
        private final Flow.Publisher<ByteBuffer> publisher;
        private final long length;
        private final boolean endless;
        private final boolean openEnded;

        private Parts(Flow.Publisher<ByteBuffer> publisher, long length, boolean endless, boolean openEnded) {
            this.publisher = Objects.requireNonNull(publisher, "publisher");
            this.length = length;
            this.endless = endless;
            this.openEnded = openEnded;
        }

        /** @return the publisher of the parts */
        public Flow.Publisher<ByteBuffer> publisher() {
            return publisher;
        }

        /** @return whether the body ends only by closing the connection ({@link Body#endless}) */
        public boolean endless() {
            return endless;
        }

        /**
         * @return whether the body need not end by itself, so that a drain or stop ends it rather than waiting for it:
         *     true for {@link Body#openEnded} and {@link Body#endless} bodies
         * @since 2.2
         */
        public boolean openEnded() {
            return openEnded;
        }

        @Override
        public long length() {
            return length;
        }
    }
}

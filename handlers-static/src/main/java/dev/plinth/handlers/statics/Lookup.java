package dev.plinth.handlers.statics;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** What a request path maps to under a docroot, as {@link PathResolver} finds it and {@link DocRoot} caches it. */
sealed interface Lookup permits Lookup.Found, Lookup.MissingSlash, Lookup.NoIndex, Lookup.NotFound {

    /**
     * A regular file to serve.
     *
     * @param file its real path, inside the docroot unless links may lead out
     * @param attributes its attributes, read while looking it up
     * @param derived what responses take from the file, computed once per lookup
     */
    record Found(Path file, BasicFileAttributes attributes, Derived derived) implements Lookup {

        /**
         * @param file its real path
         * @param attributes its attributes
         * @return a found file with nothing derived yet
         */
        static Found of(Path file, BasicFileAttributes attributes) {
            return new Found(file, attributes, new Derived());
        }
    }

    /**
     * What responses take from a found file, computed once per lookup; with the lookup cached, once per file and
     * cache period rather than once per request: response fields from its attributes, and its bytes in memory.
     */
    final class Derived {
        volatile String etag;
        volatile String lastModified;
        /** Its bytes in memory, read with the lookup's attributes; null if not held. */
        volatile HeldFiles.Held held;
        /** Whether holding it was tried: once per lookup, whatever came of it. */
        volatile boolean holdTried;
    }

    /** A directory asked for without a trailing slash: the client should be redirected to the slashed path. */
    record MissingSlash() implements Lookup {}

    /**
     * A directory asked for with its slash that holds none of the index files.
     *
     * @param directory its real path
     */
    record NoIndex(Path directory) implements Lookup {}

    /**
     * Nothing to serve.
     *
     * @param reason why, for the log; never shown to the client
     */
    record NotFound(String reason) implements Lookup {}
}

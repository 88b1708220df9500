package dev.plinth.handlers.upload;

import java.util.List;

/**
 * What became of each upload, once it is settled: for tests and logs. Called on an upload I/O thread, after every
 * file of the upload is published or deleted; must return promptly.
 */
interface UploadEvents {

    /** Reports nothing. */
    UploadEvents NONE = new UploadEvents() {
        @Override
        public void stored(List<Stored> files) {}

        @Override
        public void discarded(int status, String reason, int deleted) {}
    };

    /**
     * A part of the body is written (or, for a form, parsed and its file bytes written); the next is asked for now.
     *
     * @param total the body bytes handled so far by this upload
     */
    default void written(long total) {}

    /**
     * Every file of the upload is published.
     *
     * @param files the files, in the order they arrived
     */
    void stored(List<Stored> files);

    /**
     * The upload ended without storing anything: its temporary files are deleted.
     *
     * @param status the status answered (or that would have been, had the client stayed)
     * @param reason why, in a few words
     * @param deleted how many temporary (or already published, undone) files were deleted
     */
    void discarded(int status, String reason, int deleted);
}

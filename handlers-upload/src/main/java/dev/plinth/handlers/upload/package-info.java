/**
 * Stores uploads into a directory: {@code PUT} to a name, raw {@code POST} to a generated name, and the files of
 * {@code multipart/form-data} forms, each body streamed to disk as it arrives with back-pressure, so memory stays
 * flat whatever the size.
 *
 * <p>One {@link dev.plinth.handlers.upload.UploadHandler} is registered per factory configuration of PID
 * {@code dev.plinth.handlers.upload} by {@link dev.plinth.handlers.upload.UploadMount}; its attributes are described
 * by {@link dev.plinth.handlers.upload.UploadHandler.Config}. One class per job:
 * <ul>
 * <li>{@link dev.plinth.handlers.upload.Names} decides which names may be asked for, and makes safe names of a
 *     form's file names;</li>
 * <li>{@link dev.plinth.handlers.upload.UploadDirectory} is the only code that touches the directory: targets
 *     checked against links and folders, temporary files, atomic publication, the sweep of stale temporary
 *     files;</li>
 * <li>{@link dev.plinth.handlers.upload.Upload} subscribes to a request body and moves it, part by part, to a
 *     {@link dev.plinth.handlers.upload.Sink}: {@link dev.plinth.handlers.upload.FileSink} (one file) or
 *     {@link dev.plinth.handlers.upload.FormSink} (a form, through the multipart parser), on a
 *     {@link dev.plinth.handlers.upload.Lane} of the handler's own I/O threads;</li>
 * <li>{@link dev.plinth.handlers.upload.Locations} writes the {@code Location} and the JSON receipt.</li>
 * </ul>
 *
 * <p>Private to the bundle: other bundles see only the {@link dev.plinth.http.handler.Handler} services.
 */
package dev.plinth.handlers.upload;

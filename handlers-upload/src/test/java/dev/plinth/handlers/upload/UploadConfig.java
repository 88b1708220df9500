package dev.plinth.handlers.upload;

import java.lang.annotation.Annotation;
import java.nio.file.Path;

/** An {@link UploadHandler.Config} for tests, with the annotation's defaults except {@code fsync} (off: faster). */
final class UploadConfig implements UploadHandler.Config {

    private String prefix = "/up";
    private final String directory;
    private long maxBytes = UploadHandler.DEFAULT_MAX_BYTES;
    private boolean multipart = true;
    private int maxParts = 1000;
    private int maxPartHeaderBytes = 8192;
    private int maxFieldBytes = 8192;
    private boolean overwrite;
    private String locationPrefix = "";
    private boolean fsync;
    private long staleTempMinutes = 60;
    private int ioThreads = 2;

    private UploadConfig(String directory) {
        this.directory = directory;
    }

    static UploadConfig of(Path directory) {
        return new UploadConfig(directory.toString());
    }

    UploadConfig prefix(String value) {
        prefix = value;
        return this;
    }

    UploadConfig maxBytes(long value) {
        maxBytes = value;
        return this;
    }

    UploadConfig multipart(boolean value) {
        multipart = value;
        return this;
    }

    UploadConfig maxParts(int value) {
        maxParts = value;
        return this;
    }

    UploadConfig maxPartHeaderBytes(int value) {
        maxPartHeaderBytes = value;
        return this;
    }

    UploadConfig maxFieldBytes(int value) {
        maxFieldBytes = value;
        return this;
    }

    UploadConfig overwrite(boolean value) {
        overwrite = value;
        return this;
    }

    UploadConfig locationPrefix(String value) {
        locationPrefix = value;
        return this;
    }

    UploadConfig fsync(boolean value) {
        fsync = value;
        return this;
    }

    UploadConfig staleTempMinutes(long value) {
        staleTempMinutes = value;
        return this;
    }

    @Override
    public String plinth_handler_prefix() {
        return prefix;
    }

    @Override
    public String plinth_handler_host() {
        return null;
    }

    @Override
    public String directory() {
        return directory;
    }

    @Override
    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public boolean multipart() {
        return multipart;
    }

    @Override
    public int maxParts() {
        return maxParts;
    }

    @Override
    public int maxPartHeaderBytes() {
        return maxPartHeaderBytes;
    }

    @Override
    public int maxFieldBytes() {
        return maxFieldBytes;
    }

    @Override
    public boolean overwrite() {
        return overwrite;
    }

    @Override
    public String locationPrefix() {
        return locationPrefix;
    }

    @Override
    public boolean fsync() {
        return fsync;
    }

    @Override
    public long staleTempMinutes() {
        return staleTempMinutes;
    }

    @Override
    public int ioThreads() {
        return ioThreads;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return UploadHandler.Config.class;
    }
}

package dev.plinth.handlers.statics;

import dev.plinth.handlers.statics.mount.StaticMount;
import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/** A {@link StaticMount.Config} for tests, with the same defaults as the annotation's. */
final class MountConfig implements StaticMount.Config {

    private String prefix = "/";
    private final String docroot;
    private String[] index = {"index.html"};
    private boolean listing;
    private String hidden = "deny";
    private boolean followSymlinks;
    private String cacheControl = "";
    private String[] mimeTypes = {};
    private long metadataCacheMillis = 1000;
    private long memoryMaxFileBytes = 4L * 1024 * 1024;
    private long memoryMaxBytes = 64L * 1024 * 1024;

    private MountConfig(String docroot) {
        this.docroot = docroot;
    }

    static MountConfig of(Path docroot) {
        return new MountConfig(docroot.toString());
    }

    StaticHandler handler() throws java.io.IOException {
        return StaticMount.builder(this).build();
    }

    /** @param clock the metadata cache's clock, in nanoseconds */
    StaticHandler handler(LongSupplier clock) throws java.io.IOException {
        return StaticMount.builder(this).clock(clock).build();
    }

    MountConfig prefix(String value) {
        prefix = value;
        return this;
    }

    MountConfig index(String... values) {
        index = values;
        return this;
    }

    MountConfig listing(boolean value) {
        listing = value;
        return this;
    }

    MountConfig hidden(String value) {
        hidden = value;
        return this;
    }

    MountConfig followSymlinks(boolean value) {
        followSymlinks = value;
        return this;
    }

    MountConfig cacheControl(String value) {
        cacheControl = value;
        return this;
    }

    MountConfig mimeTypes(String... values) {
        mimeTypes = values;
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
    public String docroot() {
        return docroot;
    }

    @Override
    public String[] index() {
        return index.clone();
    }

    @Override
    public boolean listing() {
        return listing;
    }

    @Override
    public String hidden() {
        return hidden;
    }

    @Override
    public boolean followSymlinks() {
        return followSymlinks;
    }

    @Override
    public String cacheControl() {
        return cacheControl;
    }

    @Override
    public String[] mimeTypes() {
        return mimeTypes.clone();
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return StaticMount.Config.class;
    }

    MountConfig metadataCacheMillis(long value) {
        metadataCacheMillis = value;
        return this;
    }

    @Override
    public long metadataCacheMillis() {
        return metadataCacheMillis;
    }

    MountConfig memory(long maxFileBytes, long maxBytes) {
        memoryMaxFileBytes = maxFileBytes;
        memoryMaxBytes = maxBytes;
        return this;
    }

    @Override
    public long memoryMaxFileBytes() {
        return memoryMaxFileBytes;
    }

    @Override
    public long memoryMaxBytes() {
        return memoryMaxBytes;
    }
}

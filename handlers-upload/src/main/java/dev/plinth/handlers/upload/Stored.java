package dev.plinth.handlers.upload;

/**
 * A file an upload stored.
 *
 * @param field the form field it came from; empty for a PUT or a raw POST
 * @param name its name in the upload directory, such as {@code report.pdf} or {@code a/b.txt}
 * @param size its size in bytes
 * @param location where it is served: the {@code locationPrefix}, a slash and the name, percent-encoded
 */
record Stored(String field, String name, long size, String location) {}

package dev.plinth.handlers.statics;

import java.util.Locale;
import java.util.Map;

/**
 * Names a file's media type from its extension. Textual types carry {@code ; charset=utf-8}; an unknown or missing
 * extension gives {@code application/octet-stream}, which browsers download rather than render.
 */
final class MediaTypes {

    /** The type of a file whose extension is unknown. */
    static final String DEFAULT = "application/octet-stream";

    private static final String UTF_8 = "; charset=utf-8";

    /** Extension (lower case, without the dot) to media type, before any charset parameter. */
    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            // text and documents
            Map.entry("html", "text/html"),
            Map.entry("htm", "text/html"),
            Map.entry("css", "text/css"),
            Map.entry("js", "text/javascript"),
            Map.entry("mjs", "text/javascript"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("txt", "text/plain"),
            Map.entry("md", "text/markdown"),
            Map.entry("csv", "text/csv"),
            Map.entry("xml", "application/xml"),
            Map.entry("xhtml", "application/xhtml+xml"),
            Map.entry("rss", "application/rss+xml"),
            Map.entry("atom", "application/atom+xml"),
            Map.entry("ics", "text/calendar"),
            Map.entry("pdf", "application/pdf"),
            // images
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/vnd.microsoft.icon"),
            Map.entry("bmp", "image/bmp"),
            Map.entry("tif", "image/tiff"),
            Map.entry("tiff", "image/tiff"),
            // fonts
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"),
            // code
            Map.entry("wasm", "application/wasm"),
            // audio and video
            Map.entry("mp4", "video/mp4"),
            Map.entry("m4v", "video/mp4"),
            Map.entry("webm", "video/webm"),
            Map.entry("ogv", "video/ogg"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("m4a", "audio/mp4"),
            Map.entry("ogg", "audio/ogg"),
            Map.entry("oga", "audio/ogg"),
            Map.entry("opus", "audio/ogg"),
            Map.entry("wav", "audio/wav"),
            Map.entry("flac", "audio/flac"),
            Map.entry("vtt", "text/vtt"),
            // archives
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),
            Map.entry("tgz", "application/gzip"),
            Map.entry("tar", "application/x-tar"),
            Map.entry("bz2", "application/x-bzip2"),
            Map.entry("xz", "application/x-xz"),
            Map.entry("zst", "application/zstd"),
            Map.entry("7z", "application/x-7z-compressed"));

    private MediaTypes() {
    }

    /**
     * @param fileName a file name, such as {@code app.min.js}
     * @return the value for {@code Content-Type}, such as {@code text/javascript; charset=utf-8}
     */
    static String of(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return DEFAULT;
        }
        String type = BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return DEFAULT;
        }
        return isText(type) ? type + UTF_8 : type;
    }

    /**
     * @param type a media type without parameters
     * @return whether it is text that a browser decodes with a charset
     */
    static boolean isText(String type) {
        return type.startsWith("text/")
                || type.equals("application/javascript")
                || type.equals("application/json")
                || type.equals("application/manifest+json")
                || type.equals("application/xml")
                || type.equals("application/xhtml+xml")
                || type.equals("application/rss+xml")
                || type.equals("application/atom+xml")
                || type.equals("image/svg+xml");
    }
}

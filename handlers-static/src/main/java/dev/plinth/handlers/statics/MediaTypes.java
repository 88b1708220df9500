package dev.plinth.handlers.statics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Names a file's media type from its extension. Textual types carry {@code ; charset=utf-8}; an unknown or missing
 * extension gives {@code application/octet-stream}, which browsers download rather than render. A mount may add or
 * replace mappings ({@link #with}).
 */
final class MediaTypes {

    /** The built-in table alone. */
    static final MediaTypes STANDARD = new MediaTypes(Map.of());

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

    /** Extension to the full {@code Content-Type} value, over the built-in table. */
    private final Map<String, String> extra;

    private MediaTypes(Map<String, String> extra) {
        this.extra = extra;
    }

    /**
     * @param mappings extra mappings such as {@code md=text/markdown} or {@code .dat=application/x-thing}, also
     *        several in one value separated by commas (as a {@code .cfg} file gives them); blank ones are skipped;
     *        a textual type without parameters gets {@code ; charset=utf-8}; a later mapping of an extension wins
     * @return this table with the mappings added, replacing built-in ones for the same extensions
     * @throws IllegalArgumentException if a mapping is not {@code ext=type/subtype[; parameters]}
     */
    MediaTypes with(String... mappings) {
        Map<String, String> added = new HashMap<>(extra);
        for (String mapping : Arrays.stream(mappings)
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::strip)
                .filter(value -> !value.isEmpty())
                .toList()) {
            int equals = mapping.indexOf('=');
            String extension =
                    equals < 0 ? "" : mapping.substring(0, equals).strip().replaceFirst("^\\.", "");
            String type = equals < 0 ? "" : mapping.substring(equals + 1).strip();
            if (!extension.matches("[A-Za-z0-9_+~-]+")
                    || !type.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+(\\s*;[ -~]*)?")) {
                throw new IllegalArgumentException("MIME mapping is not ext=type/subtype: " + mapping);
            }
            boolean bare = type.indexOf(';') < 0;
            added.put(
                    extension.toLowerCase(Locale.ROOT),
                    bare && isText(type.toLowerCase(Locale.ROOT)) ? type + UTF_8 : type);
        }
        return new MediaTypes(Map.copyOf(added));
    }

    /**
     * @param fileName a file name, such as {@code app.min.js}
     * @return the value for {@code Content-Type}, such as {@code text/javascript; charset=utf-8}
     */
    String of(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return DEFAULT;
        }
        String extension = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        String mapped = extra.get(extension);
        if (mapped != null) {
            return mapped;
        }
        String type = BY_EXTENSION.get(extension);
        if (type == null) {
            return DEFAULT;
        }
        return isText(type) ? type + UTF_8 : type;
    }

    /**
     * @param contentType a {@code Content-Type} value
     * @return whether such content usually shrinks when compressed, so that precompressed variants may exist
     */
    static boolean compressible(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .strip()
                .toLowerCase(Locale.ROOT);
        return isText(type)
                || type.equals("application/wasm")
                || type.equals("font/ttf")
                || type.equals("font/otf")
                || type.equals("image/bmp")
                || type.equals("image/vnd.microsoft.icon");
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

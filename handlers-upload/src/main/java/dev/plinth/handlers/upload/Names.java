package dev.plinth.handlers.upload;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What may be stored under which name: the rules for a name a client asks for ({@link #requested}), the safe base
 * name made of a form's untrusted file name ({@link #fromClientFilename}), and generated names. Pure: no file
 * system; {@link UploadDirectory} then checks the names against what is on disk.
 *
 * <p>A requested name is one path segment or several separated by {@code /}, each of which:
 * <ul>
 * <li>is not empty (no {@code //}, no trailing {@code /}), not {@code .} or {@code ..};</li>
 * <li>does not start with a dot: dot-files are hidden (a static mount does not serve them) and the temporary files
 *     of uploads in progress ({@code .upload-*.part}) are dot-files, so no client can name, replace or reveal one;
 *     </li>
 * <li>holds no control character (below U+0020, U+007F to U+009F), no backslash, no NUL;</li>
 * <li>is at most {@value #MAX_SEGMENT_BYTES} bytes in UTF-8 (the common file system limit).</li>
 * </ul>
 * The whole name is at most {@value #MAX_NAME_BYTES} bytes and {@value #MAX_DEPTH} segments.
 */
final class Names {

    /** The longest segment, in UTF-8 bytes: NAME_MAX on Linux and most file systems. */
    static final int MAX_SEGMENT_BYTES = 255;
    /** The longest requested name, in UTF-8 bytes. */
    static final int MAX_NAME_BYTES = 1024;
    /** The most segments in a requested name. */
    static final int MAX_DEPTH = 16;
    /** The prefix of every temporary file. */
    static final String TEMP_PREFIX = ".upload-";
    /** The suffix of every temporary file. */
    static final String TEMP_SUFFIX = ".part";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    /** Punctuation kept in a client's file name; anything else that is not a letter or digit becomes {@code _}. */
    private static final String KEPT = " ._-+()[],@=~";

    /** Extensions for generated names of raw uploads, by media type (without parameters). */
    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("text/plain", ".txt"),
            Map.entry("text/csv", ".csv"),
            Map.entry("text/html", ".html"),
            Map.entry("application/json", ".json"),
            Map.entry("application/xml", ".xml"),
            Map.entry("application/pdf", ".pdf"),
            Map.entry("application/zip", ".zip"),
            Map.entry("application/gzip", ".gz"),
            Map.entry("image/png", ".png"),
            Map.entry("image/jpeg", ".jpg"),
            Map.entry("image/gif", ".gif"),
            Map.entry("image/webp", ".webp"),
            Map.entry("video/mp4", ".mp4"),
            Map.entry("audio/mpeg", ".mp3"));

    private Names() {}

    /**
     * Checks a name a client asks to store under.
     *
     * @param below the decoded request path below the handler's prefix, such as {@code /a/b.txt}
     * @return its segments, such as {@code [a, b.txt]}
     * @throws Refusal if the name breaks a rule of the class description
     */
    static List<String> requested(String below) throws Refusal {
        String name = below.startsWith("/") ? below.substring(1) : below;
        if (name.isEmpty()) {
            throw new Refusal(400, "a file name is required");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new Refusal(400, "the name is longer than " + MAX_NAME_BYTES + " bytes");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty()) {
                throw new Refusal(400, "empty path segment (a name must not end with / nor hold //)");
            }
            if (segment.startsWith(".")) {
                throw new Refusal(
                        400,
                        segment.equals(".") || segment.equals("..")
                                ? "the name holds a . or .. segment"
                                : "names starting with a dot are not accepted");
            }
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (isControl(c)) {
                    throw new Refusal(400, "control character in the name");
                }
                if (c == '\\') {
                    throw new Refusal(400, "backslash in the name");
                }
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw new Refusal(400, "a path segment is longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
            segments.add(segment);
        }
        if (segments.size() > MAX_DEPTH) {
            throw new Refusal(400, "more than " + MAX_DEPTH + " path segments");
        }
        return List.copyOf(segments);
    }

    /**
     * Makes a safe base name of a form part's file name, which is untrusted: only what follows its last {@code /} or
     * {@code \} (browsers have sent whole Windows paths), letters, digits and {@value #KEPT} kept, anything else
     * (control characters, quotes, colons...) turned into {@code _}, surrounding spaces and dots dropped.
     *
     * @param filename the part's {@code filename} parameter, as received
     * @return the safe name; null if nothing usable is left (then a name is generated), or it is too long
     */
    static String fromClientFilename(String filename) {
        String base = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
        StringBuilder safe = new StringBuilder(base.length());
        base.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || (c < 0x80 && KEPT.indexOf(c) >= 0)) {
                safe.appendCodePoint(c);
            } else {
                safe.append('_');
            }
        });
        String name = strip(safe.toString());
        if (name.isEmpty()
                || name.chars().allMatch(c -> c == '_')
                || name.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
            return null;
        }
        return name;
    }

    /** Drops leading and trailing spaces and dots: no hidden file, no name Windows would trim. */
    private static String strip(String name) {
        int from = 0;
        int to = name.length();
        while (from < to && (name.charAt(from) == ' ' || name.charAt(from) == '.')) {
            from++;
        }
        while (to > from && (name.charAt(to - 1) == ' ' || name.charAt(to - 1) == '.')) {
            to--;
        }
        return name.substring(from, to);
    }

    /**
     * @param contentType the request's Content-Type, or null
     * @return a new name: 32 random hexadecimal digits (128 bits from {@link SecureRandom}, so names cannot be
     *         guessed), with an extension for a few common media types, such as {@code 3f…a9.png}
     */
    static String generated(String contentType) {
        String extension = "";
        if (contentType != null) {
            int semicolon = contentType.indexOf(';');
            String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                    .strip()
                    .toLowerCase(Locale.ROOT);
            extension = EXTENSIONS.getOrDefault(type, "");
        }
        return random(16) + extension;
    }

    /**
     * @param name a safe base name, such as {@code report.pdf}
     * @return a variant for when it is taken: six random hexadecimal digits before the extension, such as
     *         {@code report-a3f09c.pdf}; shortened if needed to stay within {@value #MAX_SEGMENT_BYTES} bytes
     */
    static String variant(String name) {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        String suffix = "-" + random(3);
        while (stem.length() > 1
                && (stem + suffix + extension).getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
            stem = stem.substring(0, stem.offsetByCodePoints(stem.length(), -1));
        }
        return stem + suffix + extension;
    }

    /** @return a new temporary file name: {@code .upload-} 16 random hexadecimal digits {@code .part} */
    static String temporary() {
        return TEMP_PREFIX + random(8) + TEMP_SUFFIX;
    }

    /**
     * @param name a file name
     * @return whether it is one {@link #temporary} makes
     */
    static boolean isTemporary(String name) {
        return name.length() == TEMP_PREFIX.length() + 16 + TEMP_SUFFIX.length()
                && name.startsWith(TEMP_PREFIX)
                && name.endsWith(TEMP_SUFFIX)
                && name.substring(TEMP_PREFIX.length(), TEMP_PREFIX.length() + 16)
                        .chars()
                        .allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return HEX.formatHex(value);
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }
}

package dev.plinth.http.core.compress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which media types are worth compressing on the fly, decided from a response's {@code Content-Type}.
 *
 * <p>A pattern is {@code type/subtype}, {@code type/*}, {@code type/*+suffix} or {@code *}{@code /*+suffix}
 * (structured syntax suffix, RFC 6838 §4.2.8); matching ignores case and the value's parameters. The
 * {@linkplain #DEFAULT_PATTERNS defaults} are the text formats browsers fetch, plus {@code application/wasm}: a
 * WebAssembly module is binary but not itself compressed, and shrinks by a half or more under gzip (CDNs compress it
 * for that reason; the static handler counts it compressible too). Images other than SVG, audio, video, fonts in
 * WOFF/WOFF2 and archives are already compressed and are left alone.
 */
public final class CompressibleTypes {

    /** The patterns {@link #defaults()} uses. */
    public static final List<String> DEFAULT_PATTERNS = List.of(
            "text/*",
            "application/json",
            "application/*+json",
            "application/javascript",
            "application/xml",
            "application/*+xml",
            "image/svg+xml",
            "application/wasm");

    private static final CompressibleTypes DEFAULTS = of(DEFAULT_PATTERNS);

    /** Each pattern as {type, subtype}, lower case; either may be "*", and subtype may be "*+suffix". */
    private final List<String[]> patterns;

    /**
     * The last value asked about and the answer, shared by all threads: a server answers with a handful of types, so
     * most calls are decided by one comparison, without parsing or allocating.
     */
    private volatile Decided last = new Decided("", false);

    private record Decided(String contentType, boolean compressible) {}

    private CompressibleTypes(List<String[]> patterns) {
        this.patterns = patterns;
    }

    /** @return the default set, {@link #DEFAULT_PATTERNS} */
    public static CompressibleTypes defaults() {
        return DEFAULTS;
    }

    /**
     * @param patterns such as {@code text/*}, {@code application/json}, {@code *}{@code /*+xml}; an empty list
     *     compresses nothing
     * @return the set
     * @throws IllegalArgumentException if a pattern is not of those forms (a configuration mistake, told early)
     */
    public static CompressibleTypes of(List<String> patterns) {
        List<String[]> parsed = new ArrayList<>(patterns.size());
        for (String pattern : patterns) {
            String[] split = split(pattern.strip());
            if (split == null || !valid(split)) {
                throw new IllegalArgumentException("not a media type pattern: " + pattern);
            }
            parsed.add(split);
        }
        return new CompressibleTypes(List.copyOf(parsed));
    }

    /**
     * @param contentType a {@code Content-Type} value such as {@code text/html; charset=utf-8}, or {@code null} when
     *     the response has none
     * @return whether a body of that type is worth compressing; false for a missing or malformed value
     */
    public boolean compressible(String contentType) {
        if (contentType == null) {
            return false;
        }
        Decided seen = last;
        if (seen.contentType.equals(contentType)) {
            return seen.compressible;
        }
        boolean decided = decide(contentType);
        last = new Decided(contentType, decided);
        return decided;
    }

    private boolean decide(String contentType) {
        int semicolon = contentType.indexOf(';');
        String[] type = split((semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip());
        if (type == null || type[0].equals("*") || type[1].indexOf('*') >= 0) {
            return false;
        }
        for (String[] pattern : patterns) {
            if (matches(pattern, type)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String[] pattern, String[] type) {
        if (!pattern[0].equals("*") && !pattern[0].equals(type[0])) {
            return false;
        }
        String subtype = pattern[1];
        if (subtype.equals("*")) {
            return true;
        }
        if (subtype.startsWith("*+")) {
            String suffix = subtype.substring(1); // "+xml"
            return type[1].length() > suffix.length() && type[1].endsWith(suffix);
        }
        return subtype.equals(type[1]);
    }

    /** @return {type, subtype} in lower case, or null if there is no non-empty type and subtype around one slash */
    private static String[] split(String mediaType) {
        int slash = mediaType.indexOf('/');
        if (slash <= 0 || slash == mediaType.length() - 1 || mediaType.indexOf('/', slash + 1) >= 0) {
            return null;
        }
        String lower = mediaType.toLowerCase(Locale.ROOT);
        return new String[] {
            lower.substring(0, slash).strip(), lower.substring(slash + 1).strip()
        };
    }

    /** A pattern's type is a name or *; its subtype a name, *, or *+suffix; "*" as type only with "*+suffix". */
    private static boolean valid(String[] pattern) {
        boolean anyType = pattern[0].equals("*");
        String subtype = pattern[1];
        boolean suffixed = subtype.startsWith("*+") && name(subtype.substring(2));
        if (anyType) {
            return suffixed;
        }
        return name(pattern[0]) && (subtype.equals("*") || suffixed || name(subtype));
    }

    /** @return whether {@code text} is a restricted-name of RFC 6838 §4.2 */
    private static boolean name(String text) {
        if (text.isEmpty() || text.length() > 127) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alnum = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
            if (!alnum && (i == 0 || "!#$&-^_.+".indexOf(c) < 0)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        List<String> shown = new ArrayList<>(patterns.size());
        for (String[] pattern : patterns) {
            shown.add(pattern[0] + "/" + pattern[1]);
        }
        return "CompressibleTypes" + shown;
    }
}

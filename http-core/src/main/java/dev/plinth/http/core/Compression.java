package dev.plinth.http.core;

import dev.plinth.http.core.compress.CompressibleTypes;
import java.util.List;
import java.util.Objects;

/**
 * Whether and how a listener compresses response bodies on the fly (gzip, RFC 9110 §8.4.1.3), for clients that accept
 * it ({@code Accept-Encoding}). Immutable.
 *
 * <p>A response is compressed only if all of these hold: compression is {@linkplain #enabled() on}; neither its
 * handler's service ({@code plinth.handler.compress=false}) nor the response itself
 * ({@code Response.compress(false)}, {@code Cache-Control: no-transform}) opts out; it has no
 * {@code Content-Encoding} yet; its status is not 204, 206 or 304; its {@code Content-Type} matches {@link #types()};
 * its length is unknown or at least {@link #minBytes()}; the request is not HEAD; and the client's
 * {@code Accept-Encoding} prefers gzip. Every response that passes the checks about the response, compressed or not,
 * says {@code Vary: Accept-Encoding}, so that caches keep the two representations apart.
 *
 * <p>On by default nowhere: compressing what mixes a secret with what the client sent leaks the secret over TLS
 * (BREACH), so a listener compresses only when told to, and a handler that serves such pages opts out.
 */
public final class Compression {

    /** The default {@link #level()}: zlib's default, 6, where more effort stops paying for text. */
    public static final int DEFAULT_LEVEL = 6;

    /** The default {@link #minBytes()}: below 256 bytes gzip's 18 bytes of framing eat most of the gain. */
    public static final long DEFAULT_MIN_BYTES = 256;

    /**
     * The default {@link #types()}: the text formats browsers fetch (text, JSON, JavaScript, XML, SVG) and
     * WebAssembly, which is binary but not itself compressed. Images other than SVG, audio, video, WOFF fonts and
     * archives are compressed already.
     */
    public static final List<String> DEFAULT_TYPES = CompressibleTypes.DEFAULT_PATTERNS;

    /** No compression. */
    public static final Compression OFF = new Compression(false, DEFAULT_LEVEL, DEFAULT_MIN_BYTES, List.of());

    /** Gzip at the default level and size, for the {@linkplain #DEFAULT_TYPES default types}. */
    public static final Compression DEFAULT_GZIP = gzip(DEFAULT_LEVEL, DEFAULT_MIN_BYTES, DEFAULT_TYPES);

    private final boolean enabled;
    private final int level;
    private final long minBytes;
    private final List<String> types;
    private final CompressibleTypes compressible;

    private Compression(boolean enabled, int level, long minBytes, List<String> types) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("compression level must be 1 to 9: " + level);
        }
        if (minBytes < 0) {
            throw new IllegalArgumentException("minimum size must not be negative: " + minBytes);
        }
        this.enabled = enabled;
        this.level = level;
        this.minBytes = minBytes;
        this.types = List.copyOf(types);
        this.compressible = CompressibleTypes.of(this.types);
    }

    /**
     * @param level 1 (fastest) to 9 (smallest)
     * @param minBytes bodies of known length below this are sent as they are
     * @param types media type patterns worth compressing: {@code type/subtype}, {@code type/*},
     *     {@code type/*+suffix} or {@code *}{@code /*+suffix}
     * @return settings that compress
     * @throws IllegalArgumentException if a value is out of range or a pattern malformed
     */
    public static Compression gzip(int level, long minBytes, List<String> types) {
        return new Compression(true, level, minBytes, types);
    }

    /** @return whether the listener compresses at all */
    public boolean enabled() {
        return enabled;
    }

    /** @return the Deflater level, 1 to 9 */
    public int level() {
        return level;
    }

    /** @return the smallest known body length compressed */
    public long minBytes() {
        return minBytes;
    }

    /** @return the media type patterns compressed */
    public List<String> types() {
        return types;
    }

    CompressibleTypes compressible() {
        return compressible;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Compression that
                && enabled == that.enabled
                && level == that.level
                && minBytes == that.minBytes
                && types.equals(that.types);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, level, minBytes, types);
    }

    @Override
    public String toString() {
        return enabled ? "gzip level " + level + " from " + minBytes + " bytes for " + types : "off";
    }
}

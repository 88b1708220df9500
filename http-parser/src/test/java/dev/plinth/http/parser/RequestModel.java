package dev.plinth.http.parser;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * A valid request as a model: what the parser must report, and the bytes that say it, with the freedom the grammar
 * gives (optional whitespace around values, case of the chunked coding and of hex digits, leading zeros, chunk
 * extensions). Generators for the property tests.
 */
record RequestModel(String method, String target, String version, List<Field> headers, Body body, byte[] wire) {

    /** A field as sent: the value with its optional whitespace, and as reported. */
    record Field(String name, String value, String leading, String trailing) {
        String line() {
            return name + ":" + leading + value + trailing + "\r\n";
        }
    }

    /** A body: none, with Content-Length, or chunked in the given chunks with extensions and trailers. */
    record Body(byte[] content, List<Integer> chunkSizes, List<String> chunkPrefixes, List<Field> trailers,
            boolean chunked, String chunkedSpelling) {
    }

    /** The transcript {@link Feeder} writes for this request. */
    String transcript() {
        List<String> lines = new ArrayList<>();
        String reported = version.equals("HTTP/1.0") ? "HTTP_1_0" : "HTTP_1_1";
        lines.add("request " + method + " " + target + " " + reported);
        for (Field f : headers) {
            lines.add("header " + f.name() + "=[" + f.value() + "]");
        }
        lines.add("headers " + (body.chunked() ? -1 : body.content().length));
        if (body.content().length > 0) {
            lines.add("content " + new String(body.content(), StandardCharsets.ISO_8859_1));
        }
        for (Field f : body.trailers()) {
            lines.add("trailer " + f.name() + "=[" + f.value() + "]");
        }
        lines.add("complete");
        return String.join("\n", lines);
    }

    // ---- generators ----

    private static final String TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    static Arbitrary<String> tokens(int maxLength) {
        return Arbitraries.strings().withChars(TCHARS.toCharArray()).ofMinLength(1).ofMaxLength(maxLength);
    }

    static Arbitrary<String> methods() {
        return Arbitraries.oneOf(Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "TRACE"),
                tokens(12).filter(m -> !m.equals("CONNECT") && !m.equals("OPTIONS")));
    }

    /** origin-form: "/" then visible ASCII. */
    static Arbitrary<String> targets() {
        return Arbitraries.strings().withCharRange('!', '~').ofMaxLength(60).map(s -> "/" + s);
    }

    /** A field value: visible ASCII, obs-text, and SP/HTAB inside but not at either end. */
    static Arbitrary<String> values() {
        Arbitrary<Character> edge = Arbitraries.oneOf(Arbitraries.chars().range('!', '~'),
                Arbitraries.chars().range('\u0080', '\u00ff'));
        Arbitrary<Character> inner = Arbitraries.oneOf(edge, Arbitraries.of(' ', '\t'));
        Arbitrary<String> middle = inner.list().ofMaxSize(40).map(RequestModel::join);
        return Arbitraries.oneOf(Arbitraries.just(""), edge.map(String::valueOf),
                Combinators.combine(edge, middle, edge).as((a, m, b) -> a + m + b));
    }

    private static String join(List<Character> chars) {
        StringBuilder b = new StringBuilder();
        chars.forEach(b::append);
        return b.toString();
    }

    static Arbitrary<String> ows() {
        return Arbitraries.strings().withChars(' ', '\t').ofMaxLength(3);
    }

    /** A field whose name is not one the parser interprets (Host, Content-Length, Transfer-Encoding). */
    static Arbitrary<Field> fields() {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.of("Accept", "User-Agent", "Cookie", "X-Request-Id", "Accept-Encoding", "If-None-Match"),
                tokens(20)).filter(n -> !isFraming(n));
        return Combinators.combine(names, values(), ows(), ows()).as(Field::new);
    }

    static boolean isFraming(String name) {
        return name.equalsIgnoreCase("host") || name.equalsIgnoreCase("content-length")
                || name.equalsIgnoreCase("transfer-encoding");
    }

    static Arbitrary<String> hosts() {
        Arbitrary<String> names = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-.".toCharArray())
                .ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> ports = Arbitraries.integers().between(0, 65535).map(p -> ":" + p);
        return Combinators.combine(Arbitraries.oneOf(names, Arbitraries.of("[::1]", "127.0.0.1")),
                Arbitraries.oneOf(Arbitraries.just(""), ports)).as(String::concat);
    }

    static Arbitrary<Body> bodies() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<Body> none = Arbitraries.just(new Body(new byte[0], List.of(), List.of(), List.of(), false, null));
        Arbitrary<Body> sized = bytes.map(b -> new Body(b, List.of(), List.of(), List.of(), false, null));
        Arbitrary<Body> chunked = Combinators.combine(bytes, Arbitraries.integers().between(1, 80).list().ofMaxSize(20),
                chunkPrefixes().list().ofSize(21), fields().list().ofMaxSize(4),
                Arbitraries.of("chunked", "Chunked", "CHUNKED", "chunked, ", ", chunked"))
                .as((content, sizes, prefixes, trailers, spelling) -> new Body(content, cut(content.length, sizes),
                        prefixes, trailers, true, spelling));
        return Arbitraries.oneOf(none, sized, chunked);
    }

    /** Chunk sizes summing to {@code length}, taken from {@code sizes} and then one more. */
    private static List<Integer> cut(int length, List<Integer> sizes) {
        List<Integer> chunks = new ArrayList<>();
        int left = length;
        for (int size : sizes) {
            if (left == 0) {
                break;
            }
            int n = Math.min(size, left);
            chunks.add(n);
            left -= n;
        }
        if (left > 0) {
            chunks.add(left);
        }
        return chunks;
    }

    /**
     * What goes before a chunk's size and after: leading zeros, whether hex digits are upper case, extensions.
     * Encoded as "zeros|case|extension", where extension is written after the size.
     */
    static Arbitrary<String> chunkPrefixes() {
        Arbitrary<String> extension = Arbitraries.oneOf(Arbitraries.just(""),
                tokens(8).map(t -> ";" + t),
                Combinators.combine(ows(), tokens(8), tokens(8)).as((w, n, v) -> w + ";" + n + "=" + v),
                tokens(6).map(t -> ";q=\"a b; " + t + "\""));
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.of("l", "u"), extension)
                .as((zeros, hexCase, ext) -> zeros + "|" + hexCase + "|" + ext);
    }

    static Arbitrary<RequestModel> requests() {
        Arbitrary<String> versions = Arbitraries.of("HTTP/1.1", "HTTP/1.0", "HTTP/1.9");
        return Combinators.combine(methods(), targets(), versions, fields().list().ofMaxSize(20), hosts(),
                Arbitraries.integers().between(0, 20), bodies(), ows())
                .as(RequestModel::build)
                .filter(r -> r != null);
    }

    /**
     * @param hostAt where among the fields Host goes (HTTP/1.1 needs it); framing goes last
     * @return null for a combination that is not valid (a chunked body in HTTP/1.0)
     */
    private static RequestModel build(String method, String target, String version, List<Field> fields, String host,
            int hostAt, Body body, String ows) {
        if (body.chunked() && version.equals("HTTP/1.0")) {
            return null;
        }
        List<Field> headers = new ArrayList<>(fields);
        if (!version.equals("HTTP/1.0") || hostAt % 2 == 0) {
            headers.add(Math.min(hostAt, headers.size()), new Field("Host", host, ows, ""));
        }
        if (body.chunked()) {
            String spelling = body.chunkedSpelling();
            String trimmed = spelling.strip();
            headers.add(new Field("Transfer-Encoding", trimmed, " ", ows));
        } else if (body.content().length > 0 || hostAt % 3 == 0) {
            headers.add(new Field("Content-Length", String.valueOf(body.content().length), ows, ows));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, method + " " + target + " " + version + "\r\n");
        headers.forEach(f -> write(out, f.line()));
        write(out, "\r\n");
        if (body.chunked()) {
            int at = 0;
            for (int i = 0; i < body.chunkSizes().size(); i++) {
                int size = body.chunkSizes().get(i);
                write(out, chunkLine(size, body.chunkPrefixes().get(i)));
                out.write(body.content(), at, size);
                at += size;
                write(out, "\r\n");
            }
            write(out, chunkLine(0, body.chunkPrefixes().get(body.chunkPrefixes().size() - 1)));
            body.trailers().forEach(f -> write(out, f.line()));
            write(out, "\r\n");
        } else {
            out.write(body.content(), 0, body.content().length);
        }
        return new RequestModel(method, target, version, headers, body, out.toByteArray());
    }

    private static String chunkLine(int size, String prefix) {
        String[] parts = prefix.split("\\|", 3);
        String hex = Integer.toHexString(size);
        if (parts[1].equals("u")) {
            hex = hex.toUpperCase(java.util.Locale.ROOT);
        }
        return "0".repeat(Integer.parseInt(parts[0])) + hex + parts[2] + "\r\n";
    }

    private static void write(ByteArrayOutputStream out, String latin1) {
        out.writeBytes(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public String toString() {
        return new String(wire, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n\n");
    }
}

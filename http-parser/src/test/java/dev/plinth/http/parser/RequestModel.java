package dev.plinth.http.parser;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A valid request as a model: what the parser must report, and the bytes that say it, with the freedom the grammar
 * gives (optional whitespace around values, case of the chunked coding and of hex digits, leading zeros, chunk
 * extensions). Generators for the property tests, drawing from a {@link Rand}.
 */
record RequestModel(String method, String target, String version, List<Field> headers, Body body, byte[] wire) {

    /** A field as sent: the value with its optional whitespace, and as reported. */
    record Field(String name, String value, String leading, String trailing) {
        String line() {
            return name + ":" + leading + value + trailing + "\r\n";
        }
    }

    /** A body: none, with Content-Length, or chunked in the given chunks with extensions and trailers. */
    record Body(
            byte[] content,
            List<Integer> chunkSizes,
            List<String> chunkPrefixes,
            List<Field> trailers,
            boolean chunked,
            String chunkedSpelling) {}

    /** The transcript {@link Feeder} writes for this request. */
    String transcript() {
        List<String> lines = new ArrayList<>();
        String reported = version.equals("HTTP/1.0") ? "HTTP/1.0" : "HTTP/1.1";
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

    // ---- generators: each draws one value from a Rand, with the same ranges and choices as the grammar allows ----

    private static final String TCHARS =
            "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    static String token(Rand r, int maxLength) {
        return r.string(TCHARS, 1, maxLength);
    }

    static String method(Rand r) {
        return r.oneOf(() -> r.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "TRACE"), () -> {
            String m;
            do {
                m = token(r, 12);
            } while (m.equals("CONNECT") || m.equals("OPTIONS"));
            return m;
        });
    }

    /** origin-form: "/" then visible ASCII. */
    static String target(Rand r) {
        return "/" + r.string('!', '~', 0, 60);
    }

    /** A field value: visible ASCII, obs-text, and SP/HTAB inside but not at either end. */
    static String value(Rand r) {
        return r.oneOf(() -> "", () -> String.valueOf(valueEdge(r)), () -> {
            StringBuilder b = new StringBuilder().append(valueEdge(r));
            r.list(0, 40, () -> r.oneOf(() -> valueEdge(r), () -> r.of(' ', '\t')))
                    .forEach(b::append);
            return b.append(valueEdge(r)).toString();
        });
    }

    private static char valueEdge(Rand r) {
        return r.oneOf(() -> r.charBetween('!', '~'), () -> r.charBetween('\u0080', '\u00ff'));
    }

    static String ows(Rand r) {
        return r.string(" \t", 0, 3);
    }

    /** A field whose name is not one the parser interprets (Host, Content-Length, Transfer-Encoding). */
    static Field field(Rand r) {
        String name;
        do {
            name = r.oneOf(
                    () -> r.of("Accept", "User-Agent", "Cookie", "X-Request-Id", "Accept-Encoding", "If-None-Match"),
                    () -> token(r, 20));
        } while (isFraming(name));
        return new Field(name, value(r), ows(r), ows(r));
    }

    static boolean isFraming(String name) {
        return name.equalsIgnoreCase("host")
                || name.equalsIgnoreCase("content-length")
                || name.equalsIgnoreCase("transfer-encoding");
    }

    static String host(Rand r) {
        String name = r.oneOf(
                () -> r.string("abcdefghijklmnopqrstuvwxyz0123456789-.", 1, 20), () -> r.of("[::1]", "127.0.0.1"));
        return name + r.oneOf(() -> "", () -> ":" + r.between(0, 65535));
    }

    static Body body(Rand r) {
        return r.oneOf(
                () -> new Body(new byte[0], List.of(), List.of(), List.of(), false, null),
                () -> new Body(r.bytes(300), List.of(), List.of(), List.of(), false, null),
                () -> {
                    byte[] content = r.bytes(300);
                    List<Integer> sizes = r.list(0, 20, () -> r.between(1, 80));
                    List<String> prefixes = r.list(21, 21, () -> chunkPrefix(r));
                    List<Field> trailers = r.list(0, 4, () -> field(r));
                    String spelling = r.of("chunked", "Chunked", "CHUNKED", "chunked, ", ", chunked");
                    return new Body(content, cut(content.length, sizes), prefixes, trailers, true, spelling);
                });
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
    static String chunkPrefix(Rand r) {
        int zeros = r.between(0, 3);
        String hexCase = r.of("l", "u");
        String extension = r.oneOf(
                () -> "",
                () -> ";" + token(r, 8),
                () -> ows(r) + ";" + token(r, 8) + "=" + token(r, 8),
                () -> ";q=\"a b; " + token(r, 6) + "\"");
        return zeros + "|" + hexCase + "|" + extension;
    }

    /** A valid request; chunked bodies only in HTTP/1.1 and later. */
    static RequestModel request(Rand r) {
        while (true) {
            RequestModel model = build(
                    method(r),
                    target(r),
                    r.of("HTTP/1.1", "HTTP/1.0", "HTTP/1.9"),
                    r.list(0, 20, () -> field(r)),
                    host(r),
                    r.between(0, 20),
                    body(r),
                    ows(r));
            if (model != null) {
                return model;
            }
        }
    }

    /**
     * @param hostAt where among the fields Host goes (HTTP/1.1 needs it); framing goes last
     * @return null for a combination that is not valid (a chunked body in HTTP/1.0)
     */
    private static RequestModel build(
            String method,
            String target,
            String version,
            List<Field> fields,
            String host,
            int hostAt,
            Body body,
            String ows) {
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
            write(
                    out,
                    chunkLine(0, body.chunkPrefixes().get(body.chunkPrefixes().size() - 1)));
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
        return new String(wire, StandardCharsets.ISO_8859_1)
                .replace("\r", "\\r")
                .replace("\n", "\\n\n");
    }
}

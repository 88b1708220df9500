package dev.plinth.multipart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Seeded random tests (see {@link Trials}): generated bodies, with random boundaries, names, file names, header
 * spellings and binary contents full of delimiter fragments, parse to the parts they were made of in any split of
 * reads; mutations of them, and soups of multipart fragments, parse the same in any split and as {@link Reference}
 * says, failing only with {@link MultipartException} (checked by {@link Feeder}).
 */
class MultipartPropertyTest {
    private static final int TRIES = 1000;

    private static final String ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String BCHARS = ALNUM + "'()+_,-./:=? ";
    /** Characters for names and file names: what needs quoting or escaping, and non-ASCII. */
    private static final String NAME_CHARS = ALNUM + " \"\\;=,%/.é€\t-_~";

    // ---- generation ----

    /** A generated part: its wire form and the transcript lines the parser must report for it. */
    record Part(byte[] wire, String expected) {}

    /** @return a boundary: often short (more look-alikes), sometimes as browsers make them */
    static String boundary(SplittableRandom r) {
        switch (r.nextInt(4)) {
            case 0:
                return string(r, ALNUM, 1, 3);
            case 1:
                return "----WebKitFormBoundary" + string(r, ALNUM, 16, 16);
            default:
                String b = string(r, BCHARS, 1, 70);
                return b.endsWith(" ") ? b.substring(0, b.length() - 1) + "x" : b;
        }
    }

    static String string(SplittableRandom r, String chars, int min, int max) {
        StringBuilder b = new StringBuilder();
        int length = min + r.nextInt(max - min + 1);
        for (int i = 0; i < length; i++) {
            b.append(chars.charAt(r.nextInt(chars.length())));
        }
        return b.toString();
    }

    /** @return bytes made of fragments of the delimiter, line ends and random bytes, that do not hold the delimiter */
    static byte[] content(SplittableRandom r, String boundary, int maxPieces) {
        String delimiter = "\r\n--" + boundary;
        while (true) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int pieces = r.nextInt(maxPieces + 1);
            for (int i = 0; i < pieces; i++) {
                switch (r.nextInt(8)) {
                    case 0:
                        out.writeBytes(Text.bytes(delimiter.substring(0, r.nextInt(delimiter.length()))));
                        break;
                    case 1:
                        out.writeBytes(Text.bytes("--" + boundary));
                        break;
                    case 2:
                        // the whole delimiter, with one byte changed
                        byte[] near = Text.bytes(delimiter);
                        int at = r.nextInt(near.length);
                        near[at] = (byte) (near[at] + 1 + r.nextInt(255));
                        out.writeBytes(near);
                        break;
                    case 3:
                        out.writeBytes(
                                Text.bytes(new String[] {"\r", "\n", "\r\n", "--", "-", "\r\n\r\n"}[r.nextInt(6)]));
                        break;
                    default:
                        byte[] random = new byte[r.nextInt(40)];
                        for (int j = 0; j < random.length; j++) {
                            random[j] = (byte) r.nextInt(256);
                        }
                        out.writeBytes(random);
                }
            }
            byte[] bytes = out.toByteArray();
            if (!Text.latin1(bytes).contains(delimiter)) {
                return bytes;
            }
        }
    }

    /** @return a parameter value as sent: a token if it can be one and the coin says so, else a quoted-string */
    static String param(SplittableRandom r, String value) {
        String wire = Text.latin1(value.getBytes(StandardCharsets.UTF_8));
        if (!wire.isEmpty() && wire.chars().allMatch(HeaderValue::tchar) && r.nextBoolean()) {
            return wire;
        }
        return "\"" + wire.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String ows(SplittableRandom r) {
        return new String[] {"", "", " ", "\t", " \t "}[r.nextInt(5)];
    }

    static String cased(SplittableRandom r, String name) {
        switch (r.nextInt(4)) {
            case 0:
                return name.toLowerCase();
            case 1:
                return name.toUpperCase();
            default:
                return name;
        }
    }

    static Part part(SplittableRandom r, String boundary) {
        String name = string(r, NAME_CHARS, 0, 12);
        String filename = r.nextBoolean() ? string(r, NAME_CHARS, 0, 20) : null;
        String type = r.nextBoolean() ? null : new String[] {"text/plain", "image/png", "a/b; x=\"y\""}[r.nextInt(3)];
        List<String> params = new ArrayList<>();
        params.add(cased(r, "name") + "=" + param(r, name));
        if (filename != null) {
            params.add(r.nextInt(params.size() + 1), cased(r, "filename") + "=" + param(r, filename));
        }
        if (r.nextInt(4) == 0) {
            params.add(r.nextInt(params.size() + 1), "size=" + r.nextInt(1000));
        }
        StringBuilder disposition = new StringBuilder(cased(r, "form-data"));
        for (String p : params) {
            disposition
                    .append(new String[] {"; ", ";", " ; ", ";\t"}[r.nextInt(4)])
                    .append(p);
        }
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {cased(r, "Content-Disposition"), disposition.toString()});
        if (type != null) {
            fields.add(r.nextInt(fields.size() + 1), new String[] {cased(r, "Content-Type"), type});
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            fields.add(r.nextInt(fields.size() + 1), new String[] {
                "X-Extra-" + i, string(r, ALNUM + " é", 0, 10).trim()
            });
        }
        StringBuilder head = new StringBuilder();
        StringBuilder line = new StringBuilder("part ");
        for (int i = 0; i < fields.size(); i++) {
            String[] f = fields.get(i);
            head.append(f[0])
                    .append(':')
                    .append(ows(r))
                    .append(f[1])
                    .append(ows(r))
                    .append("\r\n");
            line.append(i == 0 ? "" : " | ").append(f[0]).append(": ").append(Text.escape(f[1]));
        }
        head.append("\r\n");
        line.append(" -> name=").append(Text.escape(name));
        if (filename != null) {
            line.append(" filename=").append(Text.escape(filename));
        }
        line.append(" type=").append(Text.escape(type == null ? "text/plain" : type));
        byte[] data = content(r, boundary, 6);
        String expected = line + (data.length == 0 ? "" : "\n" + Parse.data(Text.latin1(data))) + "\nend";
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(Text.bytes(head.toString()));
        wire.writeBytes(data);
        return new Part(wire.toByteArray(), expected);
    }

    /** A generated body and its transcript. */
    record Body(String boundary, byte[] wire, String expected) {}

    static Body body(SplittableRandom r) {
        String boundary = boundary(r);
        String dashBoundary = "--" + boundary;
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        byte[] preamble = r.nextBoolean() ? new byte[0] : content(r, boundary, 3);
        if (Text.latin1(preamble).startsWith(dashBoundary)) {
            preamble = new byte[0];
        }
        wire.writeBytes(preamble);
        wire.writeBytes(Text.bytes(preamble.length == 0 && r.nextBoolean() ? dashBoundary : "\r\n" + dashBoundary));
        List<String> expected = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            Part part = part(r, boundary);
            wire.writeBytes(Text.bytes(padding(r) + "\r\n"));
            wire.writeBytes(part.wire());
            wire.writeBytes(Text.bytes("\r\n" + dashBoundary));
            expected.add(part.expected());
        }
        wire.writeBytes(Text.bytes("--" + padding(r)));
        if (r.nextBoolean()) {
            wire.writeBytes(Text.bytes("\r\n"));
            wire.writeBytes(content(r, boundary, 3));
        }
        expected.add("complete");
        return new Body(boundary, wire.toByteArray(), String.join("\n", expected));
    }

    static String padding(SplittableRandom r) {
        return r.nextInt(4) == 0 ? string(r, " \t", 1, 4) : "";
    }

    static int[] reads(SplittableRandom r, int length) {
        int[] reads = new int[r.nextInt(6)];
        for (int i = 0; i < reads.length; i++) {
            reads[i] = 1 + r.nextInt(r.nextBoolean() ? 8 : Math.max(1, length));
        }
        return reads;
    }

    // ---- properties ----

    @Test
    void generatedBodiesParseToTheirPartsInAnySplit() {
        Trials.run("generatedBodiesParseToTheirPartsInAnySplit", TRIES, (r, notes) -> {
            Body body = body(r);
            int[] reads = reads(r, body.wire().length);
            Feeder.Buffers buffers = Feeder.Buffers.values()[r.nextInt(4)];
            notes.append("boundary ")
                    .append(Text.escape(body.boundary()))
                    .append("\nbody ")
                    .append(Text.escape(Text.latin1(body.wire())))
                    .append("\nreads ")
                    .append(Arrays.toString(reads))
                    .append(' ')
                    .append(buffers)
                    .append('\n');
            Feeder.Result result =
                    Feeder.feed(Parse.boundary(body.boundary()), MultipartLimits.DEFAULT, body.wire(), reads, buffers);
            assertNull(result.error(), result::transcript);
            assertEquals(body.expected(), result.transcript());
            assertEquals(body.expected(), Reference.parse(body.wire(), body.boundary(), MultipartLimits.DEFAULT));
        });
    }

    /** One change to the bytes of a body. */
    static byte[] mutate(SplittableRandom r, byte[] in, String boundary) {
        if (in.length == 0) {
            return in;
        }
        int at = r.nextInt(in.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (r.nextInt(5)) {
            case 0:
                byte[] flipped = in.clone();
                flipped[at] ^= (byte) (1 + r.nextInt(255));
                return flipped;
            case 1:
                byte[] special = Text.bytes("\r\n-\0 \t:;\"\\=" + boundary.charAt(0) + "\u00c3\u007f");
                out.write(in, 0, at);
                out.write(special[r.nextInt(special.length)]);
                out.write(in, at, in.length - at);
                return out.toByteArray();
            case 2:
                out.write(in, 0, at);
                out.write(in, at + 1, in.length - at - 1);
                return out.toByteArray();
            case 3:
                return Arrays.copyOf(in, at);
            default:
                // a range written twice
                int end = Math.min(in.length, at + 1 + r.nextInt(80));
                out.write(in, 0, end);
                out.write(in, at, in.length - at);
                return out.toByteArray();
        }
    }

    static MultipartLimits limits(SplittableRandom r) {
        return r.nextBoolean()
                ? MultipartLimits.DEFAULT
                : new MultipartLimits(16 + r.nextInt(200), 1 + r.nextInt(4), 1 + r.nextInt(4));
    }

    /**
     * Checks a body against {@link Reference} and across splits.
     *
     * @return "accepted" or the kind of error
     */
    static String agrees(
            SplittableRandom r, StringBuilder notes, String boundary, byte[] input, MultipartLimits limits) {
        int[] reads = reads(r, input.length);
        Feeder.Buffers buffers = Feeder.Buffers.values()[r.nextInt(4)];
        notes.append("boundary ")
                .append(Text.escape(boundary))
                .append("\ninput ")
                .append(Text.escape(Text.latin1(input)))
                .append('\n')
                .append(limits)
                .append("\nreads ")
                .append(Arrays.toString(reads))
                .append(' ')
                .append(buffers)
                .append('\n');
        Boundary b = Parse.boundary(boundary);
        Feeder.Result whole = Feeder.whole(b, limits, input);
        assertEquals(
                whole.transcript(),
                Feeder.feed(b, limits, input, reads, buffers).transcript(),
                "split");
        String reference = Reference.parse(input, boundary, limits);
        if (reference == null) {
            assertNotNull(whole.error(), () -> "accepted what Reference rejects:\n" + whole.transcript());
        } else {
            assertEquals(reference, whole.transcript(), "not as Reference parses it");
        }
        // the kind of outcome: the message up to a colon, without the numbers and characters it names
        return whole.error() == null
                ? "accepted"
                : whole.error()
                        .getMessage()
                        .replaceAll("'.'|0x\\p{XDigit}+|[0-9]+", "_")
                        .split(":")[0];
    }

    @Test
    void mutatedBodiesParseAsTheReferenceSaysInAnySplit() {
        Map<String, Integer> outcomes = new TreeMap<>();
        Trials.run("mutatedBodiesParseAsTheReferenceSaysInAnySplit", TRIES, (r, notes) -> {
            Body body = body(r);
            byte[] input = body.wire();
            for (int i = 1 + r.nextInt(3); i > 0; i--) {
                input = mutate(r, input, body.boundary());
            }
            outcomes.merge(agrees(r, notes, body.boundary(), input, limits(r)), 1, Integer::sum);
        });
        // mutations that always or never break a body would test little
        assertTrue(outcomes.containsKey("accepted") && outcomes.size() > 10, outcomes::toString);
    }

    @Test
    void soupsOfMultipartFragmentsParseAsTheReferenceSaysInAnySplit() {
        Map<String, Integer> outcomes = new TreeMap<>();
        Trials.run("soupsOfMultipartFragmentsParseAsTheReferenceSaysInAnySplit", TRIES, (r, notes) -> {
            String boundary = r.nextBoolean() ? "b" : "-a-";
            String[] fragments = {
                "--" + boundary,
                "\r\n",
                "\r\n--" + boundary,
                "--",
                " ",
                "\t",
                "\r",
                "\n",
                "x",
                "Content-Disposition: form-data; name=a",
                "content-disposition:form-data;name=\"\\\"\"",
                "Content-Type: t/s",
                ": ",
                "X",
                ";",
                "filename=f",
                "\r\n\r\n",
                "\0",
                "\u00e9",
            };
            StringBuilder soup = new StringBuilder();
            for (int i = r.nextInt(40); i > 0; i--) {
                soup.append(fragments[r.nextInt(fragments.length)]);
            }
            outcomes.merge(agrees(r, notes, boundary, Text.bytes(soup.toString()), limits(r)), 1, Integer::sum);
        });
        assertTrue(outcomes.containsKey("accepted") && outcomes.size() > 10, outcomes::toString);
    }
}

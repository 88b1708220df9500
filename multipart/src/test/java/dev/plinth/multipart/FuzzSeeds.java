package dev.plinth.multipart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the seed inputs of {@link MultipartParserFuzzTest} (run its {@code main} from the module folder, with the
 * test classes on the class path). Each seed is a body followed by the bytes {@code FuzzedDataProvider} consumes from
 * the end: read sizes, their count, the boundary, flags. Each body comes in three variants: whole with the default
 * limits; byte by byte with the small limits; in reads of 3, 7 and 17 bytes, from a direct buffer.
 */
final class FuzzSeeds {
    private static final String DIR = "src/test/resources/dev/plinth/multipart/MultipartParserFuzzTestInputs/parse";

    private FuzzSeeds() {}

    /** A body and the boundary it is written with. */
    private record Seed(String boundary, byte[] body) {}

    public static void main(String[] args) throws IOException {
        String d = "--" + Parse.BOUNDARY;
        String cd = "Content-Disposition: form-data; name=\"a\"\r\n";
        Map<String, Seed> seeds = new LinkedHashMap<>();
        seeds.put("curl", new Seed(SplitInvarianceTest.CURL_BOUNDARY, SplitInvarianceTest.CURL));
        seeds.put("chrome", new Seed(SplitInvarianceTest.CHROME_BOUNDARY, SplitInvarianceTest.CHROME));
        seeds.put("firefox", new Seed(SplitInvarianceTest.FIREFOX_BOUNDARY, SplitInvarianceTest.FIREFOX));
        seeds.put("binary", new Seed(SplitInvarianceTest.BINARY_BOUNDARY, SplitInvarianceTest.BINARY));
        seeds.put("empty-parts", new Seed(SplitInvarianceTest.EMPTY_BOUNDARY, SplitInvarianceTest.EMPTY));
        seeds.put("bare-lf", new Seed(SplitInvarianceTest.EMPTY_BOUNDARY, SplitInvarianceTest.BROKEN));
        seeds.put(
                "rfc7578",
                seed(d + "\r\n" + cd + "\r\nJoe Blow\r\n" + d + "\r\n"
                        + "Content-Disposition: form-data; name=\"pics\"; filename=\"file1.txt\"\r\n"
                        + "Content-Type: text/plain\r\n\r\n...contents of file1.txt...\r\n" + d + "--\r\n"));
        seeds.put(
                "preamble-padding-epilogue",
                seed("preamble " + d + "\r\n" + d + " \t\r\n" + cd + "\r\nx\r\n" + d + "-- \r\nepilogue\r\n" + d
                        + "\r\n"));
        seeds.put("only-close", seed(d + "--"));
        seeds.put("obs-fold", seed(d + "\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\nx\r\n" + d + "--"));
        seeds.put(
                "quoted-pairs-utf8",
                seed(d + "\r\ncontent-disposition: FORM-DATA; filename=\"C:\\\\a \\\"b\\\" "
                        + "\u00c3\u00a9.txt\"; NAME=f\r\nX-A:\t1 \r\nContent-Type: image/png\r\n\r\n\u0089PNG\r\n" + d
                        + "--"));
        seeds.put(
                "filename-star",
                seed(d + "\r\nContent-Disposition: form-data; name=a; filename*=UTF-8''a.txt\r\n\r\n" + "\r\n" + d
                        + "--"));
        seeds.put("many-parts", seed((d + "\r\n" + cd + "\r\n\r\n").repeat(6) + d + "--"));
        seeds.put("many-fields", seed(d + "\r\n" + cd + "X: 1\r\n".repeat(6) + "\r\n\r\n" + d + "--"));
        seeds.put("near-misses", seed(d + "\r\n" + cd + "\r\n\r\n--AaB03\r\n--AaB03y\r\r\n-" + d + "x\r\n" + d + "--"));
        Path dir = Path.of(DIR);
        Files.createDirectories(dir);
        List<String> boundaries = Arrays.asList(MultipartParserFuzzTest.BOUNDARIES);
        for (Map.Entry<String, Seed> seed : seeds.entrySet()) {
            byte[] body = seed.getValue().body();
            int boundary = boundaries.indexOf(seed.getValue().boundary());
            // suffix, read backwards: flags, boundary, count, sizes (each size written as size - 1)
            int variant = 0;
            for (byte[] sizes : new byte[][] {{}, {0}, {2, 6, 16}}) {
                int flags = variant == 1 ? 1 : variant == 2 ? 1 << 1 : 0;
                byte[] out = Arrays.copyOf(body, body.length + sizes.length + 3);
                for (int i = 0; i < sizes.length; i++) {
                    out[out.length - 4 - i] = sizes[i];
                }
                out[out.length - 3] = (byte) sizes.length;
                out[out.length - 2] = (byte) boundary;
                out[out.length - 1] = (byte) flags;
                Files.write(dir.resolve(seed.getKey() + "-" + variant), out);
                variant++;
            }
        }
    }

    private static Seed seed(String body) {
        return new Seed(Parse.BOUNDARY, Text.bytes(body));
    }
}

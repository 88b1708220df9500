package dev.plinth.http.parser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the seed inputs of {@link RequestParserFuzzTest} (run its {@code main} from the module folder). Each seed
 * is a request followed by the bytes {@code FuzzedDataProvider} consumes from the end: read sizes, their count, flags.
 */
final class FuzzSeeds {
    private static final String DIR = "src/test/resources/dev/plinth/http/parser/RequestParserFuzzTestInputs/parse";

    private FuzzSeeds() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> seeds = new LinkedHashMap<>();
        seeds.put(
                "get",
                "GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n"
                        + "User-Agent: fuzz/1.0\r\n\r\n");
        seeds.put("get-http10", "GET / HTTP/1.0\r\n\r\n");
        seeds.put(
                "post-content-length",
                "POST /api/items HTTP/1.1\r\nHost: api.example.com\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"id\":42,\"a\"}");
        seeds.put(
                "chunked",
                "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Checksum: 12\r\n\r\n");
        seeds.put(
                "pipelined",
                "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\n"
                        + "Content-Length: 2\r\n\r\nokGET /3 HTTP/1.1\r\nHost: a\r\n\r\n");
        seeds.put("absolute-form", "GET http://example.com:8080/p HTTP/1.1\r\nHost: other\r\n\r\n");
        seeds.put("connect", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
        seeds.put("options-asterisk", "OPTIONS * HTTP/1.1\r\nHost: [::1]:80\r\n\r\n");
        seeds.put("lf-only", "GET / HTTP/1.1\nHost: a\n\n");
        seeds.put(
                "smuggle-cl-te",
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n" + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nX");
        seeds.put(
                "smuggle-te-cl",
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                        + "Content-Length: 4\r\n\r\n5c\r\nGPOST / HTTP/1.1\r\n\r\n0\r\n\r\n");
        seeds.put(
                "smuggle-double-cl",
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nContent-Length: 5\r\n" + "\r\nhello");
        seeds.put(
                "smuggle-te-obfuscated",
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n"
                        + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n");
        seeds.put("smuggle-te-vtab", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\u000bchunked\r\n\r\n0\r\n\r\n");
        seeds.put(
                "smuggle-folded",
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n chunked\r\n\r\n" + "0\r\n\r\n");
        seeds.put(
                "chunk-overflow",
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "10000000000000005\r\nhello\r\n0\r\n\r\n");
        seeds.put("bare-cr", "GET / HTTP/1.1\rHost: a\r\n\r\n");
        seeds.put(
                "empty-lines",
                "\r\n\r\nGET /1 HTTP/1.1\r\nHost: a\r\n\r\n" + "\r\n".repeat(8)
                        + "GET /2 HTTP/1.1\r\nHost: a\r\n\r\n\r\n");
        seeds.put("long-target", "GET /" + "a".repeat(80) + " HTTP/1.1\r\nHost: a\r\n\r\n");
        Path dir = Path.of(DIR);
        Files.createDirectories(dir);
        for (Map.Entry<String, String> seed : seeds.entrySet()) {
            byte[] request = seed.getValue().getBytes(StandardCharsets.ISO_8859_1);
            // suffix, read backwards: flags, count, sizes; variants: whole/strict, byte by byte/small, mixed/paused
            int variant = 0;
            for (byte[] sizes : new byte[][] {{}, {0}, {2, 6, 16}}) {
                int flags = variant == 1 ? 1 : variant == 2 ? 4 | 8 : 0;
                byte[] out = new byte[request.length + sizes.length + 2];
                System.arraycopy(request, 0, out, 0, request.length);
                for (int i = 0; i < sizes.length; i++) {
                    out[out.length - 3 - i] = sizes[i];
                }
                out[out.length - 2] = (byte) sizes.length;
                out[out.length - 1] = (byte) flags;
                Files.write(dir.resolve(seed.getKey() + "-" + variant), out);
                variant++;
            }
        }
    }
}

package dev.plinth.benchmarks.parser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests every parser is given: browser GETs with about ten headers, API POSTs with small JSON bodies, and
 * chunked uploads, in a fixed mix. Each request arrives in its own read, as on a persistent connection.
 */
final class Corpus {
    /** Requests per benchmark operation. */
    static final int SIZE = 12;

    private Corpus() {
    }

    static byte[][] requests() {
        List<String> all = new ArrayList<>();
        String[] paths = {"/", "/articles/2026/11/http-parsing?utm_source=feed&utm_medium=rss", "/static/css/site.4f2a9c.css",
            "/static/js/app.93be1d.js", "/images/logo.svg", "/favicon.ico"};
        String[] accepts = {"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/css,*/*;q=0.1", "*/*",
            "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
            "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"};
        for (int i = 0; i < paths.length; i++) {
            all.add("GET " + paths[i] + " HTTP/1.1\r\n"
                    + "Host: www.example.com\r\n"
                    + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                    + "Chrome/131.0.0.0 Safari/537.36\r\n"
                    + "Accept: " + accepts[i] + "\r\n"
                    + "Accept-Language: en-GB,en;q=0.9,fr;q=0.8\r\n"
                    + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
                    + (i == 0 ? "" : "Referer: https://www.example.com/\r\n")
                    + "Connection: keep-alive\r\n"
                    + "Cookie: session=7f3c9a1e5b2d4c6f8a0b1c2d3e4f5a6b; theme=dark; consent=1\r\n"
                    + "Sec-Fetch-Dest: " + (i < 2 ? "document" : i < 4 ? "script" : "image") + "\r\n"
                    + "Sec-Fetch-Mode: " + (i < 2 ? "navigate" : "no-cors") + "\r\n"
                    + "Sec-Fetch-Site: same-origin\r\n"
                    + (i < 2 ? "Upgrade-Insecure-Requests: 1\r\n" : "")
                    + "If-None-Match: \"" + Integer.toHexString(0x5f3a1 * (i + 1)) + "\"\r\n"
                    + "\r\n");
        }
        String[] bodies = {"{\"name\":\"widget\",\"quantity\":3,\"tags\":[\"blue\",\"small\"]}",
            "{\"query\":\"status:open\",\"page\":2,\"pageSize\":50,\"sort\":\"-updated\"}",
            "{\"event\":\"click\",\"target\":\"#buy\",\"ts\":1764072000123,\"session\":\"7f3c9a1e\"}",
            "{\"op\":\"replace\",\"path\":\"/email\",\"value\":\"someone@example.org\"}"};
        String[] apiPaths = {"/api/v1/orders", "/api/v1/search", "/api/v1/events", "/api/v1/users/42"};
        for (int i = 0; i < bodies.length; i++) {
            byte[] body = bodies[i].getBytes(StandardCharsets.UTF_8);
            all.add((i == 3 ? "PATCH " : "POST ") + apiPaths[i] + " HTTP/1.1\r\n"
                    + "Host: api.example.com\r\n"
                    + "User-Agent: okhttp/4.12.0\r\n"
                    + "Accept: application/json\r\n"
                    + "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl\r\n"
                    + "Content-Type: application/json; charset=utf-8\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + "X-Request-Id: 3f1e2d4c-" + (1000 + i) + "\r\n"
                    + "\r\n" + bodies[i]);
        }
        for (int i = 0; i < 2; i++) {
            StringBuilder b = new StringBuilder("PUT /uploads/photo-" + i + ".jpg HTTP/1.1\r\n"
                    + "Host: upload.example.com\r\n"
                    + "User-Agent: curl/8.11.0\r\n"
                    + "Accept: */*\r\n"
                    + "Content-Type: image/jpeg\r\n"
                    + "Transfer-Encoding: chunked\r\n"
                    + "Expect: 100-continue\r\n"
                    + "\r\n");
            int[] sizes = i == 0 ? new int[] {1024, 1024, 512} : new int[] {4096, 2000};
            for (int size : sizes) {
                b.append(Integer.toHexString(size)).append("\r\n");
                for (int k = 0; k < size; k++) {
                    b.append((char) ('a' + (k * 7 + size) % 26));
                }
                b.append("\r\n");
            }
            b.append("0\r\n\r\n");
            all.add(b.toString());
        }
        if (all.size() != SIZE) {
            throw new IllegalStateException("corpus has " + all.size() + " requests, not " + SIZE);
        }
        byte[][] bytes = new byte[SIZE][];
        for (int i = 0; i < SIZE; i++) {
            bytes[i] = all.get(i).getBytes(StandardCharsets.ISO_8859_1);
        }
        return bytes;
    }
}

package dev.plinth.http.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Parses raw response bytes (as ISO-8859-1 text) into responses, for assertions. */
final class Responses {

    private Responses() {}

    /**
     * One parsed response.
     *
     * @param status the status code
     * @param headers fields by lower-case name (last one wins; tests use distinct names)
     * @param body the body, de-chunked
     * @param framing "length", "chunked", "close" or "none"
     */
    record Parsed(int status, Map<String, String> headers, String body, String framing) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * @param raw everything the server sent
     * @param headRequests which responses answer HEAD (no body), by index
     * @return the responses in order; a close-delimited body runs to the end
     */
    static List<Parsed> parse(String raw, boolean... headRequests) {
        List<Parsed> out = new ArrayList<>();
        int at = 0;
        while (at < raw.length()) {
            int headEnd = raw.indexOf("\r\n\r\n", at);
            if (headEnd < 0) {
                throw new AssertionError("incomplete head at " + at + ": " + raw.substring(at));
            }
            String[] lines = raw.substring(at, headEnd).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(
                        lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
            at = headEnd + 4;
            if (status == 100) {
                out.add(new Parsed(status, headers, "", "none"));
                continue;
            }
            boolean head = out.stream().filter(p -> p.status != 100).count() < headRequests.length
                    && headRequests[
                            (int) out.stream().filter(p -> p.status != 100).count()];
            String body;
            String framing;
            if (head || status == 204 || status == 304) {
                body = "";
                framing = "none";
            } else if (headers.containsKey("content-length")) {
                int length = Integer.parseInt(headers.get("content-length"));
                body = raw.substring(at, Math.min(raw.length(), at + length));
                at += length;
                framing = "length";
            } else if ("chunked".equals(headers.get("transfer-encoding"))) {
                StringBuilder text = new StringBuilder();
                while (true) {
                    int lineEnd = raw.indexOf("\r\n", at);
                    if (lineEnd < 0) {
                        throw new AssertionError("unterminated chunked body");
                    }
                    int size = Integer.parseInt(raw.substring(at, lineEnd), 16);
                    at = lineEnd + 2;
                    if (size == 0) {
                        if (!raw.startsWith("\r\n", at)) {
                            throw new AssertionError("missing CRLF after last chunk");
                        }
                        at += 2;
                        break;
                    }
                    text.append(raw, at, at + size);
                    at += size;
                    if (!raw.startsWith("\r\n", at)) {
                        throw new AssertionError("missing CRLF after chunk");
                    }
                    at += 2;
                }
                body = text.toString();
                framing = "chunked";
            } else {
                body = raw.substring(at);
                at = raw.length();
                framing = "close";
            }
            out.add(new Parsed(status, headers, body, framing));
        }
        return out;
    }

    /**
     * The bytes that follow one response's head up to the next status line, framing included (chunk sizes, last
     * chunk): for tests that check the framing itself. Bodies must not contain a status line.
     *
     * @param raw everything the server sent
     * @param index which response, counting {@code 100 Continue}
     * @return the raw bytes after that head
     */
    static String rawBody(String raw, int index) {
        int at = 0;
        for (int i = 0; i < index; i++) {
            at = raw.indexOf("HTTP/1.1 ", raw.indexOf("\r\n\r\n", at) + 4);
        }
        int bodyStart = raw.indexOf("\r\n\r\n", at) + 4;
        int next = raw.indexOf("HTTP/1.1 ", bodyStart);
        return raw.substring(bodyStart, next < 0 ? raw.length() : next);
    }
}

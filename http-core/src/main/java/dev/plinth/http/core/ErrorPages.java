package dev.plinth.http.core;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;

/** The small pages the core answers with itself (404, 400, 500…). */
final class ErrorPages {

    private ErrorPages() {
    }

    /**
     * @param status the status
     * @param detail one sentence for the reader; never echoes request bytes as markup
     * @return a complete small HTML response
     */
    static Response page(int status, String detail) {
        String title = status + " " + StatusText.of(status);
        String html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head>\n"
                + "<body><h1>" + title + "</h1>\n<p>" + escape(detail) + "</p></body></html>\n";
        return Response.of(status)
                .header("Content-Type", "text/html; charset=utf-8")
                .header("Cache-Control", "no-store")
                .body(Body.of(html));
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}

package dev.plinth.http.core;

import dev.plinth.http.handler.Bodies;
import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletionException;

/** The small pages the core answers with itself (404, 400, 500…). */
final class ErrorPages {

    private static final System.Logger LOG = System.getLogger(ErrorPages.class.getName());

    private ErrorPages() {}

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

    /**
     * The page for a handler that failed: 413 for a body larger than the handler accepts, else 500 (logged).
     *
     * @param request what was asked, for the log
     * @param failure what the handler threw or failed its stage with
     * @return the page
     */
    static Response failure(CoreRequest request, Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof Bodies.BodyTooLargeException) {
            return page(413, "The request body is too large.");
        }
        LOG.log(Level.WARNING, "handler failed on " + request, cause);
        return page(500, "The handler failed.");
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

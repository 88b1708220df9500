package dev.plinth.handlers.statics;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The HTML page listing a directory without an index file, for mounts that turn listings on. Names are
 * percent-encoded in links (every byte but the unreserved ones, RFC 3986 §2.3; links start with {@code ./} so that a
 * name with a colon is never read as a scheme) and HTML-escaped in text; the names come sorted from
 * {@link PathResolver#list}, directories marked with a trailing slash; a link to the parent comes first except at the
 * top of the mount.
 */
final class Listing {

    private Listing() {}

    /**
     * @param path the decoded request path of the directory, ending with a slash
     * @param parent whether to link to the parent directory
     * @param entries the entries
     * @return the page
     */
    static String page(String path, boolean parent, List<PathResolver.Entry> entries) {
        String title = "Index of " + html(path);
        StringBuilder page = new StringBuilder(256 + 96 * entries.size())
                .append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(title)
                .append("</title></head>\n<body><h1>")
                .append(title)
                .append("</h1>\n<ul>\n");
        if (parent) {
            page.append("<li><a href=\"../\">../</a></li>\n");
        }
        for (PathResolver.Entry entry : entries) {
            String slash = entry.directory() ? "/" : "";
            page.append("<li><a href=\"./")
                    .append(url(entry.name()))
                    .append(slash)
                    .append("\">")
                    .append(html(entry.name()))
                    .append(slash)
                    .append("</a></li>\n");
        }
        return page.append("</ul></body></html>\n").toString();
    }

    /** @return {@code text} with the five HTML-significant characters escaped */
    static String html(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** @return a path segment with every byte of its UTF-8 form but the unreserved ones percent-encoded */
    static String url(String segment) {
        StringBuilder encoded = new StringBuilder(segment.length() + 16);
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                encoded.append((char) c);
            } else {
                encoded.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return encoded.toString();
    }
}

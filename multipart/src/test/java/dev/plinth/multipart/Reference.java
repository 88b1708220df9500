package dev.plinth.multipart;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A second multipart parser for the tests, as plain as can be: the whole body at once, {@code indexOf} for
 * delimiters, regular expressions for the grammar. It says whether a body is valid and, if it is, what the streaming
 * parser must report for it, in {@link Recorder}'s transcript format. It does not say why a body is invalid: the
 * streaming parser's messages come from where it stops, which this one does not track.
 */
final class Reference {
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    /** A header line without its CRLF: a value has no control character but HTAB, and no DEL. */
    private static final Pattern FIELD = Pattern.compile("(" + TOKEN + "):([^\\x00-\\x08\\x0A-\\x1F\\x7F]*)");

    private static final String QUOTED =
            "\"(?:[\\t\\x20\\x21\\x23-\\x5B\\x5D-\\x7E\\x80-\\xFF]|\\\\[\\t\\x20-\\x7E\\x80-\\xFF])*\"";
    private static final String PARAM = "[ \\t]*;[ \\t]*(?:(" + TOKEN + ")=(" + TOKEN + "|" + QUOTED + "))?";
    private static final Pattern DISPOSITION = Pattern.compile("(?i:form-data)(?:" + PARAM + ")*[ \\t]*");
    private static final Pattern ONE_PARAM = Pattern.compile(PARAM);
    private static final Pattern PADDING = Pattern.compile("[ \\t]*");
    private static final Pattern CLOSE_TAIL = Pattern.compile("[ \\t]*(?:\\r\\n[\\s\\S]*)?");

    private Reference() {}

    /** @return the transcript of a valid body, or null if the body is not valid */
    static String parse(byte[] input, String boundary, MultipartLimits limits) {
        String body = Text.latin1(input);
        String dashBoundary = "--" + boundary;
        String delimiter = "\r\n" + dashBoundary;
        int at;
        if (body.startsWith(dashBoundary)) {
            at = dashBoundary.length();
        } else {
            int first = body.indexOf(delimiter);
            if (first < 0) {
                return null;
            }
            at = first + delimiter.length();
        }
        List<String> out = new ArrayList<>();
        int parts = 0;
        while (!body.startsWith("--", at)) {
            int lineEnd = body.indexOf("\r\n", at);
            if (lineEnd < 0 || !PADDING.matcher(body.substring(at, lineEnd)).matches() || ++parts > limits.maxParts()) {
                return null;
            }
            // the header lines end with the first empty line: at the start, or the first CRLF CRLF
            int blockStart = lineEnd + 2;
            int emptyLine = body.startsWith("\r\n", blockStart) ? blockStart - 2 : body.indexOf("\r\n\r\n", blockStart);
            if (emptyLine < 0) {
                return null;
            }
            int blockEnd = emptyLine + 4;
            if (blockEnd - blockStart > limits.maxHeaderBytes()) {
                return null;
            }
            String head = head(body.substring(blockStart, Math.max(blockStart, emptyLine)), limits);
            int next = body.indexOf(delimiter, blockEnd);
            if (head == null || next < 0) {
                return null;
            }
            out.add(head);
            if (next > blockEnd) {
                out.add("data " + Text.escape(body.substring(blockEnd, next)));
            }
            out.add("end");
            at = next + delimiter.length();
        }
        if (!CLOSE_TAIL.matcher(body.substring(at + 2)).matches()) {
            return null;
        }
        out.add("complete");
        return String.join("\n", out);
    }

    /** @return the transcript line of a header block (its lines, CRLF between them), or null if invalid */
    private static String head(String block, MultipartLimits limits) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        if (!block.isEmpty()) {
            for (String line : block.split("\r\n", -1)) {
                Matcher m = FIELD.matcher(line);
                if (!m.matches()) {
                    return null;
                }
                names.add(m.group(1));
                values.add(trim(m.group(2)));
            }
        }
        if (names.size() > limits.maxHeaderFields()) {
            return null;
        }
        String disposition = only(names, values, "content-disposition");
        String contentType = only(names, values, "content-type");
        if (disposition == null || disposition.equals("\0") || contentType == null) {
            return null;
        }
        if (!DISPOSITION.matcher(disposition).matches()) {
            return null;
        }
        String name = null;
        String filename = null;
        Matcher p = ONE_PARAM.matcher(disposition.substring("form-data".length()));
        while (p.find()) {
            if (p.group(1) == null) {
                continue;
            }
            String param = p.group(1).toLowerCase(Locale.ROOT);
            String value = unquote(p.group(2));
            if (param.equals("filename*")) {
                return null;
            } else if (param.equals("name")) {
                if (name != null) {
                    return null;
                }
                name = value;
            } else if (param.equals("filename")) {
                if (filename != null) {
                    return null;
                }
                filename = value;
            }
        }
        name = name == null ? null : utf8(name);
        String decodedFilename = filename == null ? null : utf8(filename);
        if (name == null || filename != null && decodedFilename == null) {
            return null;
        }
        StringBuilder line = new StringBuilder("part ");
        for (int i = 0; i < names.size(); i++) {
            line.append(i == 0 ? "" : " | ").append(names.get(i)).append(": ").append(Text.escape(values.get(i)));
        }
        line.append(" -> name=").append(Text.escape(name));
        if (decodedFilename != null) {
            line.append(" filename=").append(Text.escape(decodedFilename));
        }
        line.append(" type=").append(Text.escape(contentType.equals("\0") ? "text/plain" : contentType));
        return line.toString();
    }

    /** @return the value of the only field {@code name}; {@code "\0"} if none; the empty string if more than one */
    private static String only(List<String> names, List<String> values, String name) {
        String value = "\0";
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                if (!value.equals("\0")) {
                    return null;
                }
                value = values.get(i);
            }
        }
        return value;
    }

    /** @return {@code s} without leading and trailing SP and HTAB */
    private static String trim(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    private static String unquote(String value) {
        if (!value.startsWith("\"")) {
            return value;
        }
        return value.substring(1, value.length() - 1).replaceAll("\\\\([\\s\\S])", "$1");
    }

    private static String utf8(String latin1) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Text.bytes(latin1)))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

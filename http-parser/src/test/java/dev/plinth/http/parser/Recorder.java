package dev.plinth.http.parser;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A listener that writes every event as one line of a transcript. Consecutive content parts are merged into one
 * line, so the transcript does not depend on how the input was split. It can pause after every event.
 */
final class Recorder implements RequestListener {
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder content = new StringBuilder();
    private final boolean pause;
    /** The last content part received: a view of the caller's buffer, kept to check that nothing was copied. */
    ByteBuffer lastPart;
    /** The last method received, as the String the parser made: to check that common methods are shared. */
    String method;

    Recorder(boolean pause) {
        this.pause = pause;
    }

    @Override
    public void requestLine(String method, String target, int minorVersion) {
        this.method = method;
        add("request " + method + " " + target + " HTTP/1." + minorVersion);
    }

    @Override
    public void header(String name, String value) {
        add("header " + name + "=[" + value + "]");
    }

    @Override
    public boolean headersComplete(long contentLength) {
        add("headers " + contentLength);
        return pause;
    }

    @Override
    public boolean content(ByteBuffer part) {
        lastPart = part;
        byte[] bytes = new byte[part.remaining()];
        part.get(bytes);
        content.append(new String(bytes, StandardCharsets.ISO_8859_1));
        return pause;
    }

    @Override
    public void trailer(String name, String value) {
        add("trailer " + name + "=[" + value + "]");
    }

    @Override
    public boolean messageComplete() {
        add("complete");
        return pause;
    }

    /** Adds a line that is not a listener event, such as an error. */
    void add(String line) {
        if (content.length() > 0) {
            lines.add("content " + content);
            content.setLength(0);
        }
        lines.add(line);
    }

    String transcript() {
        add("end");
        lines.remove(lines.size() - 1);
        return String.join("\n", lines);
    }
}

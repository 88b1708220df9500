package dev.plinth.multipart;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A listener that writes every event as one line of a transcript, the data of a part merged into one line so that
 * the transcript does not depend on how the body was split, and checks what every event sequence must respect: the
 * order {@link MultipartListener} promises, and data slices that are non-empty and read-only.
 */
class Recorder implements MultipartListener {
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder data = new StringBuilder();
    private boolean inPart;
    private boolean complete;
    /** Every listener call, and every data call on its own. */
    int events;

    int dataCalls;

    @Override
    public void part(PartHead head) {
        check(!inPart && !complete, "part out of order");
        inPart = true;
        events++;
        lines.add(describe(head));
    }

    @Override
    public void data(ByteBuffer slice) {
        check(inPart, "data outside a part");
        check(slice.hasRemaining(), "empty data");
        check(slice.isReadOnly(), "writable data slice");
        events++;
        dataCalls++;
        while (slice.hasRemaining()) {
            data.append((char) (slice.get() & 0xFF));
        }
    }

    @Override
    public void partEnd() {
        check(inPart, "partEnd outside a part");
        inPart = false;
        events++;
        add("end");
    }

    @Override
    public void complete() {
        check(!inPart && !complete, "complete out of order");
        complete = true;
        events++;
        add("complete");
    }

    /** Adds a line that is not an event, such as an error. */
    void add(String line) {
        if (data.length() > 0) {
            lines.add("data " + Text.escape(data.toString()));
            data.setLength(0);
        }
        lines.add(line);
    }

    String transcript() {
        add("");
        lines.remove(lines.size() - 1);
        return String.join("\n", lines);
    }

    /** The transcript line of a part's head: fields, then what was made of them. */
    static String describe(PartHead head) {
        return "part "
                + head.fields().stream()
                        .map(f -> f.name() + ": " + Text.escape(f.value()))
                        .collect(Collectors.joining(" | "))
                + " -> name=" + Text.escape(head.name())
                + head.filename().map(f -> " filename=" + Text.escape(f)).orElse("")
                + " type=" + Text.escape(head.contentType());
    }

    /** The transcript line of an error. */
    static String describe(MultipartException e) {
        return "error " + e.status() + " @" + e.offset() + " " + e.getMessage();
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}

package dev.plinth.http.transport;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link System.Logger} that keeps what it is given, for tests to read. */
final class RecordingLogger implements System.Logger {

    /**
     * One logged line.
     *
     * @param level its level
     * @param message its text
     */
    record Line(Level level, String message) {}

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    /**
     * @param level a level
     * @return the messages logged at it, in order
     */
    List<String> messages(Level level) {
        return lines.stream()
                .filter(line -> line.level() == level)
                .map(Line::message)
                .toList();
    }

    /** @return every line, in order */
    List<Line> lines() {
        return List.copyOf(lines);
    }

    @Override
    public String getName() {
        return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
        lines.add(new Line(level, message));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... parameters) {
        boolean plain = parameters == null || parameters.length == 0;
        lines.add(new Line(level, plain ? format : MessageFormat.format(format, parameters)));
    }
}

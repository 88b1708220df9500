package dev.plinth.accesslog;

import java.util.function.Supplier;

/** The figures of {@link AccessLogStatsMBean}: the counters, and the current writer's queue and file. */
final class AccessLogStats implements AccessLogStatsMBean {

    private final Counters counters;
    private final Supplier<LogWriter> writer;

    /**
     * @param counters the line counters
     * @param writer the writer in use at the time of the call
     */
    AccessLogStats(Counters counters, Supplier<LogWriter> writer) {
        this.counters = counters;
        this.writer = writer;
    }

    @Override
    public long getLinesWritten() {
        return counters.written.sum();
    }

    @Override
    public long getLinesDropped() {
        return counters.dropped.sum();
    }

    @Override
    public long getLinesFailed() {
        return counters.failed.sum();
    }

    @Override
    public int getQueueDepth() {
        return writer.get().queued();
    }

    @Override
    public int getQueueCapacity() {
        return writer.get().settings().queueLines();
    }

    @Override
    public String getCurrentFile() {
        return writer.get().settings().path().toAbsolutePath().toString();
    }

    @Override
    public String getFormat() {
        return writer.get().settings().format().toString();
    }
}

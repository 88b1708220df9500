package dev.plinth.accesslog;

import java.util.concurrent.atomic.LongAdder;

/** What became of the lines, since the component started (kept across configuration changes). */
final class Counters {

    /** Lines that reached the file (handed to the operating system). */
    final LongAdder written = new LongAdder();

    /** Lines not queued: the queue was full, or the log was stopping. */
    final LongAdder dropped = new LongAdder();

    /** Lines queued but lost to a failure to write the file. */
    final LongAdder failed = new LongAdder();
}

package dev.plinth.accesslog;

import dev.plinth.http.core.ExchangeFacts;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded queue of exchanges and the one daemon thread that formats them and writes them to a {@link RollingFile}.
 *
 * <p>{@link #offer} never waits: when the queue is full the line is dropped and counted. The thread writes through
 * the file's buffer and flushes whenever the queue runs empty, so a line reaches the file as soon as the writer has
 * nothing else to do. Dropped lines and write failures are logged at most once a minute each, with their count.
 * {@link #stop} refuses new lines, lets the thread write what is queued, flush and close the file, and waits for it
 * a bounded time.
 */
final class LogWriter {

    private static final System.Logger LOG = System.getLogger(LogWriter.class.getName());

    /** Least time between two warnings of the same kind. */
    static final long WARN_INTERVAL_MILLIS = 60_000;

    /** How often, in lines written without a pause, the writer looks at the drop count. */
    private static final int DROP_CHECK_LINES = 1024;

    /** Queued by {@link #stop}: wakes the writer up (compared by identity). */
    private static final ExchangeFacts STOP = new ExchangeFacts(null, "-", "-", "-", 0, 0, 0, true);

    private final System.Logger log;
    private final Settings settings;
    private final Counters counters;
    private final Clock clock;
    private final BlockingQueue<ExchangeFacts> queue;
    private final Lines lines;
    private final Thread thread;
    private volatile boolean stopping;
    private RollingFile file;

    // The writer thread's own.
    private long reportedDrops;
    private long nextDropWarning;
    private long unreportedFailures;
    private long nextFailureWarning;
    private long unflushed;

    private LogWriter(Settings settings, Counters counters, Clock clock, System.Logger log) {
        this.log = log;
        this.settings = settings;
        this.counters = counters;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(settings.queueLines());
        this.lines = new Lines(settings.format(), settings.zone());
        this.reportedDrops = counters.dropped.sum();
        this.thread = new Thread(this::run, "plinth-access-log");
        thread.setDaemon(true);
    }

    /**
     * A writer that queues lines but does not write them before {@link #start}.
     *
     * @param settings what to write where
     * @param counters where to count the lines
     * @param clock the time, for rotation and for spacing warnings
     * @return the writer
     */
    static LogWriter create(Settings settings, Counters counters, Clock clock) {
        return new LogWriter(settings, counters, clock, LOG);
    }

    /**
     * As {@link #create(Settings, Counters, Clock)}, warning to the given logger.
     *
     * @param settings what to write where
     * @param counters where to count the lines
     * @param clock the time
     * @param log where to warn of dropped and lost lines
     * @return the writer
     */
    static LogWriter create(Settings settings, Counters counters, Clock clock, System.Logger log) {
        return new LogWriter(settings, counters, clock, log);
    }

    /**
     * Opens the file and starts the thread.
     *
     * @param strict true to fail if the file cannot be opened; false to start anyway, the thread trying to open the
     *        file again at each line (and counting the lines it cannot write)
     * @throws IOException if {@code strict} and the file cannot be opened
     */
    void start(boolean strict) throws IOException {
        try {
            file = open(settings, clock);
        } catch (IOException e) {
            if (strict) {
                throw e;
            }
            log.log(Level.WARNING, "access log: cannot open " + settings.path() + "; trying again at each line", e);
        }
        thread.start();
    }

    /**
     * Opens (making its folders) and closes the file the settings name, to know before using them that it can be.
     *
     * @param settings the settings
     * @param clock the time
     * @throws IOException if the file cannot be opened
     */
    static void probe(Settings settings, Clock clock) throws IOException {
        open(settings, clock).close();
    }

    private static RollingFile open(Settings settings, Clock clock) throws IOException {
        return new RollingFile(
                settings.path(),
                settings.rotateDaily(),
                settings.maxFileBytes(),
                settings.keep(),
                settings.zone(),
                clock);
    }

    /** @return the settings this writer was made with */
    Settings settings() {
        return settings;
    }

    /**
     * Queues an exchange to be written, without waiting.
     *
     * @param facts the exchange
     * @return false if it was dropped (and counted): the queue is full or the writer is stopping
     */
    boolean offer(ExchangeFacts facts) {
        if (stopping || !queue.offer(facts)) {
            counters.dropped.increment();
            return false;
        }
        return true;
    }

    /** @return the lines waiting in the queue */
    int queued() {
        return queue.size();
    }

    /**
     * Stops taking lines; the thread writes what is queued, flushes and closes the file.
     *
     * @param wait how long to wait for that
     * @return true if the thread finished within {@code wait}
     */
    boolean stop(Duration wait) {
        stopping = true;
        queue.offer(STOP); // if full, the writer is busy and sees the flag once it has emptied the queue
        try {
            thread.join(Math.max(1, wait.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private void run() {
        StringBuilder line = new StringBuilder(512);
        long sincePause = 0;
        try {
            while (true) {
                ExchangeFacts facts = queue.poll();
                if (facts == null) {
                    flush();
                    reportDrops(false);
                    if (stopping) {
                        break;
                    }
                    facts = awaitNext();
                    sincePause = 0;
                    if (facts == null) {
                        continue;
                    }
                } else if (++sincePause % DROP_CHECK_LINES == 0) {
                    reportDrops(false);
                }
                if (facts != STOP) {
                    write(facts, line);
                }
            }
        } catch (InterruptedException e) {
            // not expected: nobody interrupts this thread; end as if stopped
        } finally {
            close();
            reportDrops(true);
        }
    }

    /** Waits for the next exchange, or until drops not yet reported may be, whichever comes first. */
    private ExchangeFacts awaitNext() throws InterruptedException {
        if (counters.dropped.sum() > reportedDrops) {
            long wait = nextDropWarning - clock.millis();
            return queue.poll(Math.max(1, wait), TimeUnit.MILLISECONDS);
        }
        return queue.take();
    }

    private void write(ExchangeFacts facts, StringBuilder line) {
        try {
            line.setLength(0);
            lines.append(facts, line);
        } catch (RuntimeException e) {
            // facts this writer cannot lay out lose their line, never the writer
            counters.failed.increment();
            log.log(Level.WARNING, "access log: cannot write a line for " + facts, e);
            return;
        }
        try {
            if (file == null) {
                file = open(settings, clock);
            }
            file.write(line);
            unflushed++;
        } catch (IOException e) {
            lost(1 + unflushed, e);
        }
    }

    private void flush() {
        if (unflushed == 0) {
            return;
        }
        try {
            file.flush();
            counters.written.add(unflushed);
            unflushed = 0;
        } catch (IOException e) {
            lost(unflushed, e);
        }
    }

    private void close() {
        flush();
        if (file != null) {
            try {
                file.close(); // nothing left to write: this only closes
            } catch (IOException e) {
                lost(0, e);
            }
        }
    }

    /** Counts lines lost to a write failure; warns at most once a minute. */
    private void lost(long count, IOException cause) {
        unflushed = 0;
        counters.failed.add(count);
        unreportedFailures += count;
        long now = clock.millis();
        if (now >= nextFailureWarning) {
            log.log(
                    Level.WARNING,
                    "access log: " + unreportedFailures + " lines lost, cannot write " + settings.path(),
                    cause);
            unreportedFailures = 0;
            nextFailureWarning = now + WARN_INTERVAL_MILLIS;
        }
    }

    /** Warns of lines dropped since the last warning, at most once a minute unless {@code now}. */
    private void reportDrops(boolean now) {
        long dropped = counters.dropped.sum();
        if (dropped == reportedDrops) {
            return;
        }
        long time = clock.millis();
        if (now || time >= nextDropWarning) {
            log.log(
                    Level.WARNING,
                    "access log: " + (dropped - reportedDrops) + " lines dropped, the queue of " + settings.queueLines()
                            + " lines being full (" + dropped + " in all)");
            reportedDrops = dropped;
            nextDropWarning = time + WARN_INTERVAL_MILLIS;
        }
    }
}

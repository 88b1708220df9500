package dev.plinth.http.transport;

import dev.plinth.http.core.CoreCounters;
import java.util.Locale;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/** The transport's counters plus the core's, as {@link ServerStats}. */
final class Counters implements ServerStats {

    private final CoreCounters core;
    final LongAdder open = new LongAdder();
    final LongAdder total = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder transportErrors = new LongAdder();
    final LongAccumulator peakQueued = new LongAccumulator(Math::max, 0);
    final LongAdder tlsHandshakes = new LongAdder();
    final LongAdder tlsHandshakeFailures = new LongAdder();
    final LongAdder tlsHandshakeTimeouts = new LongAdder();
    final LongAdder tlsPlainHttp = new LongAdder();
    final LongAdder tlsRenegotiations = new LongAdder();

    /** @param core the core's counters of the same server */
    Counters(CoreCounters core) {
        this.core = core;
    }

    /** A connection was accepted. */
    void accepted() {
        total.increment();
        open.increment();
    }

    /** A connection closed. */
    void closed() {
        open.decrement();
    }

    /** A connection was refused for the connection limit. */
    void refused() {
        refused.increment();
    }

    @Override
    public long connectionsOpen() {
        return open.sum();
    }

    @Override
    public long connectionsTotal() {
        return total.sum();
    }

    @Override
    public long connectionsRefused() {
        return refused.sum();
    }

    @Override
    public long requests() {
        return core.requests();
    }

    @Override
    public long bytesIn() {
        return bytesIn.sum();
    }

    @Override
    public long bytesOut() {
        return bytesOut.sum();
    }

    @Override
    public long errors() {
        return core.errors() + transportErrors.sum();
    }

    @Override
    public long peakQueuedBytes() {
        return peakQueued.get();
    }

    @Override
    public long inlineCalls() {
        return core.inlineCalls();
    }

    @Override
    public long blockedLoops() {
        return core.blockedLoops();
    }

    @Override
    public long tlsHandshakes() {
        return tlsHandshakes.sum();
    }

    @Override
    public long tlsHandshakeFailures() {
        return tlsHandshakeFailures.sum();
    }

    @Override
    public long tlsHandshakeTimeouts() {
        return tlsHandshakeTimeouts.sum();
    }

    @Override
    public long tlsPlainHttp() {
        return tlsPlainHttp.sum();
    }

    @Override
    public long tlsRenegotiationsRefused() {
        return tlsRenegotiations.sum();
    }

    /**
     * @return every counter on a line of its own, named as its method, values aligned: readable in a shell
     */
    @Override
    public String toString() {
        return line("connectionsOpen", connectionsOpen())
                + line("connectionsTotal", connectionsTotal())
                + line("connectionsRefused", connectionsRefused())
                + line("requests", requests())
                + line("bytesIn", bytesIn())
                + line("bytesOut", bytesOut())
                + line("errors", errors())
                + line("peakQueuedBytes", peakQueuedBytes())
                + line("inlineCalls", inlineCalls())
                + line("blockedLoops", blockedLoops())
                + line("tlsHandshakes", tlsHandshakes())
                + line("tlsHandshakeFailures", tlsHandshakeFailures())
                + line("tlsHandshakeTimeouts", tlsHandshakeTimeouts())
                + line("tlsPlainHttp", tlsPlainHttp())
                + line("tlsRenegotiationsRefused", tlsRenegotiationsRefused());
    }

    private static String line(String name, long value) {
        return String.format(Locale.ROOT, "%-24s %d\n", name, value);
    }
}

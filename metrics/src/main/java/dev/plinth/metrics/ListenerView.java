package dev.plinth.metrics;

import dev.plinth.http.transport.Listener;
import java.util.Arrays;

/** A {@link ListenerMXBean} reading a listener's counters and the counts of its port at each call. */
final class ListenerView implements ListenerMXBean {

    private static final double[] BOUNDS = withInfinity(LatencyHistogram.BOUNDS_SECONDS);

    private final Listener listener;
    private final int port;
    private final String host;
    private final ExchangeCounters counters;

    /**
     * @param listener the listener service
     * @param port its bound port
     * @param host its configured host
     * @param counters the access log counts, of which those of its port are shown
     */
    ListenerView(Listener listener, int port, String host, ExchangeCounters counters) {
        this.listener = listener;
        this.port = port;
        this.host = host;
        this.counters = counters;
    }

    @Override
    public int getPort() {
        return port;
    }

    @Override
    public String getHost() {
        return host;
    }

    @Override
    public long getConnectionsOpen() {
        return listener.stats().connectionsOpen();
    }

    @Override
    public long getConnectionsTotal() {
        return listener.stats().connectionsTotal();
    }

    @Override
    public long getConnectionsRefused() {
        return listener.stats().connectionsRefused();
    }

    @Override
    public long getRequests() {
        return listener.stats().requests();
    }

    @Override
    public long getRequests1xx() {
        return counters.port(port).responses(1);
    }

    @Override
    public long getRequests2xx() {
        return counters.port(port).responses(2);
    }

    @Override
    public long getRequests3xx() {
        return counters.port(port).responses(3);
    }

    @Override
    public long getRequests4xx() {
        return counters.port(port).responses(4);
    }

    @Override
    public long getRequests5xx() {
        return counters.port(port).responses(5);
    }

    @Override
    public long getIncompleteResponses() {
        return counters.port(port).incomplete();
    }

    @Override
    public long getBytesIn() {
        return listener.stats().bytesIn();
    }

    @Override
    public long getBytesOut() {
        return listener.stats().bytesOut();
    }

    @Override
    public long getErrors() {
        return listener.stats().errors();
    }

    @Override
    public long getPeakQueuedBytes() {
        return listener.stats().peakQueuedBytes();
    }

    @Override
    public long getTlsHandshakes() {
        return listener.stats().tlsHandshakes();
    }

    @Override
    public long getTlsHandshakeFailures() {
        return listener.stats().tlsHandshakeFailures();
    }

    @Override
    public long getTlsHandshakeTimeouts() {
        return listener.stats().tlsHandshakeTimeouts();
    }

    @Override
    public long getTlsPlainHttp() {
        return listener.stats().tlsPlainHttp();
    }

    @Override
    public long getTlsRenegotiationsRefused() {
        return listener.stats().tlsRenegotiationsRefused();
    }

    @Override
    public double[] getLatencyBucketBounds() {
        return BOUNDS.clone();
    }

    @Override
    public long[] getLatencyBucketCounts() {
        return counters.port(port).latency().counts();
    }

    @Override
    public long getLatencyCount() {
        return counters.port(port).latency().count();
    }

    @Override
    public double getLatencySumSeconds() {
        return counters.port(port).latency().sumSeconds();
    }

    @Override
    public double getLatencyP50Millis() {
        return counters.port(port).latency().quantileMillis(0.5);
    }

    @Override
    public double getLatencyP90Millis() {
        return counters.port(port).latency().quantileMillis(0.9);
    }

    @Override
    public double getLatencyP99Millis() {
        return counters.port(port).latency().quantileMillis(0.99);
    }

    private static double[] withInfinity(double[] bounds) {
        double[] all = Arrays.copyOf(bounds, bounds.length + 1);
        all[bounds.length] = Double.POSITIVE_INFINITY;
        return all;
    }
}

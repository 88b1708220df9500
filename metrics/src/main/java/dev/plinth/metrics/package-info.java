/**
 * Plinth's metrics, from the figures the server already keeps: each listener's counters
 * ({@link dev.plinth.http.transport.ServerStats}), the glue's exchanges in flight, and the facts of every finished
 * exchange, which a non-blocking {@link dev.plinth.http.core.AccessLog} sink
 * ({@link dev.plinth.metrics.ExchangeCounters}) adds up per port and per handler prefix without a lock.
 *
 * <ul>
 * <li>JMX: a {@link dev.plinth.metrics.ListenerMXBean} per listener and a {@link dev.plinth.metrics.HandlerMXBean} per
 *     handler mount, on the platform MBean server;</li>
 * <li>Prometheus: the text format 0.0.4 ({@link dev.plinth.metrics.PrometheusText}) at a configured path.</li>
 * </ul>
 *
 * <p>{@link dev.plinth.metrics.MetricsComponent} starts it all; configuration PID {@code dev.plinth.metrics}. Private
 * to the bundle: nothing is exported; other bundles see an {@code AccessLog} service and, when configured, a
 * {@code Handler} service.
 */
package dev.plinth.metrics;

/**
 * The access log: a line per exchange (NCSA combined or common, or JSON), written to a file by one writer thread, off
 * the I/O threads, and rotated daily and by size.
 *
 * <ul>
 * <li>{@link dev.plinth.accesslog.AccessLogComponent} is the {@code AccessLog} service and the configuration
 *     (PID {@code dev.plinth.accesslog}, required);</li>
 * <li>{@link dev.plinth.accesslog.LogWriter} owns the bounded queue and the writer thread;</li>
 * <li>{@link dev.plinth.accesslog.Lines} lays out a line, with {@link dev.plinth.accesslog.Escapes} for what the
 *     client chose;</li>
 * <li>{@link dev.plinth.accesslog.RollingFile} writes, rotates and prunes the file.</li>
 * </ul>
 *
 * <p>Private to the bundle: other bundles see only the {@code AccessLog} service, and JMX clients the MBean
 * {@code dev.plinth:type=AccessLog}.
 */
package dev.plinth.accesslog;

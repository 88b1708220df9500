package dev.plinth.http.transport;

import dev.plinth.http.core.AccessLog;
import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.core.CoreCounters;
import dev.plinth.http.core.CoreServices;
import dev.plinth.http.core.Glue;
import dev.plinth.http.core.HttpConnection;
import dev.plinth.http.core.LoopWatchdog;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on one socket: an acceptor thread, {@code selectorThreads} event loops that own the connections,
 * and workers for handler code. A loop reads, parses and hands each request to a worker; the worker runs the
 * handler and, when the answer is ready and the connection free, frames and writes it itself, so the loop is not
 * woken for it (a large or slow answer continues on the loop as the socket drains). In OSGi the transport bundle
 * runs one per configured listener; without OSGi, embed one directly, on the class path or the module path, with
 * no OSGi jar:
 *
 * <pre>{@code
 * Router router = Router.builder().mount("/", StaticHandler.builder(Path.of("www")).build()).build();
 * try (HttpServer server = new HttpServer(ServerConfig.of("127.0.0.1", 0), router)) {
 *     InetSocketAddress bound = server.start();
 *     ...
 * } // close(): stop(DEFAULT_STOP_GRACE_MILLIS)
 * }</pre>
 *
 * <p>Its life:
 * <ol>
 * <li>{@linkplain #HttpServer(ServerConfig, Glue) Made} with its settings and a {@link Glue} (such as a
 *     {@code dev.plinth.http.core.Router}): nothing is bound and no thread runs yet but the idle worker pool.</li>
 * <li>{@link #start()} binds the socket and starts the threads; it returns the bound address, whose port is the one
 *     the system chose when the settings asked for port 0 ({@link #address()} tells it again later).</li>
 * <li>{@link #stop(long)} (or {@link #close()}) stops gracefully: no new connection, idle ones closed, busy ones
 *     closed after their response, those left after the grace closed; then the threads end. Every thread is a
 *     daemon, so a program whose main thread returns does not wait for a server it forgot to stop. A server is
 *     started once; stopping it again does nothing.</li>
 * </ol>
 */
public final class HttpServer implements AutoCloseable {

    /** How long {@link #close()} lets exchanges in flight finish: 5 s. */
    public static final long DEFAULT_STOP_GRACE_MILLIS = 5_000;

    /** The longest {@link #connections()} waits for the selector threads to describe their connections. */
    public static final long DESCRIBE_WAIT_MILLIS = 1_000;

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());
    /** The least a stop waits for a thread it told to end: one that does not end by then is left to end alone. */
    private static final long STEP_MILLIS = 100;

    private final ServerConfig config;
    private final Glue glue;
    private final EventLoop[] loops;
    private final ExecutorService workers;
    private final CoreCounters coreCounters = new CoreCounters();
    private final Counters counters = new Counters(coreCounters);
    private final LoopWatchdog watchdog;
    private final Object closing = new Object();
    private volatile CoreConfig core;
    private volatile AccessLog accessLog = AccessLog.NONE;
    /** A test's own engines, or null: a TLS server loads {@link ServerConfig#tls()} at start. */
    private final TlsEngines givenEngines;
    /** Set at start for a TLS server: what its connections share; null for plain HTTP. */
    private TlsSetup tlsSetup;

    private ExecutorService tlsTasks;
    private ServerSocketChannel server;
    private Thread acceptor;
    private int next;
    /** Set by the first {@link #stop}: a later one returns at once. */
    private boolean stopped;

    /**
     * @param config the settings
     * @param glue picks a handler per request
     * @throws UnsupportedOperationException if virtual workers are asked for before JDK 21
     */
    public HttpServer(ServerConfig config, Glue glue) {
        this(config, glue, null);
    }

    /**
     * @param config the settings
     * @param glue picks a handler per request
     * @param engines the engines of a TLS server, instead of those {@link ServerConfig#tls()} would load; null to
     *        load them
     */
    HttpServer(ServerConfig config, Glue glue, TlsEngines engines) {
        this.config = config;
        this.givenEngines = engines;
        this.glue = glue;
        this.core = config.core();
        this.watchdog = new LoopWatchdog(Math.max(1, core.inlineThresholdMillis()));
        this.loops = new EventLoop[config.selectorThreads()];
        this.workers = config.virtualWorkers()
                ? virtualThreadPerTask()
                : Executors.newFixedThreadPool(config.workerThreads(), threads("plinth-worker-"));
    }

    /**
     * Binds the socket and starts the threads.
     *
     * @return the bound address
     * @throws IOException if the socket cannot be bound, or the TLS key material cannot be loaded (its message says
     *         why in one line); the server is then done with, its threads gone
     * @throws IllegalStateException if it was started before
     */
    public synchronized InetSocketAddress start() throws IOException {
        if (server != null || stopped) {
            throw new IllegalStateException("a server starts once");
        }
        if (givenEngines != null || config.secure()) {
            try {
                tlsSetup = startTls();
            } catch (IOException | RuntimeException e) {
                workers.shutdownNow();
                stopped = true;
                throw e;
            }
        }
        server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(config.host(), config.port()), 1024);
        } catch (IOException | RuntimeException e) {
            server.close();
            workers.shutdownNow(); // nothing runs on them yet: a server that never started leaves no thread
            if (tlsTasks != null) {
                tlsTasks.shutdownNow();
            }
            stopped = true; // done with: a stop has nothing to do
            throw e;
        }
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new EventLoop("plinth-selector-" + i, config.readBufferSize());
            loops[i].start();
        }
        if (core.runsInline()) {
            watchdog.start("plinth-loop-watchdog-" + address().getPort());
        }
        acceptor = new Thread(this::accept, "plinth-acceptor-" + address().getPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return address();
    }

    private TlsSetup startTls() throws IOException {
        TlsEngines engines = givenEngines != null ? givenEngines : TlsContext.load(config.tls());
        int packet = engines.newEngine().getSession().getPacketBufferSize();
        long timeout = config.tls() != null
                ? config.tls().handshakeTimeoutMillis()
                : TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS;
        // key exchange and signatures are CPU work: one thread per core keeps them off the selector threads
        tlsTasks = Executors.newFixedThreadPool(
                Math.max(1, Runtime.getRuntime().availableProcessors()), threads("plinth-tls-"));
        return new TlsSetup(engines, new TlsBuffers(2 * packet), tlsTasks, timeout);
    }

    /**
     * @return the bound address: its port is the one the system chose if the settings asked for port 0
     * @throws IllegalStateException if the server was not started
     */
    public InetSocketAddress address() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("not bound", e);
        }
    }

    /** @return the counters of this server */
    public ServerStats stats() {
        return counters;
    }

    /**
     * Describes the connections open now. Only a selector thread may touch its connections, so each is asked
     * through its task queue and describes them between two of its events; this waits for the answers at most
     * {@link #DESCRIBE_WAIT_MILLIS} in all, and leaves out a thread that has not answered by then.
     *
     * @return one entry per open connection, grouped by selector thread
     */
    public List<ConnectionInfo> connections() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DESCRIBE_WAIT_MILLIS);
        List<CompletableFuture<List<ConnectionInfo>>> answers = new ArrayList<>();
        for (EventLoop loop : loops) {
            CompletableFuture<List<ConnectionInfo>> answer = new CompletableFuture<>();
            if (loop == null) {
                continue; // not started
            } else if (loop.inLoop()) {
                answer.complete(loop.describeConnections()); // waiting for itself would never end
            } else {
                loop.execute(() -> describeInto(loop, answer));
            }
            answers.add(answer);
        }
        List<ConnectionInfo> all = new ArrayList<>();
        for (CompletableFuture<List<ConnectionInfo>> answer : answers) {
            try {
                all.addAll(answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                LOG.log(
                        Level.WARNING,
                        "a selector thread did not describe its connections within {0} ms",
                        DESCRIBE_WAIT_MILLIS);
            } catch (ExecutionException e) {
                LOG.log(Level.WARNING, "a selector thread failed to describe its connections", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return List.copyOf(all);
    }

    private static void describeInto(EventLoop loop, CompletableFuture<List<ConnectionInfo>> answer) {
        try {
            answer.complete(loop.describeConnections());
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
        }
    }

    /** @return the settings this server was started with */
    public ServerConfig config() {
        return config;
    }

    /**
     * Sets where exchange facts go. Connections opened from now on use it; open ones keep the sink they began with.
     *
     * @param sink the access log, or {@link AccessLog#NONE}
     */
    public void accessLog(AccessLog sink) {
        accessLog = sink;
    }

    /**
     * Changes the per-connection behaviour (limits, ceilings, timeouts) without touching the socket or the threads.
     * Connections opened from now on use it.
     *
     * @param newCore the behaviour
     */
    public void reconfigure(CoreConfig newCore) {
        core = newCore;
        if (newCore.runsInline()) {
            watchdog.threshold(newCore.inlineThresholdMillis());
            watchdog.start("plinth-loop-watchdog-" + address().getPort());
        }
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "accept failed", e);
                continue;
            }
            if (tlsSetup != null) {
                tlsSetup.engines().reloadIfChanged(); // here rather than on a selector thread: a reload takes time
            }
            EventLoop loop = loops[next];
            next = (next + 1) % loops.length;
            loop.execute(() -> open(channel, loop));
        }
    }

    private void open(SocketChannel channel, EventLoop loop) {
        boolean refuse = counters.connectionsOpen() >= config.maxConnections();
        counters.accepted();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            NioEndpoint endpoint =
                    new NioEndpoint(channel, loop, config.writeTimeoutMillis(), counters, this::closed, tlsSetup);
            HttpConnection connection = new HttpConnection(
                    core, new CoreServices(glue, workers, accessLog, coreCounters, watchdog), endpoint);
            endpoint.open(connection);
            if (refuse) {
                // over the limit: a prompt, honest answer costs less than a client retrying into a silent backlog
                counters.refused();
                connection.refuse(503, "The server has too many connections open; try again shortly.");
            }
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the client is gone already
            }
            closed();
        }
    }

    private void closed() {
        counters.closed();
        synchronized (closing) {
            closing.notifyAll();
        }
    }

    /**
     * Drains: stops accepting, closes idle connections, and tells the others to close after their current response
     * ({@code Connection: close}); then waits until they have, for at most {@code graceMillis}. Connections still
     * open after the grace stay open until {@link #stop}. The threads keep running; the server cannot accept again.
     *
     * @param graceMillis how long exchanges in flight may take to finish
     * @return what the drain found and left
     * @throws InterruptedException if interrupted while waiting
     * @since 1.4
     */
    public Drained drain(long graceMillis) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        int busy = (int) connections().stream().filter(HttpServer::busy).count();
        int open = (int) counters.connectionsOpen();
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the server socket failed", e);
        }
        acceptor.join(stepMillis(deadline));
        for (EventLoop loop : loops) {
            loop.shutdownConnections();
        }
        synchronized (closing) {
            for (long left = millisLeft(deadline);
                    counters.connectionsOpen() > 0 && left > 0;
                    left = millisLeft(deadline)) {
                closing.wait(left);
            }
        }
        return new Drained(
                open, busy, (int) counters.connectionsOpen(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /**
     * A connection between two exchanges, or before its first (in its TLS handshake too), has nothing in flight: a
     * drain closes it at once.
     */
    private static boolean busy(ConnectionInfo connection) {
        String state = connection.state();
        return !state.equals("idle") && !state.equals("closing") && !state.equals(NioEndpoint.HANDSHAKE);
    }

    /**
     * What a {@linkplain #drain drain} did.
     *
     * @param open connections open when it began
     * @param busy of those, connections with an exchange in flight (or a request head arriving)
     * @param cut connections still open when the grace ended
     * @param millis how long it took
     * @since 1.4
     */
    public record Drained(int open, int busy, int cut, long millis) {}

    /**
     * Stops gracefully: {@linkplain #drain drains} for {@code graceMillis}, then closes whatever is still open and
     * ends the threads. The whole stop takes about the grace: threads still running when it is over get a moment
     * more each, then are left to end on their own (they are daemons).
     *
     * @param graceMillis how long exchanges in flight may take to finish
     * @throws InterruptedException if interrupted while waiting
     */
    public synchronized void stop(long graceMillis) throws InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        if (server == null) { // never started: only the idle workers to end
            workers.shutdownNow();
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        Drained drained = drain(graceMillis);
        if (drained.cut() > 0) {
            LOG.log(Level.INFO, "closing {0} connections still open after the grace period", drained.cut());
        }
        for (EventLoop loop : loops) {
            loop.stop(stepMillis(deadline));
        }
        watchdog.close();
        workers.shutdownNow();
        if (tlsTasks != null) {
            tlsTasks.shutdownNow();
        }
        if (!workers.awaitTermination(stepMillis(deadline), TimeUnit.MILLISECONDS)) {
            LOG.log(Level.WARNING, "handler code still running on workers after the stop");
        }
    }

    /**
     * Stops gracefully, letting exchanges in flight finish for {@link #DEFAULT_STOP_GRACE_MILLIS}: the same as
     * {@code stop(DEFAULT_STOP_GRACE_MILLIS)}, for try-with-resources. If interrupted meanwhile, the stop ends
     * early and the thread's interrupt status is set again.
     */
    @Override
    public void close() {
        try {
            stop(DEFAULT_STOP_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long millisLeft(long deadline) {
        return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }

    /** What is left of the grace, but at least a moment: a thread told to end needs one, even after the grace. */
    private static long stepMillis(long deadline) {
        return Math.max(STEP_MILLIS, millisLeft(deadline));
    }

    private static ExecutorService virtualThreadPerTask() {
        try {
            return (ExecutorService)
                    Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("virtual worker threads need JDK 21 or later", e);
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }
}

package dev.plinth.http.transport;

import dev.plinth.http.core.AccessLog;
import dev.plinth.http.core.CoreServices;
import dev.plinth.http.core.HttpConnection;
import dev.plinth.http.handler.Glue;
import dev.plinth.http.transport.internal.EventLoop;
import dev.plinth.http.transport.internal.NioEndpoint;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP server on one socket: an acceptor thread, {@code selectorThreads} event loops that own the connections,
 * and a worker pool for handler code. In OSGi the transport bundle runs one from its configuration; without OSGi,
 * embed one directly:
 *
 * <pre>{@code
 * HttpServer server = new HttpServer(ServerConfig.of("127.0.0.1", 8080), glue);
 * InetSocketAddress bound = server.start();
 * ...
 * server.stop();
 * }</pre>
 */
public final class HttpServer {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final ServerConfig config;
    private final Glue glue;
    private final EventLoop[] loops;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private volatile AccessLog accessLog = AccessLog.NONE;
    private final AtomicLong openConnections = new AtomicLong();
    private ServerSocketChannel server;
    private Thread acceptor;
    private int next;

    /**
     * @param config the settings
     * @param glue picks a handler per request
     */
    public HttpServer(ServerConfig config, Glue glue) {
        this.config = config;
        this.glue = glue;
        this.loops = new EventLoop[config.selectorThreads()];
        this.workers = Executors.newFixedThreadPool(config.workerThreads(), threads("plinth-worker-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(threads("plinth-timer-"));
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
     * Binds the socket and starts the threads.
     *
     * @return the bound address
     * @throws IOException if the socket cannot be bound
     */
    public InetSocketAddress start() throws IOException {
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(config.host(), config.port()), 1024);
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new EventLoop("plinth-selector-" + i);
            loops[i].start();
        }
        acceptor = new Thread(this::accept, "plinth-acceptor-" + address().getPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return address();
    }

    /** @return the bound address */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("not bound", e);
        }
    }

    /** @return connections open now */
    public long openConnections() {
        return openConnections.get();
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
            EventLoop loop = loops[next];
            next = (next + 1) % loops.length;
            loop.execute(() -> open(channel, loop));
        }
    }

    private void open(SocketChannel channel, EventLoop loop) {
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            openConnections.incrementAndGet();
            NioEndpoint endpoint = new NioEndpoint(channel, loop, config.idleTimeoutMillis(),
                    openConnections::decrementAndGet);
            endpoint.open(new HttpConnection(config.core(), new CoreServices(glue, workers, timer, accessLog),
                    endpoint));
        } catch (IOException e) {
            openConnections.decrementAndGet();
            try {
                channel.close();
            } catch (IOException ignored) {
                // the client is gone already
            }
        }
    }

    /**
     * Stops accepting, closes every connection and stops the threads.
     *
     * @throws InterruptedException if interrupted while waiting for threads
     */
    public void stop() throws InterruptedException {
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the server socket failed", e);
        }
        acceptor.join(TimeUnit.SECONDS.toMillis(5));
        for (EventLoop loop : loops) {
            if (loop != null) {
                loop.stop(TimeUnit.SECONDS.toMillis(5));
            }
        }
        timer.shutdownNow();
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
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

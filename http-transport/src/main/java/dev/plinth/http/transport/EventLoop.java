package dev.plinth.http.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One selector thread of an {@link HttpServer}. It reads for its connections and handles their events. A
 * connection is had by one thread at a time, the one holding its endpoint's lock ({@link NioEndpoint}): this loop
 * for every event and task, or a worker that writes its handler's answer while the connection is free. Other threads
 * hand the loop work through {@link #execute}. A {@linkplain dev.plinth.http.handler.Handler#NONBLOCKING
 * non-blocking} handler runs on this thread. An event that fails is logged and ends its connection, a task that fails
 * is logged; neither ends the loop, which all its other connections share.
 */
final class EventLoop implements Executor, Runnable {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final long SWEEP_INTERVAL_MILLIS = 250;
    private static final int POOLED_SIZE = 16 * 1024;
    private static final int MAX_POOLED = 256;

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /**
     * False only while the loop is in, or about to enter, a blocking select: a task handed over while the loop is
     * busy needs no wake-up (it is seen before the next select), which spares a system call on each side.
     */
    private final AtomicBoolean awake = new AtomicBoolean(true);

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean shuttingDown;
    private long lastSweep;
    /** Shared by this loop's connections: an idle connection holds no read buffer of its own. */
    final ByteBuffer readBuffer;
    /** Buffers for input a connection left unconsumed (pipelined requests, a body not yet asked for). */
    private final ArrayDeque<ByteBuffer> pool = new ArrayDeque<>();

    /**
     * @param name the thread's name
     * @param readBufferSize bytes read from a socket at once
     */
    EventLoop(String name, int readBufferSize) {
        readBuffer = ByteBuffer.allocate(readBufferSize);
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    /** Starts the loop's thread. */
    void start() {
        thread.start();
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        wakeUp();
    }

    /** Makes a select in progress return, unless called on the loop's thread or the loop is busy anyway. */
    void wakeUp() {
        if (Thread.currentThread() != thread && awake.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** @return whether the caller is this loop's thread */
    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    Selector selector() {
        return selector;
    }

    /**
     * @param size bytes needed
     * @return an empty buffer of at least {@code size} bytes, from the pool when it fits
     */
    ByteBuffer acquire(int size) {
        if (size <= POOLED_SIZE) {
            ByteBuffer pooled = pool.poll();
            return pooled != null ? pooled.clear() : ByteBuffer.allocate(POOLED_SIZE);
        }
        return ByteBuffer.allocate(size);
    }

    /**
     * @param buffer a buffer from {@link #acquire} no longer used
     */
    void release(ByteBuffer buffer) {
        if (buffer.capacity() == POOLED_SIZE && pool.size() < MAX_POOLED) {
            pool.push(buffer);
        }
    }

    /** @return this loop's connections: the selector's keys are the registry, so a connection costs no extra node */
    private List<NioEndpoint> endpoints() {
        List<NioEndpoint> all = new ArrayList<>(selector.keys().size());
        for (SelectionKey key : selector.keys()) {
            if (key.isValid()) {
                all.add((NioEndpoint) key.attachment());
            }
        }
        return all;
    }

    @Override
    public void run() {
        try {
            while (running) {
                // the Consumer forms spare the selected-key set and its node per ready key
                awake.set(false);
                if (tasks.isEmpty()) {
                    selector.select(this::ready, SWEEP_INTERVAL_MILLIS);
                } else {
                    selector.selectNow(this::ready);
                }
                awake.set(true);
                runTasks();
                sweep();
            }
        } catch (IOException | ClosedSelectorException e) {
            LOG.log(Level.ERROR, "selector loop failed", e);
        } finally {
            for (NioEndpoint endpoint : endpoints()) {
                endpoint.close();
            }
            runTasks();
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            stopped.countDown();
        }
    }

    private void ready(SelectionKey key) {
        if (!awake.get()) {
            awake.set(true); // keys are handled inside select(Consumer): the loop is busy, tasks will be seen
        }
        NioEndpoint endpoint = (NioEndpoint) key.attachment();
        try {
            endpoint.ready(key);
        } catch (Throwable failure) { // one connection's failure must not end the loop all its others share
            LOG.log(Level.ERROR, "connection failed on " + thread.getName() + "; closing it", failure);
            endpoint.close();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (Throwable e) { // the loop outlives any one task
                LOG.log(Level.ERROR, "task failed on " + thread.getName(), e);
            }
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        if (now - lastSweep < TimeUnit.MILLISECONDS.toNanos(SWEEP_INTERVAL_MILLIS)) {
            return;
        }
        lastSweep = now;
        for (NioEndpoint endpoint : endpoints()) {
            endpoint.tick(now);
        }
    }

    /**
     * Describes this loop's connections. Called on the loop's thread.
     *
     * @return one description per open connection
     */
    List<ConnectionInfo> describeConnections() {
        long now = System.nanoTime();
        List<ConnectionInfo> described = new ArrayList<>();
        for (NioEndpoint endpoint : endpoints()) {
            ConnectionInfo info = endpoint.describe(now);
            if (info != null) {
                described.add(info);
            }
        }
        return described;
    }

    /**
     * Asks every connection of this loop to finish its exchange and close. An answer that arrives after this returns
     * is framed after its connection heard of it, so it says {@code Connection: close}.
     */
    void shutdownConnections() {
        execute(() -> {
            for (NioEndpoint endpoint : endpoints()) {
                endpoint.shutdown();
            }
        });
        shuttingDown = true; // after the task is queued: from now on answers queue behind it
    }

    /** @return whether connections must take every task through the loop, behind its shutdown */
    boolean shuttingDown() {
        return shuttingDown;
    }

    /**
     * Stops the loop, closing its connections.
     *
     * @param timeoutMillis how long to wait for the thread to end
     * @throws InterruptedException if interrupted while waiting
     */
    void stop(long timeoutMillis) throws InterruptedException {
        running = false;
        selector.wakeup();
        if (!stopped.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            LOG.log(Level.WARNING, "{0} did not stop in time", thread.getName());
        }
    }
}

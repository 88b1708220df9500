package dev.plinth.handlers.stream.channels;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One handler's live streams and their timer: a single daemon thread that, a few times per heartbeat interval,
 * gives every idle stream its heartbeat and ends the streams whose end is overdue. {@link #close()} ends every stream
 * cleanly; streams that start afterwards end at once.
 */
final class StreamHub implements AutoCloseable {

    /** How long an ending stream may take to send what waits before it completes anyway. */
    static final long FLUSH_MILLIS = 1_000;

    private final long heartbeatNanos;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<ChannelStream> live = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param heartbeat how long a stream may be idle before it gets a heartbeat, positive
     * @param threadName the timer thread's name
     */
    StreamHub(Duration heartbeat, String threadName) {
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat must be positive: " + heartbeat);
        }
        this.heartbeatNanos = heartbeat.toNanos();
        this.timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        long period = Math.max(10, Math.min(1_000, heartbeat.toMillis() / 4));
        timer.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /** @return whether the stream may start; false once the hub is closed */
    boolean register(ChannelStream stream) {
        live.add(stream);
        if (closed) {
            live.remove(stream);
            return false;
        }
        return true;
    }

    void unregister(ChannelStream stream) {
        live.remove(stream);
        if (closed && live.isEmpty()) {
            synchronized (this) {
                notifyAll(); // close() may be waiting for the last stream
            }
        }
    }

    /** @return the streams started and not yet ended */
    int liveStreams() {
        return live.size();
    }

    /** @return whether {@link #close()} was called */
    boolean closed() {
        return closed;
    }

    private void tick() {
        long now = System.nanoTime();
        for (ChannelStream stream : live) {
            try {
                stream.tick(now, heartbeatNanos);
            } catch (RuntimeException e) {
                System.getLogger(StreamHub.class.getName())
                        .log(System.Logger.Level.WARNING, "a stream's heartbeat failed", e);
            }
        }
    }

    /**
     * Waits, at most a little longer than {@value #FLUSH_MILLIS} ms, until every stream has ended, so that the mount's
     * service leaves only after its streams have said goodbye: the server's drain would end an open-ended stream at
     * once, dropping what was still waiting to be sent.
     */
    private void awaitEnds() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS + 100);
        boolean interrupted = false;
        while (!live.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends every live stream cleanly (each completes once what waits for it is sent, within
     * {@value #FLUSH_MILLIS} ms) and waits for them to end, then stops the timer thread. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ChannelStream> streams = new ArrayList<>(live);
        streams.forEach(ChannelStream::stop);
        awaitEnds();
        // one last tick ends those that had parts waiting and a client that no longer reads; a delayed one-shot
        // task still runs after shutdown(), periodic ones do not
        timer.schedule(this::tick, FLUSH_MILLIS + 50, TimeUnit.MILLISECONDS);
        timer.shutdown();
    }
}

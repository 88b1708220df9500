package dev.plinth.http.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The exchanges one handler service is serving now, so that its glue can let them finish when the service leaves.
 * The server enters an exchange when it gives the handler the request and takes it out when the response is queued
 * whole or the connection ends; a glue {@linkplain #drain drains} the occupancy of a service that leaves.
 *
 * <p>Entering and leaving cost a concurrent set's add and remove: no lock, nothing shared between two services.
 */
public final class Occupancy {

    /** Tracks nothing and never drains: for a glue that does not drain its handlers. */
    public static final Occupancy UNTRACKED = new Occupancy(false);

    /** After the cut, how long the drain waits for the connections to act on it: each has only a task to run. */
    private static final long CUT_SETTLE_MILLIS = 1_000;

    private final boolean tracked;
    private final Set<Exchange> exchanges = ConcurrentHashMap.newKeySet();
    /** Set by the drain: from then on no exchange enters, and each one that leaves wakes the drain. */
    private volatile boolean closed;
    /** Set, under the lock, when the drain takes the exchanges it cuts: one entering later is refused. */
    private boolean cutting;

    /** An empty occupancy for one handler service. */
    public Occupancy() {
        this(true);
    }

    private Occupancy(boolean tracked) {
        this.tracked = tracked;
    }

    /** @return the exchanges in progress */
    public int inFlight() {
        return exchanges.size();
    }

    /**
     * Lets the exchanges in progress finish, then ends those left; blocks the caller meanwhile. From the call on, no
     * exchange enters: a request the glue routed here just before the service left is routed again. The wait ends
     * when no exchange with a finite body is left, or at the timeout: then every exchange left is cut. One with an
     * open-ended body ({@code Body.openEnded}, {@code Body.endless}) ends cleanly, as it never ends by itself; one not answered yet is
     * answered 503; one whose finite body is partly sent closes its connection, as HTTP requires of a message that
     * cannot be completed.
     *
     * @param timeoutMillis the longest wait for exchanges with finite bodies
     * @return what the drain did
     * @throws InterruptedException if the caller is interrupted while waiting; nothing is cut then
     */
    public Drained drain(long timeoutMillis) throws InterruptedException {
        long start = System.nanoTime();
        closed = true;
        int before = exchanges.size();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (this) {
            for (long left; finiteLeft() && (left = deadline - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        Exchange[] remaining;
        synchronized (this) {
            cutting = true;
            remaining = exchanges.toArray(new Exchange[0]);
        }
        for (Exchange exchange : remaining) {
            exchange.cut();
        }
        int cut = remaining.length;
        long settle = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CUT_SETTLE_MILLIS);
        synchronized (this) {
            for (long left; !exchanges.isEmpty() && (left = settle - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return new Drained(before - cut, cut, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private boolean finiteLeft() {
        for (Exchange exchange : exchanges) {
            if (!exchange.endless) {
                return true;
            }
        }
        return false;
    }

    /**
     * Enters an exchange that is about to be given to this handler.
     *
     * @return false if the service is leaving: route the request again
     */
    boolean enter(Exchange exchange) {
        if (!tracked) {
            return true;
        }
        if (closed) {
            return false;
        }
        exchanges.add(exchange);
        if (closed) { // the drain began meanwhile: it cuts this one unless it is past that
            synchronized (this) {
                if (cutting) {
                    exchanges.remove(exchange);
                    return false;
                }
            }
        }
        return true;
    }

    /** The exchange is over for its handler: its response is queued whole, or its connection ended. */
    void exit(Exchange exchange) {
        if (exchanges.remove(exchange) && closed) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** The exchange's body turned out endless: the drain does not wait for it. */
    void becameEndless() {
        if (closed) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /**
     * What a drain did.
     *
     * @param finished exchanges that finished by themselves during the drain
     * @param cut exchanges ended by the drain: endless bodies ended, unanswered requests answered 503, partly sent
     *        finite bodies cut off with their connections
     * @param millis how long the drain took
     */
    public record Drained(int finished, int cut, long millis) {}
}

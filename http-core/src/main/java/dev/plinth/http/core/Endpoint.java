package dev.plinth.http.core;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLSession;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The transport's side of one connection, as the {@link HttpConnection} sees it. Every method except
 * {@link #execute} and {@link #runOrExecute} is called only by a thread that has the connection: the endpoint's own
 * thread (the thread that calls the connection's methods), or a thread running a task that {@link #runOrExecute}
 * let in. Those two may be called from any thread.
 */
@ConsumerType
public interface Endpoint extends Executor {

    /**
     * Queues bytes to send, in order after everything queued before. The endpoint owns the buffers from now on.
     *
     * @param data the bytes between each buffer's position and limit
     */
    void write(ByteBuffer... data);

    /**
     * Queues a file region to send, in order after everything queued before, without copying it through the heap
     * where the operating system allows. The endpoint closes the channel once the region is sent or the connection
     * closes.
     *
     * @param file an open channel
     * @param position where the region starts
     * @param count how many bytes to send
     */
    void writeFile(FileChannel file, long position, long count);

    /**
     * @return bytes queued but not yet handed to the operating system, file regions included
     */
    long pendingBytes();

    /**
     * Pauses or resumes input. Resuming delivers, through {@link HttpConnection#onInput}, any input the connection
     * left unconsumed before, then reads more from the wire; it never calls back before this method returns.
     *
     * @param reading whether the connection wants input
     */
    void setReading(boolean reading);

    /** Closes the connection once everything queued has been sent. */
    void closeAfterWriting();

    /** Closes the connection now, dropping whatever is queued. */
    void close();

    /**
     * Runs a task on the endpoint's thread, after the current task.
     *
     * @param task what to run
     */
    @Override
    void execute(Runnable task);

    /**
     * Runs a task on the calling thread now if the connection is free (no other thread has it and no task is queued
     * for it), otherwise exactly as {@link #execute}: the task runs after those queued before it, never nested in
     * another. A worker that has a complete answer can then write it itself, without waking the endpoint's thread.
     * The default always queues.
     *
     * @param task what to run; it must not block
     */
    default void runOrExecute(Runnable task) {
        execute(task);
    }

    /**
     * Whether tasks given to {@link #execute} for this connection wait to run. A thread that has the connection
     * and is about to act on it directly checks this so as not to overtake them. The default says none.
     *
     * @return whether any task is queued and not run yet
     * @since 1.2
     */
    default boolean tasksQueued() {
        return false;
    }

    /** @return the peer's address */
    InetSocketAddress remoteAddress();

    /** @return the local address */
    InetSocketAddress localAddress();

    /**
     * @return the connection's TLS session once its handshake is over; null for a plain connection. The default
     *         says plain.
     * @since 3.2
     */
    default SSLSession tlsSession() {
        return null;
    }
}

package dev.plinth.channels.internal;

import dev.plinth.channels.Channel;
import dev.plinth.channels.ChannelSettings;
import dev.plinth.channels.Channels;
import dev.plinth.channels.CloseReason;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@link Channels} service. Channels are created on first use with the settings of their factory configuration
 * ({@link ChannelConfiguration}) or {@link ChannelSettings#DEFAULTS}; a configuration that comes, changes or goes
 * applies to its channel at once. Deliveries run on the service's own pool of daemon threads
 * ({@code plinth-channels-N}), so that a subscriber's callback never runs on a publisher's thread.
 *
 * <p>The pool is bounded: {@link #threads()} threads at most (twice the processors, from 2 to
 * {@value #MAX_THREADS}), created as needed and ended after {@value #IDLE_SECONDS} s idle, so that 10 000
 * subscribers do not mean 10 000 threads. Its task queue is unbounded but cannot grow without bound: each subscription
 * has at most one delivery task queued or running at a time, and a task gives its thread back after
 * {@value Outlet#BATCH} deliveries, so subscribers share the threads fairly. The price is the one the
 * {@link dev.plinth.channels.Subscriber} contract states: a callback that blocks holds one of those few threads.
 *
 * <p>Deactivation closes every channel with {@link CloseReason#SERVER_STOPPING} and waits up to
 * {@value #STOP_MILLIS} ms for those last deliveries.
 */
@Component(service = Channels.class)
public final class ChannelsService implements Channels {

    /** Seconds a delivery thread stays idle before it ends. */
    static final int IDLE_SECONDS = 30;

    /** The most delivery threads, whatever the number of processors. */
    static final int MAX_THREADS = 16;

    /** Milliseconds deactivation waits for the subscribers' last deliveries. */
    static final long STOP_MILLIS = 2_000;

    private final ConcurrentHashMap<String, ChannelCore> channels = new ConcurrentHashMap<>();
    private final List<ChannelConfiguration> configurations = new CopyOnWriteArrayList<>();
    private final Executor executor;
    private final ExecutorService owned;
    private volatile boolean stopped;

    /** Starts with a delivery pool of its own. */
    @Activate
    public ChannelsService() {
        this(pool());
    }

    /** @param executor runs deliveries; shut down on deactivation if it is an {@link ExecutorService} */
    ChannelsService(Executor executor) {
        this.executor = executor;
        this.owned = executor instanceof ExecutorService ? (ExecutorService) executor : null;
    }

    @Override
    public Channel channel(String name) {
        if (!Channels.isValidName(name)) {
            throw new IllegalArgumentException("not a channel name (1 to 200 of A-Z a-z 0-9 . _ / -): " + name);
        }
        if (stopped) {
            throw new IllegalStateException("the channel service has stopped");
        }
        ChannelCore channel = channels.computeIfAbsent(
                name, n -> new ChannelCore(n, settingsFor(n), executor, c -> channels.remove(c.name(), c)));
        if (stopped) {
            channel.close(CloseReason.SERVER_STOPPING); // created while deactivate went past it
        }
        return channel;
    }

    @Override
    public Optional<Channel> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(channels.get(name));
    }

    @Override
    public Set<String> names() {
        return Set.copyOf(channels.keySet());
    }

    /** @param configuration a channel's configuration, applied at once */
    @Reference(
            service = ChannelConfiguration.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addConfiguration(ChannelConfiguration configuration) {
        configurations.add(configuration);
        configuration.name().ifPresent(this::apply);
    }

    /** @param configuration a channel's configuration gone: the channel returns to another one or the defaults */
    void removeConfiguration(ChannelConfiguration configuration) {
        configurations.remove(configuration);
        configuration.name().ifPresent(this::apply);
    }

    /** Closes every channel with {@link CloseReason#SERVER_STOPPING}, then stops the delivery threads. */
    @Deactivate
    void deactivate() {
        stopped = true;
        for (ChannelCore channel : channels.values()) {
            channel.close(CloseReason.SERVER_STOPPING);
        }
        if (owned != null) {
            owned.shutdown();
            try {
                owned.awaitTermination(STOP_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void apply(String name) {
        ChannelCore channel = channels.get(name);
        if (channel != null) {
            channel.settings(settingsFor(name));
        }
    }

    /**
     * @param name a channel's name
     * @return the settings of its latest accepted configuration, or the defaults
     */
    ChannelSettings settingsFor(String name) {
        ChannelSettings found = ChannelSettings.DEFAULTS;
        for (ChannelConfiguration configuration : configurations) {
            if (configuration.name().filter(name::equals).isPresent()) {
                found = configuration.settings();
            }
        }
        return found;
    }

    /** @return the delivery threads at most: twice the processors, from 2 to {@value #MAX_THREADS} */
    static int threads() {
        return Math.max(2, Math.min(MAX_THREADS, 2 * Runtime.getRuntime().availableProcessors()));
    }

    private static ExecutorService pool() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                threads(), threads(), IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread thread = new Thread(r, "plinth-channels-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true); // an idle service holds no thread
        return pool;
    }
}

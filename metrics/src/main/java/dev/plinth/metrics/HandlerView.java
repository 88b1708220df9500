package dev.plinth.metrics;

import dev.plinth.http.core.Glue.Route;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** A {@link HandlerMXBean} reading the counts of its prefix and the glue's routes at each call. */
final class HandlerView implements HandlerMXBean {

    private final Mount mount;
    private final IntSupplier services;
    private final ExchangeCounters counters;
    private final Supplier<List<Route>> routes;

    /**
     * @param mount the mount shown
     * @param services how many handler services are registered there now
     * @param counters the access log counts, of which those of its prefix are shown
     * @param routes the glue's routes now, for the exchanges in flight
     */
    HandlerView(Mount mount, IntSupplier services, ExchangeCounters counters, Supplier<List<Route>> routes) {
        this.mount = mount;
        this.services = services;
        this.counters = counters;
        this.routes = routes;
    }

    @Override
    public String getPrefix() {
        return mount.prefix();
    }

    @Override
    public String getHost() {
        return mount.host();
    }

    @Override
    public int getServices() {
        return services.getAsInt();
    }

    @Override
    public long getRequests() {
        return counters.prefix(mount.prefix()).requests();
    }

    @Override
    public long getErrors() {
        return counters.prefix(mount.prefix()).errors();
    }

    @Override
    public int getInFlight() {
        int inFlight = 0;
        for (Route route : routes.get()) {
            if (route.prefix().equals(mount.prefix()) && route.host().equals(mount.host())) {
                inFlight += route.inFlight();
            }
        }
        return inFlight;
    }
}

package dev.plinth.operations;

import dev.plinth.http.transport.HttpServer;
import dev.plinth.http.transport.Listener;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** Stand-ins for what the operations components get from the framework. */
final class Fakes {

    private Fakes() {}

    /**
     * A configuration annotation as DS would make it: the given values, the annotation's defaults for the rest.
     */
    static <A> A config(Class<A> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("annotationType")) {
                return type;
            }
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? type.getSimpleName() + values : null;
            }
            return values.getOrDefault(method.getName(), method.getDefaultValue());
        }));
    }

    /**
     * A bundle context whose framework is in the given state and whose registry holds no service: no listener is
     * bound, no handler registered.
     */
    static BundleContext context(int frameworkState) {
        Bundle framework = (Bundle) Proxy.newProxyInstance(
                Fakes.class.getClassLoader(),
                new Class<?>[] {Bundle.class},
                (proxy, method, args) -> method.getName().equals("getState") ? frameworkState : null);
        return (BundleContext) Proxy.newProxyInstance(
                Fakes.class.getClassLoader(), new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getBundle":
                            return framework;
                        case "getServiceReferences":
                            return new ArrayList<>();
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    /** A listener that records when it was drained and what readiness said then. */
    static final class DrainedListener implements Listener {
        final int port;
        final Readiness readiness;
        final List<Boolean> readyWhenDrained = new ArrayList<>();

        DrainedListener(int port, Readiness readiness) {
            this.port = port;
            this.readiness = readiness;
        }

        @Override
        public InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", port);
        }

        @Override
        public dev.plinth.http.transport.ServerStats stats() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<dev.plinth.http.transport.ConnectionInfo> connections() {
            return List.of();
        }

        @Override
        public synchronized HttpServer.Drained drain(long graceMillis) {
            readyWhenDrained.add(readiness.report().ready());
            return new HttpServer.Drained(3, 1, 0, graceMillis);
        }
    }
}

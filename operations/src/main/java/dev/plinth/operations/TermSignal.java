package dev.plinth.operations;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Optional;

/**
 * A handler of SIGTERM in place of the JVM's own (which would start the shutdown at once, and exit with status 143):
 * through {@code sun.misc.Signal} of the {@code jdk.unsupported} module, which every JDK since 9 keeps for this use.
 * Reached by reflection through the system class loader, so that the bundle needs no import of {@code sun.misc};
 * where it is missing, SIGTERM keeps the JVM's default.
 */
final class TermSignal implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TermSignal.class.getName());

    private final Class<?> signalClass;
    private final Class<?> handlerClass;
    private final Object signal;
    private final Object previous;

    private TermSignal(Class<?> signalClass, Class<?> handlerClass, Object signal, Object previous) {
        this.signalClass = signalClass;
        this.handlerClass = handlerClass;
        this.signal = signal;
        this.previous = previous;
    }

    /**
     * Handles SIGTERM from now on.
     *
     * @param onSignal run on the JVM's signal thread at each SIGTERM; should hand its work to a thread of its own
     * @return the trap, to be closed to give SIGTERM back; empty if this JDK cannot trap signals
     */
    static Optional<TermSignal> trap(Runnable onSignal) {
        try {
            ClassLoader system = ClassLoader.getSystemClassLoader();
            Class<?> signalClass = Class.forName("sun.misc.Signal", true, system);
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler", true, system);
            Object signal = signalClass.getConstructor(String.class).newInstance("TERM");
            InvocationHandler calls = (proxy, method, arguments) -> {
                switch (method.getName()) {
                    case "handle":
                        onSignal.run();
                        return null;
                    case "equals":
                        return proxy == arguments[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    default:
                        return "Plinth's graceful stop on SIGTERM";
                }
            };
            Object handler = Proxy.newProxyInstance(system, new Class<?>[] {handlerClass}, calls);
            Object previous = install(signalClass, handlerClass, signal, handler);
            return Optional.of(new TermSignal(signalClass, handlerClass, signal, previous));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "SIGTERM cannot be trapped on this JDK; it stops the JVM at once", e);
            return Optional.empty();
        }
    }

    private static Object install(Class<?> signalClass, Class<?> handlerClass, Object signal, Object handler)
            throws ReflectiveOperationException {
        return signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
    }

    /** Gives SIGTERM back to the handler it had before. */
    @Override
    public void close() {
        try {
            install(signalClass, handlerClass, signal, previous);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "SIGTERM's previous handler could not be put back", e);
        }
    }
}

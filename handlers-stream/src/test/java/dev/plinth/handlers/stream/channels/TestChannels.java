package dev.plinth.handlers.stream.channels;

import dev.plinth.channels.ChannelSettings;
import dev.plinth.channels.Channels;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

/**
 * The channel service's implementation for these tests, without OSGi: what Declarative Services would do to it
 * (start it, configure a channel, deactivate it). Its package is private to its bundle, and the bundles' module
 * descriptors make the tests compile against exported packages only, so it is reached by reflection; the tests run
 * on the class path (see the pom), where that is allowed.
 */
final class TestChannels {

    private static final String IMPLEMENTATION = "dev.plinth.channels.internal.";

    private TestChannels() {}

    /** @return a started channel service with its own delivery pool */
    static Channels start() {
        try {
            return (Channels) Class.forName(IMPLEMENTATION + "ChannelsService")
                    .getConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param service the service
     * @param name a channel's name
     * @param settings its settings, applied at once
     */
    static void configure(Channels service, String name, ChannelSettings settings) {
        try {
            Class<?> type = Class.forName(IMPLEMENTATION + "ChannelConfiguration");
            Constructor<?> constructor = type.getDeclaredConstructor(String.class, ChannelSettings.class);
            constructor.setAccessible(true);
            Method add = service.getClass().getDeclaredMethod("addConfiguration", type);
            add.setAccessible(true);
            add.invoke(service, constructor.newInstance(name, settings));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Deactivates the service: every channel closes with {@code SERVER_STOPPING}.
     *
     * @param service the service
     */
    static void stop(Channels service) {
        try {
            Method deactivate = service.getClass().getDeclaredMethod("deactivate");
            deactivate.setAccessible(true);
            deactivate.invoke(service);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}

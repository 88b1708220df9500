package dev.plinth.handlers.stream.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.channels.Channels;
import dev.plinth.config.RefusedConfiguration;
import dev.plinth.http.handler.Handler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The mounts' configurations, registrations, and the order of their end, with a recording bundle context. */
class MountsTest {

    private final Channels channels = TestChannels.start();
    private final List<String> calls = new ArrayList<>();
    private Dictionary<?, ?> registered;
    private Object service;

    @AfterEach
    void stop() {
        TestChannels.stop(channels);
    }

    /** A bundle context whose registrations record themselves and, when unregistered, the handler's state. */
    private BundleContext context() {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("unregister")) {
                        boolean closed = service instanceof SseHandler sse
                                ? sse.hub().closed()
                                : ((ChannelStreamHandler) service).hub().closed();
                        calls.add("unregister, streams " + (closed ? "ended" : "still open"));
                    }
                    return null;
                });
        return (BundleContext) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        calls.add("register " + ((Class<?>) args[0]).getSimpleName());
                        service = args[1];
                        registered = (Dictionary<?, ?>) args[2];
                        return registration;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Map<String, Object> config(Object... keysAndValues) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.pid", "dev.plinth.handlers.stream.sse~news");
        properties.put("service.factoryPid", "dev.plinth.handlers.stream.sse");
        properties.put("component.id", 7L);
        properties.put(".secret", "hidden");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    @Test
    void anSseMountRegistersItsHandlerAndEndsItsStreamsBeforeItsServiceGoes() {
        SseMount mount = new SseMount(context(), config(Handler.PREFIX, "/events/news", "channel", "news"), channels);
        assertEquals(List.of("register Handler"), calls);
        assertEquals("/events/news", registered.get(Handler.PREFIX));
        assertEquals("dev.plinth.handlers.stream.sse~news", registered.get("service.pid"));
        assertEquals(null, registered.get(".secret"));
        assertEquals(null, registered.get("component.id"));
        mount.deactivate();
        assertEquals(List.of("register Handler", "unregister, streams ended"), calls);
    }

    @Test
    void aChannelMountDoesTheSameAndItsServiceHasTheDefaultPrefixWhenTheConfigurationHasNone() {
        ChannelMount mount = new ChannelMount(context(), config("channel", "news", "publish", "true"), channels);
        assertEquals("/channels", registered.get(Handler.PREFIX));
        mount.deactivate();
        assertEquals(List.of("register Handler", "unregister, streams ended"), calls);
    }

    @Test
    void aRefusedConfigurationMountsNothing() {
        for (Map<String, Object> refused : List.of(
                config("channel", "not a name"),
                config(),
                config("channel", "news", "heartbeatMillis", "0"),
                config("channel", "news", "retryMillis", "-1"),
                config("channel", "news", "unknown", "x"),
                config("channel", "news", Handler.PREFIX, "events"))) {
            calls.clear();
            new SseMount(context(), refused, channels).deactivate();
            assertTrue(calls.isEmpty(), refused.toString());
        }
        new ChannelMount(context(), config("channel", "news", "maxPublishBytes", "-1"), channels).deactivate();
        assertTrue(calls.isEmpty());
    }

    @Test
    void settingsHaveTheirDocumentedDefaults() {
        SseHandler.Settings sse = SseMount.settings(config("channel", "news"));
        assertEquals(new SseHandler.Settings("news", Duration.ofSeconds(15), 3_000, true), sse);
        ChannelStreamHandler.Settings raw = ChannelMount.settings(config("channel", "news"));
        assertEquals(new ChannelStreamHandler.Settings("news", Duration.ofSeconds(15), true, false, 65_536), raw);
        assertFalse(
                SseMount.settings(config("channel", "a/b", "resume", "false")).resume());
        assertThrows(RefusedConfiguration.class, () -> SseMount.settings(config("channel", "a b")));
    }
}

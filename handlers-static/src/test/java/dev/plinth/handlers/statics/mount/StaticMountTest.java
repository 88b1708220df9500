package dev.plinth.handlers.statics.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Handler;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The mount component without a framework: what it registers, and what it keeps when a configuration is refused. */
class StaticMountTest {

    private static final String PID = "dev.plinth.handlers.static~docs";

    @TempDir
    Path temp;

    /** What happened to the registry, in order: "register /docs", "unregister /docs". */
    private final List<String> events = new ArrayList<>();

    private final List<Dictionary<String, ?>> registered = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private final BundleContext context = (BundleContext) Proxy.newProxyInstance(
            BundleContext.class.getClassLoader(), new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                if (!method.getName().equals("registerService")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                Dictionary<String, ?> properties = (Dictionary<String, ?>) args[2];
                String name = properties.get(Handler.PREFIX) + " " + properties.get("docroot");
                events.add("register " + name);
                registered.add(properties);
                return Proxy.newProxyInstance(
                        ServiceRegistration.class.getClassLoader(),
                        new Class<?>[] {ServiceRegistration.class},
                        (registration, call, none) -> {
                            events.add(call.getName() + " " + name);
                            return null;
                        });
            });

    private Map<String, Object> config(Path docroot, String... more) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.pid", PID);
        properties.put(Handler.PREFIX, "/docs");
        properties.put("docroot", docroot.toString());
        properties.put(".secret", "never a service property");
        for (int i = 0; i < more.length; i += 2) {
            properties.put(more[i], more[i + 1]);
        }
        return properties;
    }

    @Test
    void registersTheHandlerWithTheConfigurationAsItsServicePropertiesButThePrivateOnes() throws IOException {
        Path docroot = Files.createDirectories(temp.resolve("docs"));
        new StaticMount(config(docroot), context);
        assertEquals(List.of("register /docs " + docroot), events);
        Dictionary<String, ?> properties = registered.get(0);
        assertEquals(PID, properties.get("service.pid"));
        assertEquals(true, properties.get(Handler.NONBLOCKING));
        assertEquals(null, properties.get(".secret"));
    }

    @Test
    void aRefusedChangeKeepsTheHandlerAndAGoodOneReplacesItWithoutAGap() throws IOException {
        Path docroot = Files.createDirectories(temp.resolve("docs"));
        Path other = Files.createDirectories(temp.resolve("other"));
        StaticMount mount = new StaticMount(config(docroot), context);
        mount.modified(config(temp.resolve("absent")));
        mount.modified(config(docroot, "listing", "yes"));
        mount.modified(config(docroot, "lisitng", "true"));
        mount.modified(config(docroot, "hidden", "sometimes"));
        assertEquals(List.of("register /docs " + docroot), events, "nothing changed");
        mount.modified(config(other));
        assertEquals(
                List.of("register /docs " + docroot, "register /docs " + other, "unregister /docs " + docroot),
                events,
                "the new handler is there before the old one leaves");
        mount.deactivate();
        assertEquals("unregister /docs " + other, events.get(3));
    }

    @Test
    void aConfigurationRefusedAtFirstMountsNothingUntilAGoodOneComes() throws IOException {
        StaticMount mount = new StaticMount(config(temp.resolve("absent")), context);
        assertTrue(events.isEmpty());
        Path docroot = Files.createDirectories(temp.resolve("docs"));
        mount.modified(config(docroot));
        assertEquals(List.of("register /docs " + docroot), events);
    }
}

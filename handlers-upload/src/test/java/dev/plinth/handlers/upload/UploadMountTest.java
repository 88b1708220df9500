package dev.plinth.handlers.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.TestRequest;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The mount component without a framework: what it registers, what it keeps when a configuration is refused, and
 * that a replaced or deactivated handler takes no new uploads.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class UploadMountTest {

    private static final String PID = "dev.plinth.handlers.upload~inbox";

    @TempDir
    Path temp;

    /** What happened to the registry, in order: "register /in", "unregister /in". */
    private final List<String> events = new ArrayList<>();

    private final List<Dictionary<String, ?>> properties = new ArrayList<>();
    private final List<Handler> handlers = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private final BundleContext context = (BundleContext) Proxy.newProxyInstance(
            BundleContext.class.getClassLoader(), new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                if (!method.getName().equals("registerService")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                Dictionary<String, ?> registered = (Dictionary<String, ?>) args[2];
                String name = registered.get(Handler.PREFIX) + " " + registered.get("directory");
                events.add("register " + name);
                properties.add(registered);
                handlers.add((Handler) args[1]);
                return Proxy.newProxyInstance(
                        ServiceRegistration.class.getClassLoader(),
                        new Class<?>[] {ServiceRegistration.class},
                        (registration, call, none) -> {
                            events.add(call.getName() + " " + name);
                            return null;
                        });
            });

    private Map<String, Object> config(Path directory, String... more) {
        Map<String, Object> config = new HashMap<>();
        config.put("service.pid", PID);
        config.put(Handler.PREFIX, "/in");
        config.put("directory", directory.toString());
        config.put("fsync", "false");
        config.put(".secret", "never a service property");
        for (int i = 0; i < more.length; i += 2) {
            config.put(more[i], more[i + 1]);
        }
        return config;
    }

    private static int put(Handler handler, String name) throws Exception {
        Response response = handler.handle(TestRequest.of("PUT", "/in/" + name).prefix("/in"))
                .toCompletableFuture()
                .get(Recorder.WAIT_MILLIS, TimeUnit.MILLISECONDS);
        return response.status();
    }

    @Test
    void registersANonBlockingHandlerWithTheConfigurationAsItsServicePropertiesButThePrivateOnes() throws Exception {
        Path directory = temp.resolve("in");
        UploadMount mount = new UploadMount(config(directory), context);
        assertEquals(List.of("register /in " + directory), events);
        Dictionary<String, ?> registered = properties.get(0);
        assertEquals(PID, registered.get("service.pid"));
        assertEquals(true, registered.get(Handler.NONBLOCKING));
        assertEquals(null, registered.get(".secret"));
        assertEquals(201, put(handlers.get(0), "empty.txt"));
        assertTrue(Files.isRegularFile(directory.resolve("empty.txt")));
        mount.deactivate();
        assertEquals("unregister /in " + directory, events.get(1));
        assertEquals(503, put(handlers.get(0), "late.txt"), "a stopped handler takes no new upload");
    }

    @Test
    void aRefusedChangeKeepsTheHandlerAndAGoodOneReplacesItWithoutAGap() throws Exception {
        Path directory = temp.resolve("in");
        Path other = temp.resolve("other");
        Path file = Files.writeString(temp.resolve("file"), "x");
        UploadMount mount = new UploadMount(config(directory), context);
        mount.modified(config(file));
        mount.modified(config(directory, "maxBytes", "lots"));
        mount.modified(config(directory, "maxbytes", "1"));
        mount.modified(config(directory, "locationPrefix", "files"));
        mount.modified(config(directory, "ioThreads", "0"));
        assertEquals(List.of("register /in " + directory), events, "nothing changed");
        mount.modified(config(other));
        assertEquals(
                List.of("register /in " + directory, "register /in " + other, "unregister /in " + directory),
                events,
                "the new handler is there before the old one leaves");
        assertEquals(503, put(handlers.get(0), "late.txt"), "the replaced handler takes no new upload");
        assertEquals(201, put(handlers.get(1), "new.txt"));
        mount.deactivate();
        assertEquals("unregister /in " + other, events.get(3));
    }

    @Test
    void aConfigurationRefusedAtFirstMountsNothingUntilAGoodOneComes() throws Exception {
        Path file = Files.writeString(temp.resolve("file"), "x");
        UploadMount mount = new UploadMount(config(file), context);
        assertTrue(events.isEmpty());
        mount.modified(config(temp.resolve("in")));
        assertEquals(List.of("register /in " + temp.resolve("in")), events);
        mount.deactivate();
    }
}

package ${package};

import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Answers {@code GET ${prefix}} with {@code Hello from ${artifactId}}, and {@code GET ${prefix}?name=Ada} with
 * {@code Hello, Ada}. A Declarative Services component: its configuration attributes are also its service
 * properties, so {@code plinth_handler_prefix} becomes {@code plinth.handler.prefix}, the paths it serves.
 */
@Component(configurationPid = HelloHandler.PID, service = Handler.class)
@Designate(ocd = HelloHandler.Config.class)
public final class HelloHandler implements Handler.Synchronous {

    /** The configuration PID: a file {@code etc/${package}.hello.cfg} of a running Plinth configures it. */
    public static final String PID = "${package}.hello";

    /** The handler's configuration. */
    @ObjectClassDefinition(id = PID, name = "${artifactId}", description = "Greets under a path prefix.")
    public @interface Config {
        /** @return the path prefix served; service property {@code plinth.handler.prefix} */
        @AttributeDefinition(name = "Path prefix", description = "The paths this handler serves.")
        String plinth_handler_prefix() default "${prefix}";

        /** @return the word put before a name */
        @AttributeDefinition(name = "Greeting", description = "Answer to ?name=X is '<greeting>, X'.")
        String greeting() default "Hello";
    }

    private final String greeting;

    /**
     * Called by Declarative Services when the bundle starts or its configuration changes.
     *
     * @param config the configuration, defaults filled in
     */
    @Activate
    public HelloHandler(Config config) {
        this.greeting = config.greeting();
    }

    @Override
    public Response respond(Request request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return Response.text(405, "GET or HEAD\n").header("Allow", "GET, HEAD");
        }
        String name = request.queryParameter("name").orElse("").strip();
        String text = name.isEmpty() ? "Hello from ${artifactId}\n" : greeting + ", " + name + "\n";
        return Response.text(200, text);
    }
}

package dev.plinth.example.hello;

import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Answers {@code GET /hello} with {@code Hello from a Plinth handler bundle}, {@code GET /hello?name=Ada} with
 * {@code Hello, Ada}. Its configuration attributes are also its service properties: {@code plinth_handler_prefix}
 * becomes {@code plinth.handler.prefix}, the paths it serves ({@code /hello} unless configured otherwise).
 */
@Component(configurationPid = HelloHandler.PID, service = Handler.class)
@Designate(ocd = HelloHandler.Config.class)
public final class HelloHandler implements Handler.Synchronous {

    /** The configuration PID. */
    public static final String PID = "dev.plinth.example.hello";

    /** The handler's configuration. */
    @ObjectClassDefinition(id = PID, name = "Plinth hello example", description = "Greets under a path prefix.")
    public @interface Config {
        /** @return the path prefix served; service property {@code plinth.handler.prefix} */
        @AttributeDefinition(name = "Path prefix", description = "The paths this handler serves, such as /hello.")
        String plinth_handler_prefix() default "/hello";

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
        String name = request.queryParameter("name").orElse("").strip();
        String text = name.isEmpty() ? "Hello from a Plinth handler bundle\n" : greeting + ", " + name + "\n";
        return Response.text(200, text).header("X-Content-Type-Options", "nosniff");
    }
}

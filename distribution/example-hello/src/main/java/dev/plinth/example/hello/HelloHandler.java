package dev.plinth.example.hello;

import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Answers {@code GET /hello} with {@code Hello from a Plinth handler bundle} and {@code GET /hello?name=Ada} with
 * {@code Hello, Ada}.
 *
 * <p>Its configuration (PID {@code dev.plinth.example.hello}, optional) is described by {@link Config}. In
 * Declarative Services a component's configuration properties are also its service properties, so the attribute
 * {@code plinth_handler_prefix} becomes the service property {@code plinth.handler.prefix} ({@link Handler#PREFIX})
 * that tells the server which paths this handler serves. The build writes each attribute's default into the
 * component description, so without any configuration the handler serves {@code /hello}.
 */
@Component(configurationPid = HelloHandler.PID)
@Designate(ocd = HelloHandler.Config.class)
public final class HelloHandler implements Handler {

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
    public CompletionStage<Response> handle(Request request) {
        String text = request.queryParameter("name")
                .filter(name -> !name.isBlank())
                .map(name -> greeting + ", " + name + "\n")
                .orElse("Hello from a Plinth handler bundle\n");
        return CompletableFuture.completedStage(Response.text(200, text).header("X-Content-Type-Options", "nosniff"));
    }
}

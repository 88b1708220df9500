package dev.plinth.handlers.stream;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Sends a {@code POST} or {@code PUT} request body back as it arrives: 200 with the request's {@code Content-Type}
 * (default {@code application/octet-stream}) and a body that is the request body's own publisher, of the request's
 * length when known. Nothing is buffered here: the server reads the upload only as fast as the client reads the
 * answer. Other methods answer 405.
 *
 * <p>Configuration PID {@value #PID}, optional; attributes in {@link Config}.
 */
@Component(configurationPid = EchoHandler.PID, service = Handler.class)
@Designate(ocd = EchoHandler.Config.class)
public final class EchoHandler implements Handler.Synchronous {

    /** The configuration PID. */
    public static final String PID = "dev.plinth.handlers.stream.echo";

    /** The echo handler's configuration. */
    @ObjectClassDefinition(
            id = PID,
            name = "Plinth echo stream",
            description = "Sends request bodies back as they arrive.")
    public @interface Config {
        /** @return the path prefix served, also the service property {@code plinth.handler.prefix} */
        @AttributeDefinition(name = "Path prefix", description = "Paths served.")
        String plinth_handler_prefix() default "/stream/echo";
    }

    static final String ALLOW = "POST, PUT";

    /**
     * Called by Declarative Services.
     *
     * @param config the configuration; only its service properties matter
     */
    @Activate
    public EchoHandler(Config config) {
        // stateless: the configuration only places the service
    }

    @Override
    public Response respond(Request request) {
        if (!request.method().equals("POST") && !request.method().equals("PUT")) {
            return Response.text(405, "Method Not Allowed\n").header("Allow", ALLOW);
        }
        long length = request.contentLength();
        Body body = length >= 0 ? Body.ofParts(request.body(), length) : Body.ofParts(request.body());
        return Response.of(200)
                .header("Content-Type", request.headers().first("Content-Type").orElse("application/octet-stream"))
                .header("X-Content-Type-Options", "nosniff")
                .body(body);
    }
}

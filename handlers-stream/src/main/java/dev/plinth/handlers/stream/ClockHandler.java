package dev.plinth.handlers.stream;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Streams the time, one line per second, for as long as the client reads: {@code GET /stream/clock} answers 200
 * {@code text/plain} with an {@linkplain Body#endless endless} body (it ends only by the connection's close) made of
 * lines such as {@code 2026-11-25T12:00:01Z tick 1}, the first at once. {@code ?ticks=N} makes it a body of N lines,
 * of unknown length to the server (chunked to HTTP/1.1 clients, close-delimited to HTTP/1.0 ones); a {@code ticks}
 * that is not a positive integer answers 400. Other methods than {@code GET} and
 * {@code HEAD} answer 405.
 *
 * <p>A line is produced only when the server asks for one, so a client that reads slowly gets fewer lines, never a
 * backlog. Deactivating the component ends every live stream: an endless one completes, a counted one fails (the
 * server then closes the connection, so the client sees it was cut short).
 *
 * <p>Configuration PID {@value #PID}, optional; attributes in {@link Config}. Configuration properties are service
 * properties, hence the attribute {@code plinth.handler.prefix}.
 */
@Component(configurationPid = ClockHandler.PID, service = Handler.class)
@Designate(ocd = ClockHandler.Config.class)
public final class ClockHandler implements Handler.Synchronous {

    /** The configuration PID. */
    public static final String PID = "dev.plinth.handlers.stream.clock";

    /** The clock handler's configuration. */
    @ObjectClassDefinition(
            id = PID,
            name = "Plinth clock stream",
            description = "Streams the time, one line per interval, as a body of unknown length.")
    public @interface Config {
        /** @return the path prefix served, also the service property {@code plinth.handler.prefix} */
        @AttributeDefinition(name = "Path prefix", description = "Paths served.")
        String plinth_handler_prefix() default "/stream/clock";

        /** @return the time between lines in milliseconds */
        @AttributeDefinition(name = "Interval (ms)", description = "Milliseconds between two lines.", min = "1")
        long interval_ms() default 1000;
    }

    static final String ALLOW = "GET, HEAD";

    private final Ticker ticker;

    /**
     * Called by Declarative Services; starts the timer thread.
     *
     * @param config the configuration
     */
    @Activate
    public ClockHandler(Config config) {
        this(new Ticker(Duration.ofMillis(config.interval_ms()), Clock.systemUTC()));
    }

    /** @param ticker the ticker, owned (closed) by this handler from now on */
    ClockHandler(Ticker ticker) {
        this.ticker = ticker;
    }

    /** Called by Declarative Services: ends every live stream and stops the timer thread. */
    @Deactivate
    void deactivate() {
        ticker.close();
    }

    @Override
    public Response respond(Request request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return Response.text(405, "Method Not Allowed\n").header("Allow", ALLOW);
        }
        Optional<String> ticks = request.queryParameter("ticks");
        long count = Ticker.UNLIMITED;
        if (ticks.isPresent()) {
            count = positive(ticks.get());
            if (count < 1) {
                return Response.text(400, "ticks must be a positive integer\n");
            }
        }
        return Response.of(200)
                .header("Content-Type", "text/plain; charset=utf-8")
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .body(
                        count == Ticker.UNLIMITED
                                ? Body.endless(ticker.lines(count))
                                : Body.ofParts(ticker.lines(count)));
    }

    /** @return the value if it is a decimal integer from 1 to {@code Long.MAX_VALUE}, else -1 */
    private static long positive(String text) {
        if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
            return -1;
        }
    }

    Ticker ticker() {
        return ticker;
    }
}

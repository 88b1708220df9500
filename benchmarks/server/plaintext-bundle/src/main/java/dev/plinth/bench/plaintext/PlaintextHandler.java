package dev.plinth.bench.plaintext;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Request;
import dev.plinth.http.handler.Response;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Component;

/**
 * The benchmark's dynamic response: {@code GET /plaintext} answers {@code Hello, World!} (13 bytes,
 * {@code text/plain}) from a shared read-only buffer, the same work the peers do. It never blocks, so it declares
 * itself {@linkplain Handler#NONBLOCKING non-blocking} and runs on the I/O thread that read the request.
 */
@Component(property = {Handler.PREFIX + "=/plaintext", Handler.NONBLOCKING + "=true"})
public final class PlaintextHandler implements Handler {

    private static final ByteBuffer HELLO =
            ByteBuffer.wrap("Hello, World!".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    @Override
    public CompletionStage<Response> handle(Request request) {
        return CompletableFuture.completedStage(
                Response.of(200).header("Content-Type", "text/plain").body(Body.of(HELLO)));
    }
}

package dev.plinth.handlers.upload;

import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.core.Glue;
import dev.plinth.http.core.testing.TestGlue;
import dev.plinth.http.handler.Request;
import dev.plinth.http.transport.HttpServer;
import dev.plinth.http.transport.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A real server on 127.0.0.1 serving one upload handler under its prefix. By default the handler is called on the
 * I/O thread, as the mount registers it ({@code plinth.handler.nonblocking=true}); {@link #onWorkers} calls it on a
 * worker, as a glue that does not run handlers inline would.
 */
final class Server implements AutoCloseable {

    final UploadHandler handler;
    final InetSocketAddress address;
    private final HttpServer server;

    private Server(UploadHandler handler, String prefix, CoreConfig core, boolean inline) throws IOException {
        this.handler = handler;
        TestGlue mounted = TestGlue.of(prefix, handler);
        Glue glue = inline ? new InlineGlue(mounted) : mounted;
        this.server = new HttpServer(ServerConfig.of("127.0.0.1", 0).withCore(core), glue);
        this.address = server.start();
    }

    /** The test glue's routing, with the handler marked non-blocking. */
    private record InlineGlue(TestGlue mounted) implements Glue {
        @Override
        public Decision choose(Request request) {
            return mounted.mounted(request)
                    .<Decision>map(choice -> new Choice(choice.handler(), choice.prefix(), true))
                    .orElse(NOT_FOUND);
        }

        @Override
        public boolean nonBlocking() {
            return true;
        }

        @Override
        public Explanation explain(String host, String path) {
            return mounted.explain(host, path);
        }
    }

    /**
     * @param config the handler's configuration
     * @param events where its uploads are told of
     * @return a started server
     */
    static Server start(UploadConfig config, UploadEvents events) throws IOException {
        return start(config, events, CoreConfig.DEFAULT);
    }

    /**
     * @param config the handler's configuration
     * @param events where its uploads are told of
     * @param core the connections' behaviour
     * @return a started server
     */
    static Server start(UploadConfig config, UploadEvents events, CoreConfig core) throws IOException {
        return new Server(new UploadHandler(config, events), config.plinth_handler_prefix(), core, true);
    }

    /**
     * @param config the handler's configuration
     * @param events where its uploads are told of
     * @return a started server that calls the handler on a worker
     */
    static Server onWorkers(UploadConfig config, UploadEvents events) throws IOException {
        return new Server(new UploadHandler(config, events), config.plinth_handler_prefix(), CoreConfig.DEFAULT, false);
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(1_000);
        handler.close();
    }
}

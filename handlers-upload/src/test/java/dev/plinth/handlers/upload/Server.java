package dev.plinth.handlers.upload;

import dev.plinth.http.core.CoreConfig;
import dev.plinth.http.core.testing.TestGlue;
import dev.plinth.http.transport.HttpServer;
import dev.plinth.http.transport.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;

/** A real server on 127.0.0.1 serving one upload handler under its prefix. */
final class Server implements AutoCloseable {

    final UploadHandler handler;
    final InetSocketAddress address;
    private final HttpServer server;

    private Server(UploadHandler handler, String prefix, CoreConfig core) throws IOException {
        this.handler = handler;
        this.server = new HttpServer(ServerConfig.of("127.0.0.1", 0).withCore(core), TestGlue.of(prefix, handler));
        this.address = server.start();
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
        return new Server(new UploadHandler(config, events), config.plinth_handler_prefix(), core);
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(1_000);
        handler.close();
    }
}

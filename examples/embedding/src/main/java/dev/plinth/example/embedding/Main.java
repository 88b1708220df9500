package dev.plinth.example.embedding;

import dev.plinth.handlers.statics.StaticHandler;
import dev.plinth.http.core.Router;
import dev.plinth.http.handler.Handler;
import dev.plinth.http.handler.Response;
import dev.plinth.http.transport.HttpServer;
import dev.plinth.http.transport.ServerConfig;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Serves the files of a folder under {@code /} and a greeting at {@code /hello} on 127.0.0.1, until its standard
 * input ends (Ctrl-D in a terminal); then it stops gracefully and exits. README's "Embedding" section shows the body
 * of {@link #main} as it is here.
 */
public final class Main {

    private Main() {}

    /**
     * @param args the folder to serve and the port (0 for any free one)
     * @throws Exception if the folder cannot be served or the port cannot be bound
     */
    public static void main(String[] args) throws Exception {
        Handler hello = (Handler.Synchronous) request -> Response.text(200, "Hello from embedded Plinth\n");
        Router router = Router.builder()
                .mount("/", StaticHandler.builder(Path.of(args[0])).build())
                .mount("/hello", hello)
                .build();
        try (HttpServer server = new HttpServer(ServerConfig.of("127.0.0.1", Integer.parseInt(args[1])), router)) {
            int port = server.start().getPort();
            System.out.println("Plinth serving http://127.0.0.1:" + port + "/");
            System.in.transferTo(OutputStream.nullOutputStream()); // until standard input ends
        }
        System.out.println("Plinth stopped");
    }
}

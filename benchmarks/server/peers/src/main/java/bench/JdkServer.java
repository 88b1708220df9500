package bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLParameters;

/**
 * The JDK's {@code com.sun.net.httpserver.HttpServer} with a fixed thread pool ({@code -Dbench.threads}, default
 * 16 so that no test's connection waits for a thread). Start it with {@code -Dsun.net.httpserver.nodelay=true}
 * (TCP_NODELAY). {@code /plaintext} answers 13 bytes; other paths stream a file of the docroot
 * ({@link Files#copy(Path, OutputStream)}: the JDK server has no zero-copy path).
 *
 * <p>With key material ({@link Tls}) it is an {@link HttpsServer} instead, with the JDK's default {@code SSLContext}
 * parameters (cipher suites) and TLS 1.3 and 1.2.
 *
 * <p>Usage: {@code JdkServer PORT DOCROOT [CERT KEY]}; listens on 127.0.0.1.
 */
public final class JdkServer {

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws IOException, GeneralSecurityException {
        int port = Integer.parseInt(args[0]);
        Path docroot = Path.of(args[1]).toAbsolutePath().normalize();
        int threads = Integer.getInteger("bench.threads", 16);
        Tls tls = Tls.fromArgs(args);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        HttpServer server = tls == null ? HttpServer.create(address, 1024) : secure(address, tls);
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.createContext("/plaintext", exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, HELLO.length);
                exchange.getResponseBody().write(HELLO);
            }
        });
        server.createContext("/", exchange -> {
            try (exchange) {
                file(exchange, docroot);
            }
        });
        server.start();
        System.out.println("jdk listening on 127.0.0.1:" + port + " docroot " + docroot + " threads " + threads
                + (tls == null ? "" : ", " + tls));
    }

    private static HttpsServer secure(InetSocketAddress address, Tls tls) throws IOException, GeneralSecurityException {
        HttpsServer server = HttpsServer.create(address, 1024);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setProtocols(Tls.PROTOCOLS);
                params.setSSLParameters(parameters);
            }
        });
        return server;
    }

    private static void file(HttpExchange exchange, Path docroot) throws IOException {
        Path file = docroot.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
        if (!"GET".equals(exchange.getRequestMethod()) || !file.startsWith(docroot) || !Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, Files.size(file));
        try (OutputStream out = exchange.getResponseBody()) {
            Files.copy(file, out);
        }
    }
}

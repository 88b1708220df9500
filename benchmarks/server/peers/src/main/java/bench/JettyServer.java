package bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty 12 core, no servlets: {@code /plaintext} answers the 13-byte "Hello, World!" from a non-blocking handler;
 * everything else goes to a {@link ResourceHandler} over the docroot (Jetty's defaults: default thread pool,
 * default connector, default HttpConfiguration, which sends Date and Server fields).
 *
 * <p>With key material ({@link Tls}) the connector speaks HTTPS: an {@link SslContextFactory.Server} (the JDK's
 * provider, Jetty's default cipher suites, TLS 1.3 and 1.2) in front of the HTTP/1.1 connection factory, whose
 * configuration adds the {@link SecureRequestCustomizer}, as Jetty's own {@code ssl} and {@code https} modules do.
 *
 * <p>Usage: {@code JettyServer PORT DOCROOT [CERT KEY]}; listens on 127.0.0.1.
 */
public final class JettyServer {

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path docroot = Path.of(args[1]).toAbsolutePath();
        long idleMillis = Long.getLong("bench.idleTimeoutMillis", 30_000L);

        Tls tls = Tls.fromArgs(args);

        Server server = new Server();
        ServerConnector connector = tls == null ? new ServerConnector(server) : secureConnector(server, tls);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setIdleTimeout(idleMillis);
        server.addConnector(connector);

        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(server).newResource(docroot));
        files.setDirAllowed(false);

        Handler.Wrapper root = new Handler.Wrapper(files) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if ("/plaintext".equals(Request.getPathInContext(request))) {
                    response.setStatus(200);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, HELLO.length);
                    response.write(true, ByteBuffer.wrap(HELLO), callback);
                    return true;
                }
                return super.handle(request, response, callback);
            }
        };
        server.setHandler(root);
        server.start();
        System.out.println("jetty listening on 127.0.0.1:" + port + " docroot " + docroot + (tls == null ? "" : ", " + tls));
        server.join();
    }

    private static ServerConnector secureConnector(Server server, Tls tls) throws Exception {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(Tls.PASSWORD);
        ssl.setIncludeProtocols(Tls.PROTOCOLS);
        HttpConfiguration config = new HttpConfiguration();
        config.addCustomizer(new SecureRequestCustomizer());
        return new ServerConnector(server, ssl, new HttpConnectionFactory(config));
    }
}

package dev.plinth.http.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** The test key material (src/test/resources/tls) and clients that trust the test CA. */
public final class TestTls {

    public static final String PASSWORD = "changeit";

    private TestTls() {}

    /** @return a test key material file */
    public static Path file(String name) {
        try {
            return Path.of(TestTls.class.getResource("/tls/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the server's TLS settings: the localhost certificate (PKCS#12), defaults otherwise */
    public static TlsConfig localhost() {
        return TlsConfig.pkcs12(file("localhost.p12"), PASSWORD);
    }

    /** @return a client context that trusts the test CA and presents no certificate */
    public static SSLContext client() {
        return client(null);
    }

    /**
     * @param keyStore a PKCS#12 file the client presents its certificate from, or null for none
     * @return a client context that trusts the test CA
     */
    public static SSLContext client(String keyStore) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = TestTls.class.getResourceAsStream("/tls/ca.pem")) {
                trust.setCertificateEntry("ca", (X509Certificate)
                        CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory trustManagers =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            KeyManagerFactory keyManagers = null;
            if (keyStore != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                try (InputStream in = TestTls.class.getResourceAsStream("/tls/" + keyStore)) {
                    keys.load(in, PASSWORD.toCharArray());
                }
                keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(keys, PASSWORD.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Connects and finishes a handshake.
     *
     * @param context the client's context
     * @param server where
     * @param protocols the versions the client offers
     * @return the connected socket
     */
    public static SSLSocket connect(SSLContext context, InetSocketAddress server, String... protocols)
            throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", server.getPort());
        socket.setSoTimeout(RawClient.READ_TIMEOUT_MILLIS * 2);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the client checks the name, as browsers do
        if (protocols.length > 0) {
            parameters.setProtocols(protocols);
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }
}

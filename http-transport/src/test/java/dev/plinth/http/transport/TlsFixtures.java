package dev.plinth.http.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The test key material of {@code src/test/resources/tls} (its README says what each file is and how it was made),
 * and clients that trust the test CA.
 */
final class TlsFixtures {

    /** The password of every PKCS#12 file here. */
    static final String PASSWORD = "changeit";

    private static final Path FOLDER = Path.of("src/test/resources/tls");

    private TlsFixtures() {}

    /**
     * @param name a file of the folder
     * @return its path
     */
    static Path file(String name) {
        return FOLDER.resolve(name);
    }

    /**
     * @param name a PEM certificate chain of the folder, without its extension: {@code localhost}, {@code other}...
     * @return settings serving that chain and the key of the same name, with the defaults for the rest
     */
    static TlsConfig pem(String name) {
        return TlsConfig.pem(file(name + ".pem"), file(name + ".key"));
    }

    /**
     * @param names PEM chains of the folder, without their extension, the default first
     * @return settings serving each with the key of the same name
     */
    static TlsConfig pems(String... names) {
        return new TlsConfig(
                List.of(),
                "",
                List.of(names).stream().map(name -> file(name + ".pem")).toList(),
                List.of(names).stream().map(name -> file(name + ".key")).toList(),
                TlsConfig.DEFAULT_PROTOCOLS,
                List.of(),
                TlsConfig.ClientAuth.NONE,
                null,
                "",
                TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS);
    }

    /**
     * @param name a PEM file of the folder
     * @return its first certificate
     */
    static X509Certificate certificate(String name) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file(name))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** @return a client context that trusts the test CA and has no certificate of its own */
    static SSLContext client() throws IOException, GeneralSecurityException {
        return client(null);
    }

    /**
     * @param keyStore a PKCS#12 file of the folder whose one key the client presents to any server that asks,
     *     whoever signed it; null for none
     * @return a client context that trusts the test CA
     */
    static SSLContext client(String keyStore) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", certificate("ca.pem"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(trusted);
        KeyManager[] keys = keyStore == null ? null : new KeyManager[] {new AlwaysPresent(keyStore)};
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, trust.getTrustManagers(), null);
        return context;
    }

    /**
     * @param context a client context
     * @param settings changes to the client's parameters: server names, application protocols, versions...
     * @return a client engine with no peer host, so with no server name unless the settings give one
     */
    static SSLEngine clientEngine(SSLContext context, Consumer<SSLParameters> settings) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        settings.accept(parameters);
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Client settings that change nothing. */
    static final Consumer<SSLParameters> DEFAULTS = parameters -> {};

    /**
     * @param host a host name
     * @return client settings that ask for it (SNI)
     */
    static Consumer<SSLParameters> serverName(String host) {
        return parameters -> parameters.setServerNames(List.of(new SNIHostName(host)));
    }

    /**
     * The two ends of a finished handshake.
     *
     * @param client the client's engine
     * @param server the server's engine
     */
    record Ends(SSLEngine client, SSLEngine server) {}

    /**
     * Runs a handshake in memory between a new client engine and a new engine of the server.
     *
     * @param server the server
     * @param client the client's context
     * @param settings the client's settings
     * @return the engines after the handshake
     * @throws SSLException what either side threw
     */
    static Ends handshake(TlsContext server, SSLContext client, Consumer<SSLParameters> settings) throws SSLException {
        Ends ends = new Ends(clientEngine(client, settings), server.newEngine());
        InMemoryHandshake.run(ends.client(), ends.server());
        return ends;
    }

    /**
     * @param server the server
     * @param settings the settings of a client that trusts the test CA
     * @return the subject of the certificate the server presents to that client
     */
    static String served(TlsContext server, Consumer<SSLParameters> settings)
            throws IOException, GeneralSecurityException {
        return peerSubject(handshake(server, client(), settings).client().getSession());
    }

    /**
     * @param session a session after its handshake
     * @return the subject of the certificate the peer presented
     */
    static String peerSubject(SSLSession session) throws IOException {
        return ((X509Certificate) session.getPeerCertificates()[0])
                .getSubjectX500Principal()
                .getName();
    }

    /**
     * A client key manager that presents its one key whatever the server asks for: the JDK's own presents only a
     * certificate issued by a CA that the server names, so it would hide from a server a certificate it distrusts.
     */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {

        private final PrivateKey key;
        private final X509Certificate[] chain;

        AlwaysPresent(String keyStore) throws IOException, GeneralSecurityException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file(keyStore))) {
                store.load(in, PASSWORD.toCharArray());
            }
            String alias = store.aliases().nextElement();
            this.key = (PrivateKey) store.getKey(alias, PASSWORD.toCharArray());
            this.chain = List.of(store.getCertificateChain(alias)).toArray(X509Certificate[]::new);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return "client";
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return "client";
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return chain.clone();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}

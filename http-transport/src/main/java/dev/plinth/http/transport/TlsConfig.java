package dev.plinth.http.transport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The TLS settings of one {@link HttpServer}: its key material, the protocol versions and cipher suites it accepts,
 * whether it asks for client certificates, and how long a client may take to finish its handshake. Immutable.
 *
 * <p>Key material comes as PKCS#12 stores (every private key entry in them is used) and as PEM pairs (a certificate
 * chain, leaf first, and its unencrypted PKCS#8 or PKCS#1 private key), in any mix. With several certificates the
 * server picks, per connection, the one whose names match the host the client asked for (SNI); the first one
 * configured otherwise. A file changed on disk is loaded again for new connections; connections open keep theirs.
 *
 * @param keyStores PKCS#12 files
 * @param keyStorePassword their password (also the keys' password)
 * @param certificateChains PEM files, each a certificate chain, leaf first
 * @param privateKeys PEM files, each the private key of the chain at the same index
 * @param protocols the versions offered, among {@code TLSv1.3} and {@code TLSv1.2}
 * @param cipherSuites the suites offered, in the JDK's names; empty for {@link #DEFAULT_CIPHER_SUITES the defaults}
 * @param clientAuth whether client certificates are asked for
 * @param trustStore certificates that client certificates must chain to: a PKCS#12 store or a PEM bundle; null
 *        when no client certificate is asked for
 * @param trustStorePassword the trust store's password, for PKCS#12
 * @param handshakeTimeoutMillis how long a client may take from connecting to finishing its handshake
 * @since 1.5
 */
public record TlsConfig(
        List<Path> keyStores,
        String keyStorePassword,
        List<Path> certificateChains,
        List<Path> privateKeys,
        List<String> protocols,
        List<String> cipherSuites,
        ClientAuth clientAuth,
        Path trustStore,
        String trustStorePassword,
        long handshakeTimeoutMillis) {

    /** The protocol versions a server may offer: nothing older than TLS 1.2. */
    public static final Set<String> SUPPORTED_PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

    /** The default {@link #protocols}. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * The default {@link #cipherSuites}: every TLS 1.3 suite, and for TLS 1.2 only ephemeral ECDH key exchange with
     * authenticated encryption (AES-GCM, ChaCha20-Poly1305), strongest first (Mozilla's "intermediate" choice). Of
     * these the server offers those the running JDK supports.
     */
    public static final List<String> DEFAULT_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** The default {@link #handshakeTimeoutMillis}: 10 s. */
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    /** Whether the server asks clients for a certificate. */
    public enum ClientAuth {
        /** Never asks. */
        NONE,
        /**
         * Asks; a client without one is served without. One that presents a certificate that does not verify is
         * refused, as the JDK does: serving it as anonymous would hide a misconfiguration from both sides.
         */
        WANT,
        /** Asks, and ends the handshake with a client that has none that verifies. */
        NEED
    }

    /** Validates the settings and copies the lists. */
    public TlsConfig {
        keyStores = List.copyOf(keyStores);
        certificateChains = List.copyOf(certificateChains);
        privateKeys = List.copyOf(privateKeys);
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
        if (keyStores.isEmpty() && certificateChains.isEmpty()) {
            throw new IllegalArgumentException("TLS needs a key store or a certificate chain and its private key");
        }
        if (certificateChains.size() != privateKeys.size()) {
            throw new IllegalArgumentException("each certificate chain needs its private key, in the same order");
        }
        if (protocols.isEmpty() || !SUPPORTED_PROTOCOLS.containsAll(protocols)) {
            throw new IllegalArgumentException("protocols must be among " + DEFAULT_PROTOCOLS + ": " + protocols);
        }
        if (clientAuth == null) {
            throw new IllegalArgumentException("clientAuth is required");
        }
        if (clientAuth != ClientAuth.NONE && trustStore == null) {
            throw new IllegalArgumentException("client certificates need a trust store");
        }
        if (handshakeTimeoutMillis < 1) {
            throw new IllegalArgumentException("handshakeTimeoutMillis must be positive");
        }
    }

    /**
     * Settings for one PEM pair, with the defaults for the rest.
     *
     * @param certificateChain a PEM certificate chain, leaf first
     * @param privateKey its PEM private key
     * @return the settings
     */
    public static TlsConfig pem(Path certificateChain, Path privateKey) {
        return new TlsConfig(
                List.of(),
                "",
                List.of(certificateChain),
                List.of(privateKey),
                DEFAULT_PROTOCOLS,
                List.of(),
                ClientAuth.NONE,
                null,
                "",
                DEFAULT_HANDSHAKE_TIMEOUT_MILLIS);
    }

    /**
     * Settings for one PKCS#12 store, with the defaults for the rest.
     *
     * @param keyStore the store
     * @param password its password
     * @return the settings
     */
    public static TlsConfig pkcs12(Path keyStore, String password) {
        return new TlsConfig(
                List.of(keyStore),
                password,
                List.of(),
                List.of(),
                DEFAULT_PROTOCOLS,
                List.of(),
                ClientAuth.NONE,
                null,
                "",
                DEFAULT_HANDSHAKE_TIMEOUT_MILLIS);
    }

    /**
     * @param auth whether to ask for client certificates
     * @param trust what they must chain to (PKCS#12 or PEM)
     * @param password the trust store's password, for PKCS#12
     * @return a copy with them
     */
    public TlsConfig withClientAuth(ClientAuth auth, Path trust, String password) {
        return new TlsConfig(
                keyStores,
                keyStorePassword,
                certificateChains,
                privateKeys,
                protocols,
                cipherSuites,
                auth,
                trust,
                password,
                handshakeTimeoutMillis);
    }

    /**
     * @param versions the protocol versions to offer
     * @return a copy with them
     */
    public TlsConfig withProtocols(List<String> versions) {
        return new TlsConfig(
                keyStores,
                keyStorePassword,
                certificateChains,
                privateKeys,
                versions,
                cipherSuites,
                clientAuth,
                trustStore,
                trustStorePassword,
                handshakeTimeoutMillis);
    }

    /**
     * @param millis the handshake deadline
     * @return a copy with it
     */
    public TlsConfig withHandshakeTimeoutMillis(long millis) {
        return new TlsConfig(
                keyStores,
                keyStorePassword,
                certificateChains,
                privateKeys,
                protocols,
                cipherSuites,
                clientAuth,
                trustStore,
                trustStorePassword,
                millis);
    }

    /**
     * Loads the key material as a server starting with these settings would, and drops it: a changed configuration
     * can be checked before the server it replaces is stopped.
     *
     * @throws IOException if it cannot be used; the message says why in one line, naming the file
     */
    public void check() throws IOException {
        TlsContext.load(this);
    }

    /** Names the files and settings, never the passwords. */
    @Override
    public String toString() {
        return "TlsConfig[keyStores=" + keyStores + ", certificateChains=" + certificateChains + ", privateKeys="
                + privateKeys + ", protocols=" + protocols + ", cipherSuites=" + cipherSuites + ", clientAuth="
                + clientAuth + ", trustStore=" + trustStore + ", handshakeTimeoutMillis=" + handshakeTimeoutMillis
                + "]";
    }
}

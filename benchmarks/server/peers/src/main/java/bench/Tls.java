package bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The key material of an HTTPS run, shared by the JVM peers: the PEM certificate chain (leaf first) and the PEM
 * PKCS#8 private key that {@code run.sh} makes with openssl, the same two files every server of the run is given.
 * The peers take them as their optional third and fourth arguments ({@code PORT DOCROOT [CERT KEY]}); without them
 * they speak plain HTTP.
 */
final class Tls {

    /** The protocol versions every server of an HTTPS run offers: TLS 1.3, and TLS 1.2 for older clients. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** The password of the in-memory key store (nothing is written to disk). */
    static final String PASSWORD = "bench";

    final Path certificate;
    final Path privateKey;

    private Tls(Path certificate, Path privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /** The key material named by {@code args[2]} and {@code args[3]}, or null when there are no such arguments. */
    static Tls fromArgs(String[] args) {
        if (args.length < 4) {
            return null;
        }
        return new Tls(Path.of(args[2]).toAbsolutePath(), Path.of(args[3]).toAbsolutePath());
    }

    /** A key store holding the key and its chain under one alias, for servers that take a {@link KeyStore}. */
    KeyStore keyStore() throws IOException, GeneralSecurityException {
        Certificate[] chain;
        try (InputStream in = Files.newInputStream(certificate)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
        }
        if (chain.length == 0) {
            throw new GeneralSecurityException("no certificate in " + certificate);
        }
        String pem = Files.readString(privateKey, StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException(privateKey + " is not a PEM PKCS#8 private key");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance(chain[0].getPublicKey().getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(der));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("bench", key, PASSWORD.toCharArray(), chain);
        return store;
    }

    /** A JDK {@link SSLContext} (the SunJSSE provider) with this key material. */
    SSLContext sslContext() throws IOException, GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore(), PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    @Override
    public String toString() {
        return "TLS (" + String.join(", ", PROTOCOLS) + ") with " + certificate + " and " + privateKey;
    }
}

package dev.plinth.http.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;

/**
 * The key material a {@link TlsConfig} names, read from its files and checked, with the JDK alone.
 *
 * <p>The server's certificates come in the order configured: the key stores first, in order, each with its private
 * key entries in the order the store lists them; then the PEM pairs, in order. The first one is the default (see
 * {@link SniKeyManager}). Each is checked before use: its chain runs from the leaf up, its private key belongs to
 * the leaf's public key, and the leaf is valid now. Client certificates, when asked for, must chain to the
 * certificates of the trust store: a PKCS#12 store or a PEM bundle, told apart by their content.
 *
 * <p>Every failure is an {@link IOException} whose message is one line starting with {@code TLS: }, naming the file
 * and the problem in an operator's words.
 *
 * @param entries the certificate chains and their keys, at least one
 * @param trust what client certificates must chain to; null when none are asked for
 */
record KeyMaterial(List<SniKeyManager.Entry> entries, TrustManagerFactory trust) {

    /** Bytes signed with a private key and verified with its certificate's public key to show they are a pair. */
    private static final byte[] PAIR_PROBE =
            "Plinth checks that this key belongs to its certificate".getBytes(StandardCharsets.US_ASCII);

    /** Copies the entries. */
    KeyMaterial {
        entries = List.copyOf(entries);
    }

    /**
     * Reads and checks every file the settings name.
     *
     * @param config the settings
     * @return the material
     * @throws IOException a one-line message naming the file and what is wrong with it
     */
    static KeyMaterial load(TlsConfig config) throws IOException {
        List<SniKeyManager.Entry> entries = new ArrayList<>();
        for (Path store : config.keyStores()) {
            entries.addAll(keyStoreEntries(store, password(config.keyStorePassword())));
        }
        for (int i = 0; i < config.certificateChains().size(); i++) {
            entries.add(pemEntry(
                    config.certificateChains().get(i), config.privateKeys().get(i)));
        }
        TrustManagerFactory trust = config.clientAuth() == TlsConfig.ClientAuth.NONE
                ? null
                : trust(config.trustStore(), password(config.trustStorePassword()));
        return new KeyMaterial(entries, trust);
    }

    /**
     * @param file the file at fault
     * @param problem what is wrong, in an operator's words
     * @return an exception whose message is {@code TLS: <file>: <problem>}
     */
    static IOException problem(Path file, String problem) {
        return problem(file.toString(), problem);
    }

    private static IOException problem(String where, String problem) {
        return new IOException("TLS: " + where + ": " + problem);
    }

    /**
     * @param file a file the settings name
     * @return its bytes
     * @throws IOException {@code TLS: no such file: <file>}, or why it cannot be read
     */
    static byte[] read(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("TLS: no such file: " + file);
        } catch (AccessDeniedException e) {
            throw problem(file, "permission denied");
        } catch (IOException e) {
            throw problem(file, "cannot be read (" + reason(e) + ")");
        }
    }

    /** The reason alone, on one line: a file system exception's message would name the file a second time. */
    private static String reason(IOException e) {
        String reason = e instanceof FileSystemException ? ((FileSystemException) e).getReason() : e.getMessage();
        return reason == null ? e.getClass().getSimpleName() : reason.replaceAll("\\s+", " ");
    }

    private static char[] password(String password) {
        return password == null ? new char[0] : password.toCharArray();
    }

    private static List<SniKeyManager.Entry> keyStoreEntries(Path file, char[] password) throws IOException {
        byte[] content = read(file);
        if (Pem.isPem(content)) {
            throw problem(file, "a PEM file, not a PKCS#12 key store (configure it as a certificate chain and key)");
        }
        KeyStore store = pkcs12(file, content, password);
        List<SniKeyManager.Entry> entries = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.entryInstanceOf(alias, KeyStore.PrivateKeyEntry.class)) {
                    String where = file + ", entry " + alias;
                    entries.add(checked(
                            where,
                            "the private key",
                            privateKey(where, store, alias, password),
                            chain(where, store.getCertificateChain(alias))));
                }
            }
        } catch (KeyStoreException e) {
            throw new IllegalStateException("a loaded key store answers", e);
        }
        if (entries.isEmpty()) {
            throw problem(file, "holds no private key (is it a trust store?)");
        }
        return entries;
    }

    private static PrivateKey privateKey(String where, KeyStore store, String alias, char[] password)
            throws IOException, KeyStoreException {
        try {
            Key key = store.getKey(alias, password);
            if (key instanceof PrivateKey) {
                return (PrivateKey) key;
            }
        } catch (UnrecoverableKeyException | NoSuchAlgorithmException e) {
            throw problem(where, "its private key cannot be read with the key store's password");
        }
        throw problem(where, "not a private key");
    }

    private static List<X509Certificate> chain(String where, Certificate[] chain) throws IOException {
        if (chain == null || chain.length == 0) {
            throw problem(where, "a private key without its certificate");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Certificate certificate : chain) {
            if (!(certificate instanceof X509Certificate)) {
                throw problem(where, "not an X.509 certificate");
            }
            certificates.add((X509Certificate) certificate);
        }
        return certificates;
    }

    private static SniKeyManager.Entry pemEntry(Path chainFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = Pem.certificates(chainFile, read(chainFile));
        PrivateKey key = Pem.privateKey(keyFile, read(keyFile));
        return checked(chainFile.toString(), "the private key in " + keyFile, key, chain);
    }

    private static KeyStore pkcs12(Path file, byte[] content, char[] password) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(content), password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw problem(file, "wrong password or damaged PKCS#12 file");
        }
    }

    /** Checks the chain's order, that the key is the leaf's, and the leaf's dates. */
    private static SniKeyManager.Entry checked(
            String where, String keyName, PrivateKey key, List<X509Certificate> chain) throws IOException {
        for (int i = 1; i < chain.size(); i++) {
            X509Certificate issued = chain.get(i - 1);
            X509Certificate issuer = chain.get(i);
            if (!issued.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                throw problem(
                        where,
                        "the certificates are out of order: certificate " + (i + 1) + " (" + subject(issuer)
                                + ") did not issue certificate " + i + " (" + subject(issued)
                                + "); the leaf comes first, then each certificate's issuer");
            }
        }
        X509Certificate leaf = chain.get(0);
        if (!belongTogether(where, keyName, key, leaf.getPublicKey())) {
            throw problem(where, keyName + " does not belong to its certificate");
        }
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            throw problem(
                    where,
                    "the certificate " + subject(leaf) + " expired on "
                            + leaf.getNotAfter().toInstant() + " (notAfter)");
        } catch (CertificateNotYetValidException e) {
            throw problem(
                    where,
                    "the certificate " + subject(leaf) + " is not valid before "
                            + leaf.getNotBefore().toInstant() + " (notBefore)");
        }
        return new SniKeyManager.Entry(where, key, chain);
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    /** Signs with the private key and verifies with the public one: the test that holds for every key type. */
    private static boolean belongTogether(String where, String keyName, PrivateKey key, PublicKey publicKey)
            throws IOException {
        Signature signer;
        Signature verifier;
        try {
            signer = signature(key.getAlgorithm());
            verifier = signature(key.getAlgorithm());
        } catch (GeneralSecurityException e) {
            throw problem(where, keyName + " is a " + key.getAlgorithm() + " key, which cannot sign TLS handshakes");
        }
        try {
            signer.initSign(key);
            signer.update(PAIR_PROBE);
            byte[] signature = signer.sign();
            verifier.initVerify(publicKey);
            verifier.update(PAIR_PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a public key of another type, say
        }
    }

    private static Signature signature(String keyAlgorithm) throws GeneralSecurityException {
        switch (keyAlgorithm) {
            case "RSA":
                return Signature.getInstance("SHA256withRSA");
            case "EC":
                return Signature.getInstance("SHA256withECDSA");
            case "DSA":
                return Signature.getInstance("SHA256withDSA");
            case "RSASSA-PSS":
                Signature pss = Signature.getInstance("RSASSA-PSS");
                pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                return pss;
            default:
                return Signature.getInstance(keyAlgorithm); // EdDSA, Ed25519 and Ed448 name their signatures
        }
    }

    private static TrustManagerFactory trust(Path file, char[] password) throws IOException {
        byte[] content = read(file);
        try {
            KeyStore anchors;
            if (Pem.isPem(content)) {
                anchors = KeyStore.getInstance("PKCS12");
                anchors.load(null, null);
                List<X509Certificate> certificates = Pem.certificates(file, content);
                for (int i = 0; i < certificates.size(); i++) {
                    anchors.setCertificateEntry("trusted-" + i, certificates.get(i));
                }
            } else {
                anchors = pkcs12(file, content, password);
                if (!holdsCertificateEntry(anchors)) {
                    throw problem(file, "holds no trusted certificate (add them with keytool -importcert, or use PEM)");
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(anchors);
            return trust;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has PKCS#12 key stores and PKIX trust managers", e);
        }
    }

    private static boolean holdsCertificateEntry(KeyStore store) throws KeyStoreException {
        for (String alias : Collections.list(store.aliases())) {
            if (store.isCertificateEntry(alias)) {
                return true;
            }
        }
        return false;
    }
}

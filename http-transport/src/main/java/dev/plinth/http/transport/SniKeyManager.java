package dev.plinth.http.transport;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Picks, per handshake, the certificate whose names match the host the client asked for (SNI, RFC 6066 §3).
 *
 * <p>The JDK asks once per key type the handshake could use ({@code "EC"}, {@code "RSA"}, {@code "RSASSA-PSS"}...,
 * in the order of the client's preferences in TLS 1.3, of the server's cipher suites in TLS 1.2) until an answer
 * comes. An entry fits a key type when its leaf's public key has that algorithm, compared as the JDK's own key
 * managers do (a type {@code "EC_RSA"} also wants the issuer's key to be RSA). A certificate's names are its
 * subjectAltName DNS names (RFC 6125 §6.4.4), or its subject's common name when it has none; they match without
 * regard to case (RFC 4343), and a wildcard {@code *.} stands for exactly one label, the host's first.
 *
 * <ol>
 *   <li>Certificates the client cannot verify (none of the signature algorithms it lists works with their key) are
 *       left out, unless that leaves none or the client lists none.
 *   <li>Of the rest, the wanted ones: those that name the host exactly; else those that name it by a wildcard; else
 *       (no host asked for, or one no certificate names) the default: the first configured, with those that have
 *       exactly its names (the same site with a key of another type).
 *   <li>The answer is the first wanted one that fits the key type asked, else none: the JDK then asks for the next
 *       type, so a client that prefers EC still gets the RSA default rather than the EC certificate of another
 *       site, and a client that asks for an EC-only host gets it even when the server's RSA suites come first.
 * </ol>
 *
 * <p>"First" means in the configured order (see {@link KeyMaterial}). One case is left to fail: a TLS 1.2 client
 * that verifies the wanted certificate's key type but offers no cipher suite for it (the JDK tells a key manager
 * nothing of the client's suites). Aliases are the entries' indexes.
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    private static final int NONE = -1;
    private static final int DNS_NAME = 2;

    /**
     * A certificate chain and its private key.
     *
     * @param source where it came from, for messages
     * @param privateKey the leaf's private key
     * @param chain the leaf first, then each certificate's issuer
     */
    record Entry(String source, PrivateKey privateKey, List<X509Certificate> chain) {

        /** Copies the chain. */
        Entry {
            chain = List.copyOf(chain);
        }
    }

    /** How a certificate names a host. */
    private enum Match {
        EXACTLY,
        BY_WILDCARD,
        NOT
    }

    /** An entry, its index, and its leaf's names, lower-cased; each wildcard kept as the suffix it stands before. */
    private record Named(int index, Entry entry, Set<String> names, Set<String> wildcardSuffixes) {

        static Named of(int index, Entry entry) {
            Set<String> names = new TreeSet<>();
            Set<String> wildcardSuffixes = new TreeSet<>();
            for (String name : hostNames(entry.chain().get(0))) {
                if (name.startsWith("*.")) {
                    wildcardSuffixes.add(name.substring(1));
                } else {
                    names.add(name);
                }
            }
            return new Named(index, entry, names, wildcardSuffixes);
        }

        Match match(String host) {
            if (names.contains(host)) {
                return Match.EXACTLY;
            }
            int firstDot = host.indexOf('.');
            return firstDot > 0 && wildcardSuffixes.contains(host.substring(firstDot)) ? Match.BY_WILDCARD : Match.NOT;
        }

        boolean hasTheNamesOf(Named other) {
            return names.equals(other.names) && wildcardSuffixes.equals(other.wildcardSuffixes);
        }

        String keyAlgorithm() {
            return entry.chain().get(0).getPublicKey().getAlgorithm();
        }
    }

    private final List<Named> entries = new ArrayList<>();

    /** @param entries the certificates in the configured order, the default first */
    SniKeyManager(List<Entry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no certificate to present");
        }
        for (Entry entry : entries) {
            this.entries.add(Named.of(this.entries.size(), entry));
        }
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, socket instanceof SSLSocket ? ((SSLSocket) socket).getHandshakeSession() : null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (fits(keyType, entries.get(i).entry().chain())) {
                aliases.add(alias(i));
            }
        }
        return aliases.isEmpty() ? null : aliases.toArray(String[]::new);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return entry(alias)
                .map(entry -> entry.chain().toArray(X509Certificate[]::new))
                .orElse(null);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return entry(alias).map(Entry::privateKey).orElse(null);
    }

    /** A server has no client certificates. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    /** A server has no client certificates. */
    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return null;
    }

    private String choose(String keyType, SSLSession handshake) {
        String host = null;
        List<String> signatureAlgorithms = List.of();
        if (handshake instanceof ExtendedSSLSession) {
            ExtendedSSLSession session = (ExtendedSSLSession) handshake;
            host = requestedHost(session);
            signatureAlgorithms = List.of(session.getPeerSupportedSignatureAlgorithms());
        }
        int index = choose(keyType, host, signatureAlgorithms);
        return index == NONE ? null : alias(index);
    }

    /**
     * @param keyType the key type the JDK asks for
     * @param host the host the client asked for, lower case; null for none
     * @param signatureAlgorithms those the client can verify, in Java's standard names; empty when it lists none
     * @return the index of the entry to present, or -1 for none of this key type
     */
    int choose(String keyType, String host, List<String> signatureAlgorithms) {
        List<Named> verifiable = entries.stream()
                .filter(entry -> canVerify(signatureAlgorithms, entry.keyAlgorithm()))
                .toList();
        for (Named wanted : wanted(host, verifiable.isEmpty() ? entries : verifiable)) {
            if (fits(keyType, wanted.entry().chain())) {
                return wanted.index();
            }
        }
        return NONE;
    }

    private static List<Named> wanted(String host, List<Named> candidates) {
        if (host != null) {
            for (Match match : List.of(Match.EXACTLY, Match.BY_WILDCARD)) {
                List<Named> named = candidates.stream()
                        .filter(candidate -> candidate.match(host) == match)
                        .toList();
                if (!named.isEmpty()) {
                    return named;
                }
            }
        }
        Named first = candidates.get(0);
        return candidates.stream()
                .filter(candidate -> candidate.hasTheNamesOf(first))
                .toList();
    }

    private static boolean canVerify(List<String> signatureAlgorithms, String keyAlgorithm) {
        if (signatureAlgorithms.isEmpty()) {
            return true;
        }
        for (String signatureAlgorithm : signatureAlgorithms) {
            if (keyAlgorithms(signatureAlgorithm).contains(keyAlgorithm)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param signatureAlgorithm a signature algorithm's standard name: {@code SHA256withECDSA}, {@code RSASSA-PSS}...
     * @return the algorithms of the public keys (as certificates name them) that verify it
     */
    static Set<String> keyAlgorithms(String signatureAlgorithm) {
        String name = signatureAlgorithm.toUpperCase(Locale.ROOT);
        if (name.endsWith("WITHECDSA")) {
            return Set.of("EC");
        }
        if (name.endsWith("WITHRSA")) {
            return Set.of("RSA");
        }
        if (name.equals("RSASSA-PSS")) {
            return Set.of("RSA", "RSASSA-PSS"); // TLS's rsa_pss_rsae_* and rsa_pss_pss_* schemes share the name
        }
        if (name.endsWith("WITHDSA")) {
            return Set.of("DSA");
        }
        if (name.startsWith("ED")) {
            return Set.of("EdDSA", "Ed25519", "Ed448");
        }
        return Set.of();
    }

    /**
     * @param keyType {@code "EC"}, or with the issuer's key algorithm after an underscore, {@code "EC_RSA"}
     * @param chain a certificate chain
     * @return whether the chain can serve that key type, compared as the JDK's own key managers do
     */
    static boolean fits(String keyType, List<X509Certificate> chain) {
        int underscore = keyType.indexOf('_');
        String keyAlgorithm = underscore < 0 ? keyType : keyType.substring(0, underscore);
        if (!keyAlgorithm.equals(chain.get(0).getPublicKey().getAlgorithm())) {
            return false;
        }
        if (underscore < 0) {
            return true;
        }
        String issuerAlgorithm = keyType.substring(underscore + 1);
        if (chain.size() > 1) {
            return issuerAlgorithm.equals(chain.get(1).getPublicKey().getAlgorithm());
        }
        return chain.get(0)
                .getSigAlgName()
                .toUpperCase(Locale.ROOT)
                .contains("WITH" + issuerAlgorithm.toUpperCase(Locale.ROOT));
    }

    /**
     * @param certificate a leaf certificate
     * @return its DNS names, or its subject's common name when it has none; lower case
     */
    static List<String> hostNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternativeNames = certificate.getSubjectAlternativeNames();
            if (alternativeNames != null) {
                for (List<?> alternativeName : alternativeNames) {
                    if (alternativeName.get(0).equals(DNS_NAME) && alternativeName.get(1) instanceof String) {
                        names.add(((String) alternativeName.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // a damaged extension names nothing
        }
        if (names.isEmpty()) {
            commonName(certificate.getSubjectX500Principal().getName())
                    .ifPresent(name -> names.add(name.toLowerCase(Locale.ROOT)));
        }
        return names;
    }

    /**
     * The first CN of an RFC 2253 name, the most specific one. A value with escapes or in hex is no host name, so
     * the attributes are split at every comma or plus sign that no backslash escapes, and such values skipped.
     */
    private static Optional<String> commonName(String rfc2253) {
        int start = 0;
        for (int i = 0; i <= rfc2253.length(); i++) {
            if (i < rfc2253.length() && rfc2253.charAt(i) == '\\') {
                i++;
            } else if (i == rfc2253.length() || rfc2253.charAt(i) == ',' || rfc2253.charAt(i) == '+') {
                String attribute = rfc2253.substring(start, i);
                if (attribute.regionMatches(true, 0, "CN=", 0, 3)
                        && attribute.indexOf('\\') < 0
                        && !attribute.startsWith("#", 3)) {
                    return Optional.of(attribute.substring(3));
                }
                start = i + 1;
            }
        }
        return Optional.empty();
    }

    private static String requestedHost(ExtendedSSLSession handshake) {
        for (SNIServerName name : handshake.getRequestedServerNames()) {
            if (name instanceof SNIHostName) {
                return ((SNIHostName) name).getAsciiName().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    private static String alias(int index) {
        return Integer.toString(index);
    }

    private Optional<Entry> entry(String alias) {
        try {
            return Optional.of(entries.get(Integer.parseInt(alias)).entry());
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }
}

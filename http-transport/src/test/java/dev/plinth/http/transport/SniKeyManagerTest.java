package dev.plinth.http.transport;

import static dev.plinth.http.transport.TlsFixtures.DEFAULTS;
import static dev.plinth.http.transport.TlsFixtures.certificate;
import static dev.plinth.http.transport.TlsFixtures.file;
import static dev.plinth.http.transport.TlsFixtures.handshake;
import static dev.plinth.http.transport.TlsFixtures.pems;
import static dev.plinth.http.transport.TlsFixtures.served;
import static dev.plinth.http.transport.TlsFixtures.serverName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which certificate a server presents for the host a client asks for (SNI), shown by real handshakes. */
@Timeout(10)
class SniKeyManagerTest {

    private static final String LOCALHOST = "CN=localhost";
    private static final String OTHER = "CN=other.test";

    @ParameterizedTest(name = "{0} gets {1}")
    @CsvSource({
        "localhost, CN=localhost",
        "other.test, CN=other.test",
        "OTHER.Test, CN=other.test",
        "a.wild.test, CN=other.test",
        "x.y.wild.test, CN=localhost",
        "wild.test, CN=localhost",
        "unknown.test, CN=localhost"
    })
    void theServerNamePicksTheCertificate(String host, String subject) throws Exception {
        TlsContext server = TlsContext.load(pems("localhost", "other"));

        assertEquals(subject, served(server, serverName(host)));
    }

    @Test
    void withoutServerNameTheFirstConfiguredIsServed() throws Exception {
        assertEquals(LOCALHOST, served(TlsContext.load(pems("localhost", "other")), DEFAULTS));
        assertEquals(OTHER, served(TlsContext.load(pems("other", "localhost")), DEFAULTS));
    }

    @Test
    void anExactNameWinsOverAWildcardWhateverTheOrder() throws Exception {
        TlsContext server = TlsContext.load(pems("localhost", "other", "exact"));

        assertEquals("CN=ignored.test", served(server, serverName("a.wild.test")));
        assertEquals(OTHER, served(server, serverName("b.wild.test")));
    }

    @Test
    void theCommonNameCountsOnlyForACertificateWithoutDnsNames() throws Exception {
        TlsContext server = TlsContext.load(pems("localhost", "exact", "cn-only"));

        assertEquals(LOCALHOST, served(server, serverName("ignored.test")));
        assertEquals("CN=cn-only.test", served(server, serverName("cn-only.test")));
    }

    @Test
    void everyKeyEntryOfAKeyStoreServesInTheStoresOrder() throws Exception {
        TlsContext server = TlsContext.load(TlsConfig.pkcs12(file("two.p12"), TlsFixtures.PASSWORD));

        assertEquals(LOCALHOST, served(server, DEFAULTS));
        assertEquals(OTHER, served(server, serverName("other.test")));
    }

    @Test
    void theHostsCertificateWinsOverTheDefaultOfTheKeyTypeAskedFirst() throws Exception {
        // The server prefers an RSA suite, so the JDK asks for an RSA key first: the host's EC one must still win.
        String rsa = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
        String ecdsa = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
        TlsConfig pair = pems("localhost", "other");
        TlsContext server = TlsContext.load(new TlsConfig(
                List.of(),
                "",
                pair.certificateChains(),
                pair.privateKeys(),
                List.of("TLSv1.2"),
                List.of(rsa, ecdsa),
                TlsConfig.ClientAuth.NONE,
                null,
                "",
                TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS));

        TlsFixtures.Ends named = handshake(server, TlsFixtures.client(), serverName("other.test"));
        TlsFixtures.Ends unnamed = handshake(server, TlsFixtures.client(), DEFAULTS);

        assertEquals(OTHER, TlsFixtures.peerSubject(named.client().getSession()));
        assertEquals(ecdsa, named.client().getSession().getCipherSuite());
        assertEquals(LOCALHOST, TlsFixtures.peerSubject(unnamed.client().getSession()));
        assertEquals(rsa, unnamed.client().getSession().getCipherSuite());
    }

    @Test
    void serverSocketsPickByNameToo() throws Exception {
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(new KeyManager[] {manager("localhost", "other")}, new TrustManager[0], null);
        ExecutorService acceptor = Executors.newSingleThreadExecutor();
        try (SSLServerSocket listener = (SSLServerSocket)
                serverContext.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Future<?> accepted = acceptor.submit(() -> {
                try (SSLSocket connection = (SSLSocket) listener.accept()) {
                    connection.setSoTimeout(5_000);
                    connection.startHandshake();
                }
                return null;
            });
            try (SSLSocket client = (SSLSocket) TlsFixtures.client()
                    .getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                client.setSoTimeout(5_000);
                SSLParameters parameters = client.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName("other.test")));
                client.setSSLParameters(parameters);
                client.startHandshake();

                assertEquals(OTHER, TlsFixtures.peerSubject(client.getSession()));
            }
            accepted.get(5, TimeUnit.SECONDS);
        } finally {
            acceptor.shutdownNow();
        }
    }

    @Test
    void theDefaultWaitsForItsKeyTypeAndANamedHostForItsCertificatesKeyType() throws Exception {
        SniKeyManager manager = manager("localhost", "other");

        assertEquals(0, manager.choose("RSA", null, List.of()));
        assertEquals(-1, manager.choose("EC", null, List.of()));
        assertEquals(-1, manager.choose("EC", "unknown.test", List.of()));
        assertEquals(1, manager.choose("EC", "other.test", List.of()));
        assertEquals(-1, manager.choose("RSA", "other.test", List.of()));
        assertEquals(-1, manager.choose("RSASSA-PSS", null, List.of()));
        assertNull(manager.chooseEngineServerAlias("DSA", null, null));
        assertNull(manager.getServerAliases("DSA", null));
        assertArrayEquals(new String[] {"1"}, manager.getServerAliases("EC", null));
    }

    @Test
    void certificatesTheClientCannotVerifyAreLeftOut() throws Exception {
        SniKeyManager manager = manager("localhost", "other");
        List<String> ecdsaOnly = List.of("SHA256withECDSA", "SHA384withECDSA");
        List<String> rsaOnly = List.of("RSASSA-PSS", "SHA256withRSA");

        assertEquals(1, manager.choose("EC", null, ecdsaOnly), "the default for this client");
        assertEquals(-1, manager.choose("RSA", null, ecdsaOnly));
        assertEquals(0, manager.choose("RSA", "other.test", rsaOnly), "no certificate it can verify names the host");
        assertEquals(0, manager.choose("RSA", null, List.of("SHA256withMadeUp")), "none left: all count");
    }

    @Test
    void signatureAlgorithmsNameTheKeysThatVerifyThem() {
        assertEquals(Set.of("EC"), SniKeyManager.keyAlgorithms("SHA256withECDSA"));
        assertEquals(Set.of("RSA"), SniKeyManager.keyAlgorithms("SHA1withRSA"));
        assertEquals(Set.of("RSA", "RSASSA-PSS"), SniKeyManager.keyAlgorithms("RSASSA-PSS"));
        assertEquals(Set.of("DSA"), SniKeyManager.keyAlgorithms("SHA256withDSA"));
        assertEquals(Set.of("EdDSA", "Ed25519", "Ed448"), SniKeyManager.keyAlgorithms("Ed25519"));
        assertEquals(Set.of(), SniKeyManager.keyAlgorithms("HmacSHA256"));
    }

    @Test
    void theDefaultSitesCertificateOfTheClientsPreferredKeyTypeIsServed() throws Exception {
        TlsContext server = TlsContext.load(pems("localhost", "other", "localhost-ec"));

        for (var settings : List.of(DEFAULTS, serverName("localhost"), serverName("unknown.test"))) {
            SSLSession session =
                    handshake(server, TlsFixtures.client(), settings).client().getSession();

            assertEquals(LOCALHOST, TlsFixtures.peerSubject(session));
            assertEquals("EC", session.getPeerCertificates()[0].getPublicKey().getAlgorithm(), "the JDK prefers EC");
        }
    }

    @Test
    void aliasesLeadToTheirEntries() throws Exception {
        SniKeyManager manager = manager("localhost", "other");

        assertEquals("0", manager.chooseEngineServerAlias("RSA", null, null));
        assertEquals(certificate("other.pem"), manager.getCertificateChain("1")[0]);
        assertEquals("EC", manager.getPrivateKey("1").getAlgorithm());
        assertNull(manager.getCertificateChain("2"));
        assertNull(manager.getPrivateKey("none"));
        assertNull(manager.chooseClientAlias(new String[] {"RSA"}, null, null));
        assertNull(manager.getClientAliases("RSA", null));
    }

    @Test
    void keyTypesCompareAsTheJdksDo() throws Exception {
        List<X509Certificate> other = List.of(certificate("other.pem"), certificate("ca.pem"));

        assertTrue(SniKeyManager.fits("EC", other));
        assertTrue(SniKeyManager.fits("EC_RSA", other));
        assertFalse(SniKeyManager.fits("EC_EC", other));
        assertFalse(SniKeyManager.fits("RSA", other));
        assertTrue(SniKeyManager.fits("RSA_RSA", List.of(certificate("ca.pem"))));
        assertFalse(SniKeyManager.fits("RSA_EC", List.of(certificate("ca.pem"))));
    }

    @Test
    void namesAreTheDnsNamesElseTheCommonName() throws Exception {
        assertEquals(List.of("other.test", "*.wild.test"), SniKeyManager.hostNames(certificate("other.pem")));
        assertEquals(List.of("localhost"), SniKeyManager.hostNames(certificate("localhost.pem")));
        assertEquals(List.of("a.wild.test"), SniKeyManager.hostNames(certificate("exact.pem")));
        assertEquals(List.of("cn-only.test"), SniKeyManager.hostNames(certificate("cn-only.pem")));
        assertEquals(List.of("test client"), SniKeyManager.hostNames(certificate("client.pem")));
    }

    private static SniKeyManager manager(String... names) throws Exception {
        return new SniKeyManager(KeyMaterial.load(pems(names)).entries());
    }
}

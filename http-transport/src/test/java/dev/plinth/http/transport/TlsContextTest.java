package dev.plinth.http.transport;

import static dev.plinth.http.transport.TlsFixtures.DEFAULTS;
import static dev.plinth.http.transport.TlsFixtures.PASSWORD;
import static dev.plinth.http.transport.TlsFixtures.file;
import static dev.plinth.http.transport.TlsFixtures.handshake;
import static dev.plinth.http.transport.TlsFixtures.peerSubject;
import static dev.plinth.http.transport.TlsFixtures.pem;
import static dev.plinth.http.transport.TlsFixtures.served;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Loading key material with the messages an operator reads when it is wrong, the engines made of it (versions,
 * suites, client certificates, ALPN) shown by real handshakes, and loading it again when its files change.
 */
@Timeout(10)
class TlsContextTest {

    private static final String LOCALHOST = "CN=localhost";
    private static final String OTHER = "CN=other.test";

    @TempDir
    Path folder;

    private final AtomicLong nanoClock = new AtomicLong();
    private final RecordingLogger log = new RecordingLogger();

    @Test
    void aMissingFileIsNamed() {
        Path missing = file("nowhere.pem");

        assertRefused("TLS: no such file: " + missing, TlsConfig.pem(missing, file("localhost.key")));
    }

    @Test
    void aFileThatCannotBeReadIsNamed() {
        assertRefused(
                "TLS: " + folder + ": cannot be read (Is a directory)", TlsConfig.pem(folder, file("localhost.key")));
    }

    @Test
    void aWrongPasswordOrADamagedKeyStoreIsRefused() throws IOException {
        Path truncated = folder.resolve("truncated.p12");
        byte[] store = Files.readAllBytes(file("localhost.p12"));
        Files.write(truncated, Arrays.copyOf(store, store.length / 2));

        assertRefused(
                "TLS: " + file("localhost.p12") + ": wrong password or damaged PKCS#12 file",
                TlsConfig.pkcs12(file("localhost.p12"), "wrong"));
        assertRefused(
                "TLS: " + truncated + ": wrong password or damaged PKCS#12 file",
                TlsConfig.pkcs12(truncated, PASSWORD));
    }

    @Test
    void aKeyStoreMustHoldAPrivateKey() {
        assertRefused(
                "TLS: " + file("ca-trust.p12") + ": holds no private key (is it a trust store?)",
                TlsConfig.pkcs12(file("ca-trust.p12"), PASSWORD));
        assertRefused(
                "TLS: " + file("localhost.pem")
                        + ": a PEM file, not a PKCS#12 key store (configure it as a certificate chain and key)",
                TlsConfig.pkcs12(file("localhost.pem"), PASSWORD));
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        for (String key : List.of("ca.key", "other.key")) {
            assertRefused(
                    "TLS: " + file("localhost.pem") + ": the private key in " + file(key)
                            + " does not belong to its certificate",
                    TlsConfig.pem(file("localhost.pem"), file(key)));
        }
    }

    @Test
    void aChainMustRunFromTheLeafUp() throws IOException {
        Path reversed = folder.resolve("reversed.pem");
        Files.writeString(reversed, Files.readString(file("ca.pem")) + Files.readString(file("localhost.pem")));

        assertRefused(
                "TLS: " + reversed + ": the certificates are out of order: certificate 2 (CN=localhost) did not"
                        + " issue certificate 1 (CN=Plinth Test CA); the leaf comes first, then each certificate's"
                        + " issuer",
                TlsConfig.pem(reversed, file("localhost.key")));
    }

    @Test
    void aCertificateOutsideItsValidityIsRefused() {
        assertRefused(
                "TLS: " + file("expired.pem")
                        + ": the certificate CN=expired.test expired on 2021-01-01T00:00:00Z (notAfter)",
                pem("expired"));
        assertRefused(
                "TLS: " + file("future.pem")
                        + ": the certificate CN=future.test is not valid before 2100-01-01T00:00:00Z (notBefore)",
                pem("future"));
    }

    @Test
    void keysServeInEveryEncoding() throws Exception {
        assertEquals(LOCALHOST, served(TlsContext.load(pem("localhost")), DEFAULTS));
        assertEquals(
                LOCALHOST,
                served(TlsContext.load(TlsConfig.pem(file("localhost.pem"), file("localhost.pkcs1.key"))), DEFAULTS));
        assertEquals(OTHER, served(TlsContext.load(pem("other")), DEFAULTS));
        assertEquals(
                OTHER, served(TlsContext.load(TlsConfig.pem(file("other.pem"), file("other.sec1.key"))), DEFAULTS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ca.pem", "ca-trust.p12"})
    void aClientCertificateThatChainsToTheTrustStoreIsAccepted(String trustStore) throws Exception {
        TlsContext server = TlsContext.load(clientAuth(TlsConfig.ClientAuth.NEED, trustStore));

        TlsFixtures.Ends ends = handshake(server, TlsFixtures.client("client.p12"), DEFAULTS);

        assertEquals("CN=Test Client", peerSubject(ends.server().getSession()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ca.pem", "ca-trust.p12"})
    void aClientCertificateThatDoesNotChainToTheTrustStoreIsRefused(String trustStore) throws Exception {
        TlsContext server = TlsContext.load(clientAuth(TlsConfig.ClientAuth.NEED, trustStore));
        SSLContext stranger = TlsFixtures.client("stranger.p12");

        assertThrows(SSLHandshakeException.class, () -> handshake(server, stranger, DEFAULTS));
    }

    @Test
    void needRefusesAClientWithoutCertificateAndWantServesIt() throws Exception {
        TlsContext need = TlsContext.load(clientAuth(TlsConfig.ClientAuth.NEED, "ca.pem"));
        TlsContext want = TlsContext.load(clientAuth(TlsConfig.ClientAuth.WANT, "ca.pem"));

        assertThrows(SSLHandshakeException.class, () -> handshake(need, TlsFixtures.client(), DEFAULTS));
        SSLEngine without = handshake(want, TlsFixtures.client(), DEFAULTS).server();
        assertThrows(
                SSLPeerUnverifiedException.class, () -> without.getSession().getPeerCertificates());
        assertTrue(without.getWantClientAuth());
    }

    @Test
    void aTrustStoreMustHoldATrustedCertificate() {
        assertRefused(
                "TLS: " + file("localhost.p12")
                        + ": holds no trusted certificate (add them with keytool -importcert, or use PEM)",
                clientAuth(TlsConfig.ClientAuth.WANT, "localhost.p12"));
        assertRefused(
                "TLS: " + file("localhost.key") + ": no certificate in it (expected -----BEGIN CERTIFICATE-----)",
                clientAuth(TlsConfig.ClientAuth.WANT, "localhost.key"));
    }

    @Test
    void anUnknownCipherSuiteIsRefused() {
        TlsConfig pair = pem("localhost");
        TlsConfig unknown = new TlsConfig(
                List.of(),
                "",
                pair.certificateChains(),
                pair.privateKeys(),
                pair.protocols(),
                List.of("TLS_AES_128_GCM_SHA256", "TLS_MADE_UP", "SSL_NOT_EITHER"),
                TlsConfig.ClientAuth.NONE,
                null,
                "",
                TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS);

        assertRefused("TLS: cipher suites this Java runtime does not support: TLS_MADE_UP, SSL_NOT_EITHER", unknown);
    }

    @Test
    void theDefaultSuitesAreTheDefaultsTheJdkSupportsInTheirOrder() throws Exception {
        List<String> supported =
                List.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        List<String> expected = TlsConfig.DEFAULT_CIPHER_SUITES.stream()
                .filter(supported::contains)
                .toList();

        SSLEngine engine = TlsContext.load(pem("localhost")).newEngine();

        assertFalse(expected.isEmpty());
        assertEquals(expected, List.of(engine.getEnabledCipherSuites()));
        assertTrue(engine.getSSLParameters().getUseCipherSuitesOrder());
        assertFalse(engine.getUseClientMode());
    }

    @Test
    void aClientWithoutADefaultSuiteIsRefused() throws Exception {
        TlsContext server = TlsContext.load(pem("localhost"));

        assertThrows(
                SSLHandshakeException.class,
                () -> handshake(server, TlsFixtures.client(), parameters -> {
                    parameters.setProtocols(new String[] {"TLSv1.2"});
                    parameters.setCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"});
                }));
    }

    @Test
    void theServersOrderOfSuitesWins() throws Exception {
        TlsContext server = TlsContext.load(pem("localhost"));

        SSLEngine client = handshake(server, TlsFixtures.client(), parameters -> {
                    parameters.setProtocols(new String[] {"TLSv1.2"});
                    parameters.setCipherSuites(new String[] {
                        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
                    });
                })
                .client();

        assertEquals(
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", client.getSession().getCipherSuite());
    }

    @Test
    void onlyTheConfiguredVersionsAreOffered() throws Exception {
        TlsContext both = TlsContext.load(pem("localhost"));
        TlsContext tls12 = TlsContext.load(pem("localhost").withProtocols(List.of("TLSv1.2")));

        assertEquals(
                "TLSv1.3",
                handshake(both, TlsFixtures.client(), DEFAULTS)
                        .client()
                        .getSession()
                        .getProtocol());
        assertEquals(
                "TLSv1.2",
                handshake(tls12, TlsFixtures.client(), DEFAULTS)
                        .client()
                        .getSession()
                        .getProtocol());
    }

    @Test
    void aTls11ClientIsRefusedWithAProtocolVersionAlert() throws Exception {
        // The JDK's own clients refuse to speak TLS 1.1 (jdk.tls.disabledAlgorithms): this ClientHello is made by hand.
        SSLEngine server = TlsContext.load(pem("localhost")).newEngine();
        ByteBuffer hello = ByteBuffer.wrap(tls11ClientHello());
        ByteBuffer out = ByteBuffer.allocate(server.getSession().getPacketBufferSize());
        ByteBuffer in = ByteBuffer.allocate(server.getSession().getApplicationBufferSize());

        assertThrows(SSLHandshakeException.class, () -> {
            server.unwrap(hello, in);
            for (Runnable task = server.getDelegatedTask(); task != null; task = server.getDelegatedTask()) {
                task.run();
            }
            server.wrap(ByteBuffer.allocate(0), out);
        });
        assertEquals(0, out.position());
        assertEquals(
                SSLEngineResult.Status.CLOSED,
                server.wrap(ByteBuffer.allocate(0), out).getStatus());

        // Alert record (21), any version, length 2, fatal (2), protocol_version (70): RFC 5246 §7.2.
        byte[] alert = Arrays.copyOf(out.array(), out.position());
        assertEquals(7, alert.length, Arrays.toString(alert));
        assertArrayEquals(new byte[] {21, 0, 2, 2, 70}, new byte[] {alert[0], alert[3], alert[4], alert[5], alert[6]});
    }

    @Test
    void alpnPicksHttp11AmongTheClientsOffers() throws Exception {
        TlsFixtures.Ends ends = handshake(
                TlsContext.load(pem("localhost")),
                TlsFixtures.client(),
                parameters -> parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"}));

        assertEquals("http/1.1", ends.server().getApplicationProtocol());
        assertEquals("http/1.1", ends.client().getApplicationProtocol());
    }

    @Test
    void alpnWithoutHttp11FailsTheHandshake() throws Exception {
        TlsContext server = TlsContext.load(pem("localhost"));

        assertThrows(
                SSLHandshakeException.class,
                () -> handshake(
                        server,
                        TlsFixtures.client(),
                        parameters -> parameters.setApplicationProtocols(new String[] {"h2"})));
    }

    @Test
    void aClientWithoutAlpnIsServedWithout() throws Exception {
        TlsFixtures.Ends ends = handshake(TlsContext.load(pem("localhost")), TlsFixtures.client(), DEFAULTS);

        assertEquals("", ends.server().getApplicationProtocol());
        assertEquals("", ends.client().getApplicationProtocol());
    }

    @Test
    void theSelectorFollowsRfc7301() {
        assertEquals("http/1.1", TlsContext.selectApplicationProtocol(null, List.of("h2", "http/1.1")));
        assertEquals("", TlsContext.selectApplicationProtocol(null, List.of()));
        assertNull(TlsContext.selectApplicationProtocol(null, List.of("h2", "spdy/3")));
    }

    @Test
    void buffersHoldAnyRecord() throws Exception {
        TlsContext server = TlsContext.load(pem("localhost"));

        // A record carries up to 2^14 bytes of data, plus a header, padding and a tag (RFC 8446 §5.2).
        assertTrue(server.applicationBufferSize() >= 16_384, "application " + server.applicationBufferSize());
        assertTrue(server.packetBufferSize() > 16_384 + 5, "packet " + server.packetBufferSize());
    }

    @Test
    void aReplacedPairServesNewConnectionsAfterTheNextCheck() throws Exception {
        TlsContext server = servePair("localhost");
        SSLEngine madeBefore = server.newEngine();

        replacePair("other");
        nextCheck();

        assertTrue(server.reloadIfChanged());
        assertEquals(OTHER, served(server, DEFAULTS));
        assertEquals(
                List.of("TLS: loaded the key material again after a change to [" + folder.resolve("server.pem") + ", "
                        + folder.resolve("server.key") + "]"),
                log.messages(Level.INFO));
        SSLEngine client = TlsFixtures.clientEngine(TlsFixtures.client(), DEFAULTS);
        InMemoryHandshake.run(client, madeBefore);
        assertEquals(LOCALHOST, peerSubject(client.getSession()), "an engine keeps the material it was made with");
        nextCheck();
        assertFalse(server.reloadIfChanged(), "nothing changed since");
    }

    @Test
    void theFilesAreLookedAtOncePerIntervalAtMost() throws Exception {
        TlsContext server = servePair("localhost");
        replacePair("other");

        nanoClock.addAndGet(TlsContext.RELOAD_CHECK_INTERVAL_NANOS - 1);
        assertFalse(server.reloadIfChanged());
        assertEquals(LOCALHOST, served(server, DEFAULTS));

        nanoClock.incrementAndGet();
        assertTrue(server.reloadIfChanged());
        assertFalse(server.reloadIfChanged(), "the next check is an interval away");
    }

    @Test
    void aBrokenChangeKeepsTheMaterialAndWarnsOnceUntilTheNextChange() throws Exception {
        TlsContext server = servePair("localhost");
        Path key = folder.resolve("server.key");
        Files.writeString(key, "not a key\n");
        touch(key);
        nextCheck();

        assertFalse(server.reloadIfChanged());
        assertEquals(LOCALHOST, served(server, DEFAULTS));
        List<String> warning = List.of("TLS: " + key
                + ": not a PEM private key (expected -----BEGIN PRIVATE KEY-----) (new connections keep the key"
                + " material loaded before)");
        assertEquals(warning, log.messages(Level.WARNING));

        nextCheck();
        assertFalse(server.reloadIfChanged());
        assertEquals(1, log.lines().size(), "the same broken files are not tried again");

        replacePair("other");
        nextCheck();
        assertTrue(server.reloadIfChanged());
        assertEquals(OTHER, served(server, DEFAULTS));
        assertEquals(warning, log.messages(Level.WARNING));
    }

    @Test
    void aFileThatDisappearsIsAWarningAndItsReturnAChange() throws Exception {
        TlsContext server = servePair("localhost");
        Path key = folder.resolve("server.key");
        Files.delete(key);
        nextCheck();

        assertFalse(server.reloadIfChanged());
        assertEquals(
                List.of("TLS: no such file: " + key + " (new connections keep the key material loaded before)"),
                log.messages(Level.WARNING));

        Files.copy(file("localhost.key"), key);
        nextCheck();
        assertTrue(server.reloadIfChanged());
        assertEquals(LOCALHOST, served(server, DEFAULTS));
    }

    private static TlsConfig clientAuth(TlsConfig.ClientAuth auth, String trustStore) {
        return pem("localhost").withClientAuth(auth, file(trustStore), PASSWORD);
    }

    private static void assertRefused(String message, TlsConfig config) {
        IOException refusal = assertThrows(IOException.class, () -> TlsContext.load(config));
        assertEquals(message, refusal.getMessage());
    }

    /** Serves a PEM pair of the fixtures from copies in the test's folder, with the test's clock and logger. */
    private TlsContext servePair(String name) throws IOException {
        Path chain = folder.resolve("server.pem");
        Path key = folder.resolve("server.key");
        Files.copy(file(name + ".pem"), chain);
        Files.copy(file(name + ".key"), key);
        return TlsContext.load(TlsConfig.pem(chain, key), nanoClock::get, log);
    }

    private void replacePair(String name) throws IOException {
        for (String extension : List.of(".pem", ".key")) {
            Path target = folder.resolve("server" + extension);
            Files.copy(file(name + extension), target, StandardCopyOption.REPLACE_EXISTING);
            touch(target);
        }
    }

    /** Moves the modification time well ahead: file systems may keep it in coarse steps, and a copy may keep it. */
    private static void touch(Path file) throws IOException {
        FileTime modified = Files.getLastModifiedTime(file);
        Files.setLastModifiedTime(file, FileTime.fromMillis(modified.toMillis() + 10_000));
    }

    private void nextCheck() {
        nanoClock.addAndGet(TlsContext.RELOAD_CHECK_INTERVAL_NANOS);
    }

    /** A TLS 1.1 ClientHello (RFC 4346 §7.4.1.2) offering two RSA suites, with no extensions. */
    private static byte[] tls11ClientHello() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {3, 2}); // client_version TLS 1.1
        body.writeBytes(new byte[32]); // random
        body.writeBytes(new byte[] {0}); // no session id
        body.writeBytes(new byte[] {0, 4, (byte) 0xc0, 0x13, 0x00, 0x2f}); // ECDHE_RSA / RSA with AES_128_CBC_SHA
        body.writeBytes(new byte[] {1, 0}); // null compression
        int length = body.size();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {22, 3, 1, 0, (byte) (length + 4)}); // handshake record
        record.writeBytes(new byte[] {1, 0, 0, (byte) length}); // client_hello
        record.writeBytes(body.toByteArray());
        return record.toByteArray();
    }
}

package dev.plinth.http.transport;

import static dev.plinth.http.transport.TlsFixtures.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading certificates and private keys from PEM, and the refusals an operator may meet. */
class PemTest {

    private static final Path KEY = Path.of("/etc/x.key");

    @Test
    void pkcs1RsaKeyIsTheSameKeyAsItsPkcs8Form() throws IOException {
        RSAPrivateKey pkcs8 = (RSAPrivateKey) key("localhost.key");
        RSAPrivateKey pkcs1 = (RSAPrivateKey) key("localhost.pkcs1.key");

        assertEquals(pkcs8.getModulus(), pkcs1.getModulus());
        assertEquals(pkcs8.getPrivateExponent(), pkcs1.getPrivateExponent());
    }

    @Test
    void sec1EcKeyIsTheSameKeyAsItsPkcs8Form() throws IOException {
        ECPrivateKey pkcs8 = (ECPrivateKey) key("other.key");
        ECPrivateKey sec1 = (ECPrivateKey) key("other.sec1.key");

        assertEquals("EC", sec1.getAlgorithm());
        assertEquals(pkcs8.getS(), sec1.getS());
        assertEquals(pkcs8.getParams().getCurve(), sec1.getParams().getCurve());
    }

    @Test
    void readsEveryCertificateOfAChainInOrder() throws Exception {
        List<X509Certificate> chain = Pem.certificates(KEY, Files.readAllBytes(file("other.pem")));

        assertEquals(List.of(TlsFixtures.certificate("other.pem"), TlsFixtures.certificate("ca.pem")), chain);
    }

    @Test
    void ignoresTextOutsideBlocks() throws Exception {
        String exported = "Bag Attributes\n    localKeyID: 01 02\nsubject=CN = other.test\n"
                + Files.readString(file("other.pem"));

        assertEquals(2, Pem.certificates(KEY, bytes(exported)).size());
    }

    @Test
    void isPemByContent() throws IOException {
        assertTrue(Pem.isPem(Files.readAllBytes(file("ca.pem"))));
        assertFalse(Pem.isPem(Files.readAllBytes(file("localhost.p12"))));
    }

    @Test
    void refusesAKeyFileWithoutKey() throws IOException {
        assertRefused(
                "not a PEM private key (expected -----BEGIN PRIVATE KEY-----)", Files.readAllBytes(file("ca.pem")));
        assertRefused(
                "not a PEM private key (expected -----BEGIN PRIVATE KEY-----)",
                Files.readAllBytes(file("localhost.p12")));
    }

    @Test
    void refusesAChainFileWithoutCertificate() throws IOException {
        IOException refusal =
                assertThrows(IOException.class, () -> Pem.certificates(KEY, Files.readAllBytes(file("localhost.key"))));

        assertEquals(
                "TLS: /etc/x.key: no certificate in it (expected -----BEGIN CERTIFICATE-----)", refusal.getMessage());
    }

    @Test
    void refusesEncryptedKeys() throws IOException {
        String encrypted = "the private key is encrypted, and only unencrypted keys are read (decrypt it with:"
                + " openssl pkey -in KEY -out NEW_KEY; keep NEW_KEY readable by the server alone)";
        assertRefused(encrypted, Files.readAllBytes(file("localhost.encrypted.key")));
        assertRefused(encrypted, Files.readAllBytes(file("localhost.pkcs1-encrypted.key")));
    }

    @Test
    void refusesTwoKeys() throws IOException {
        byte[] two = bytes(Files.readString(file("localhost.key")) + Files.readString(file("other.key")));

        assertRefused("holds 2 private keys, not one", two);
    }

    @Test
    void refusesAnEcKeyThatDoesNotNameItsCurve() {
        // ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING (32 bytes) }: no [0] parameters
        byte[] sec1 = new byte[39];
        System.arraycopy(new byte[] {0x30, 0x25, 0x02, 0x01, 0x01, 0x04, 0x20}, 0, sec1, 0, 7);
        sec1[38] = 1;

        assertRefused(
                "an EC private key that does not name its curve;"
                        + " convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out NEW_KEY",
                block("EC PRIVATE KEY", Base64.getEncoder().encodeToString(sec1)));
    }

    @Test
    void refusesOtherKindsOfKey() {
        assertRefused(
                "an unsupported kind of private key (-----BEGIN OPENSSH PRIVATE KEY-----);"
                        + " convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out NEW_KEY",
                block("OPENSSH PRIVATE KEY", "AAAA"));
    }

    @Test
    void refusesDamagedBlocks() {
        assertRefused("damaged PEM: the PRIVATE KEY block is not valid base64", block("PRIVATE KEY", "MI*"));
        assertRefused("the private key is damaged", block("PRIVATE KEY", "MIIBAAAA"));
        assertRefused("the RSA private key is damaged", block("RSA PRIVATE KEY", ""));
        assertRefused(
                "damaged PEM: -----BEGIN PRIVATE KEY----- has no end line",
                bytes("-----BEGIN PRIVATE KEY-----\nMIIB\n"));
        assertRefused(
                "damaged PEM: -----BEGIN PRIVATE KEY----- ends with -----END CERTIFICATE-----",
                bytes("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END CERTIFICATE-----\n"));
    }

    @Test
    void refusesAKeyOfAnUnknownAlgorithm() {
        // PrivateKeyInfo ::= SEQUENCE { 0, SEQUENCE { OID 1.2.3 }, OCTET STRING {} }
        byte[] pkcs8 = {0x30, 0x0a, 0x02, 0x01, 0x00, 0x30, 0x04, 0x06, 0x02, 0x2a, 0x03, 0x04, 0x00};
        pkcs8[1] = (byte) (pkcs8.length - 2);

        assertRefused(
                "a private key of an unsupported algorithm (OID 1.2.3)",
                block("PRIVATE KEY", Base64.getEncoder().encodeToString(pkcs8)));
    }

    private static PrivateKey key(String name) throws IOException {
        return Pem.privateKey(file(name), Files.readAllBytes(file(name)));
    }

    private static byte[] block(String label, String base64) {
        return bytes("-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static void assertRefused(String problem, byte[] keyFile) {
        IOException refusal = assertThrows(IOException.class, () -> Pem.privateKey(KEY, keyFile));
        assertEquals("TLS: /etc/x.key: " + problem, refusal.getMessage());
    }
}

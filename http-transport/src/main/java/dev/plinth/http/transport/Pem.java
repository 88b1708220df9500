package dev.plinth.http.transport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Reads PEM files (RFC 7468) with the JDK alone: certificates, and unencrypted private keys in the three encodings
 * OpenSSL writes: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) and SEC1 EC
 * ({@code BEGIN EC PRIVATE KEY}). The JDK's key factories read PKCS#8 only, so the other two are wrapped into it
 * (RFC 5208 §5; RFC 5915 §3 for EC). Every failure is an {@link IOException} naming the file, in one line.
 */
final class Pem {

    /** What every PEM block starts with; a file holding it is PEM, any other is binary (DER, PKCS#12). */
    static final String BEGIN = "-----BEGIN ";

    private static final String END = "-----END ";
    private static final String DASHES = "-----";
    private static final String CONVERT = "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out NEW_KEY";

    /** The key algorithms a PKCS#8 key may name (its AlgorithmIdentifier), as the JDK's key factories call them. */
    private static final Map<String, String> KEY_ALGORITHMS = Map.of(
            "1.2.840.113549.1.1.1", "RSA",
            "1.2.840.113549.1.1.10", "RSASSA-PSS",
            "1.2.840.10045.2.1", "EC",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448");

    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
    };
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};
    private static final int SEQUENCE = 0x30;
    private static final int OCTET_STRING = 0x04;
    private static final int OBJECT_IDENTIFIER = 0x06;
    private static final int EC_PARAMETERS = 0xa0;

    private Pem() {}

    /**
     * @param content a file's bytes
     * @return whether they hold a PEM block (else they are taken for binary)
     */
    static boolean isPem(byte[] content) {
        return new String(content, StandardCharsets.ISO_8859_1).contains(BEGIN);
    }

    /**
     * Reads every {@code CERTIFICATE} block, in order.
     *
     * @param file where the content comes from, for messages
     * @param content its bytes
     * @return at least one certificate
     * @throws IOException when there is none, or one is damaged
     */
    static List<X509Certificate> certificates(Path file, byte[] content) throws IOException {
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("every JDK has an X.509 certificate factory", e);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks(file, content)) {
            if (block.label().equals("CERTIFICATE")) {
                try {
                    certificates.add(
                            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                } catch (CertificateException e) {
                    throw KeyMaterial.problem(file, "certificate " + (certificates.size() + 1) + " is damaged");
                }
            }
        }
        if (certificates.isEmpty()) {
            throw KeyMaterial.problem(file, "no certificate in it (expected " + BEGIN + "CERTIFICATE-----)");
        }
        return certificates;
    }

    /**
     * Reads the one private key block.
     *
     * @param file where the content comes from, for messages
     * @param content its bytes
     * @return the key
     * @throws IOException when there is no key, more than one, or it is encrypted, damaged or of an unknown kind
     */
    static PrivateKey privateKey(Path file, byte[] content) throws IOException {
        List<Block> keys = new ArrayList<>();
        for (Block block : blocks(file, content)) {
            if (block.label().endsWith("PRIVATE KEY")) {
                keys.add(block);
            }
        }
        if (keys.isEmpty()) {
            throw KeyMaterial.problem(file, "not a PEM private key (expected " + BEGIN + "PRIVATE KEY-----)");
        }
        if (keys.size() > 1) {
            throw KeyMaterial.problem(file, "holds " + keys.size() + " private keys, not one");
        }
        Block key = keys.get(0);
        if (key.encrypted() || key.label().equals("ENCRYPTED PRIVATE KEY")) {
            throw KeyMaterial.problem(
                    file,
                    "the private key is encrypted, and only unencrypted keys are read (decrypt it with:"
                            + " openssl pkey -in KEY -out NEW_KEY; keep NEW_KEY readable by the server alone)");
        }
        try {
            switch (key.label()) {
                case "PRIVATE KEY":
                    return pkcs8(file, key.der());
                case "RSA PRIVATE KEY":
                    return pkcs8(file, der(SEQUENCE, VERSION_0, RSA_ALGORITHM, der(OCTET_STRING, key.der())));
                case "EC PRIVATE KEY":
                    return pkcs8(file, fromSec1(file, key.der()));
                default:
                    throw KeyMaterial.problem(
                            file, "an unsupported kind of private key (" + BEGIN + key.label() + "-----); " + CONVERT);
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw KeyMaterial.problem(file, "the private key is damaged");
        }
    }

    /** Makes a key of the algorithm that the PKCS#8 encoding names. */
    private static PrivateKey pkcs8(Path file, byte[] pkcs8) throws IOException {
        // PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier ::= SEQUENCE { algorithm OID, ... }, key }
        Der algorithm = Der.read(pkcs8, 0).children().get(1).children().get(0);
        if (algorithm.tag() != OBJECT_IDENTIFIER) {
            throw new IllegalArgumentException("no algorithm identifier");
        }
        String oid = algorithm.objectIdentifier();
        String name = KEY_ALGORITHMS.get(oid);
        if (name == null) {
            throw KeyMaterial.problem(file, "a private key of an unsupported algorithm (OID " + oid + ")");
        }
        try {
            return KeyFactory.getInstance(name).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw KeyMaterial.problem(file, "the " + name + " private key is damaged");
        }
    }

    /** Wraps a SEC1 ECPrivateKey, which names its curve in its optional [0] parameters, into PKCS#8. */
    private static byte[] fromSec1(Path file, byte[] sec1) throws IOException {
        for (Der field : Der.read(sec1, 0).children()) {
            if (field.tag() == EC_PARAMETERS) {
                byte[] curve = field.content();
                byte[] algorithm = der(SEQUENCE, EC_PUBLIC_KEY_OID, curve);
                return der(SEQUENCE, VERSION_0, algorithm, der(OCTET_STRING, sec1));
            }
        }
        throw KeyMaterial.problem(file, "an EC private key that does not name its curve; " + CONVERT);
    }

    /** A DER element (ITU-T X.690): its tag and the bounds of its content in the whole encoding. */
    private record Der(int tag, byte[] encoding, int contentStart, int end) {

        /** Reads the element at offset; single-byte tags and lengths up to 2^24 are all keys use. */
        static Der read(byte[] encoding, int offset) {
            int tag = encoding[offset] & 0xff;
            int length = encoding[offset + 1] & 0xff;
            int position = offset + 2;
            if (length > 0x7f) {
                int lengthBytes = length & 0x7f;
                if (lengthBytes == 0 || lengthBytes > 3) {
                    throw new IllegalArgumentException("unsupported DER length");
                }
                length = 0;
                for (int i = 0; i < lengthBytes; i++) {
                    length = (length << 8) | (encoding[position++] & 0xff);
                }
            }
            if (position + length > encoding.length) {
                throw new IllegalArgumentException("DER element longer than its input");
            }
            return new Der(tag, encoding, position, position + length);
        }

        List<Der> children() {
            List<Der> children = new ArrayList<>();
            int position = contentStart;
            while (position < end) {
                Der child = read(encoding, position);
                if (child.end > end) {
                    throw new IllegalArgumentException("DER element longer than its parent");
                }
                children.add(child);
                position = child.end;
            }
            return children;
        }

        byte[] content() {
            return Arrays.copyOfRange(encoding, contentStart, end);
        }

        /** The dotted form of an OBJECT IDENTIFIER's content. */
        String objectIdentifier() {
            StringBuilder dotted = new StringBuilder();
            long arc = 0;
            for (int i = contentStart; i < end; i++) {
                arc = (arc << 7) | (encoding[i] & 0x7f);
                if ((encoding[i] & 0x80) == 0) {
                    if (dotted.length() == 0) {
                        int first = (int) Math.min(arc / 40, 2);
                        dotted.append(first).append('.').append(arc - 40L * first);
                    } else {
                        dotted.append('.').append(arc);
                    }
                    arc = 0;
                }
            }
            return dotted.toString();
        }
    }

    /** Encodes a DER element of the given tag around the concatenated parts. */
    private static byte[] der(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        ByteArrayOutputStream element = new ByteArrayOutputStream();
        element.write(tag);
        int length = content.size();
        if (length < 0x80) {
            element.write(length);
        } else {
            int lengthBytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            element.write(0x80 | lengthBytes);
            for (int shift = 8 * (lengthBytes - 1); shift >= 0; shift -= 8) {
                element.write(length >>> shift);
            }
        }
        element.writeBytes(content.toByteArray());
        return element.toByteArray();
    }

    /** One PEM block: its label, its decoded content, and whether an RFC 1421 header says it is encrypted. */
    private record Block(String label, byte[] der, boolean encrypted) {}

    /** Every block of the text, in order; text outside blocks (OpenSSL's "Bag Attributes", say) is ignored. */
    private static List<Block> blocks(Path file, byte[] content) throws IOException {
        List<Block> blocks = new ArrayList<>();
        String label = null;
        boolean encrypted = false;
        StringBuilder base64 = new StringBuilder();
        for (String line : new String(content, StandardCharsets.ISO_8859_1).split("\r?\n|\r")) {
            String text = line.strip();
            int begin = text.indexOf(BEGIN);
            if (label == null) {
                if (begin >= 0 && text.endsWith(DASHES)) {
                    label = text.substring(begin + BEGIN.length(), text.length() - DASHES.length());
                    encrypted = false;
                    base64.setLength(0);
                }
            } else if (text.startsWith(END)) {
                if (!text.equals(END + label + DASHES)) {
                    throw KeyMaterial.problem(file, "damaged PEM: " + BEGIN + label + "----- ends with " + text);
                }
                try {
                    blocks.add(new Block(label, Base64.getDecoder().decode(base64.toString()), encrypted));
                } catch (IllegalArgumentException e) {
                    throw KeyMaterial.problem(file, "damaged PEM: the " + label + " block is not valid base64");
                }
                label = null;
            } else if (text.indexOf(':') >= 0) {
                encrypted |= text.startsWith("Proc-Type:") && text.contains("ENCRYPTED");
            } else {
                base64.append(text);
            }
        }
        if (label != null) {
            throw KeyMaterial.problem(file, "damaged PEM: " + BEGIN + label + "----- has no end line");
        }
        return blocks;
    }
}

package dev.plinth.distribution.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.distribution.it.HttpProbe.Reply;
import dev.plinth.distribution.it.Tools.Run;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTPS as a user meets it: a copy of the distribution, key material made with README's own {@code openssl req}
 * command, the shipped example listener enabled by copying its {@code .cfg.example}, {@code java -jar plinth.jar}, and
 * real clients over loopback: curl, {@code openssl s_client}, Node's {@code fetch} and the JDK's {@code HttpClient}.
 * Each test starts its own server; the tools must be on the PATH (a missing one fails the test, it is not skipped).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpsIT extends ProcessTest {

    private static final Duration RELOAD_WAIT = Duration.ofSeconds(10);
    private static final String EXAMPLE = "etc/dev.plinth.http.listener-https.cfg.example";
    // README's and the example's own key pair, relative to the home folder
    private static final String CERTIFICATE = "etc/tls/localhost.pem";
    private static final String KEY = "etc/tls/localhost.key";

    private Path home;

    @Test
    void theExampleListenerServesCurlNodeAndTheJdkHttpClientOverHttp11() throws Exception {
        int https = startWithTheExample();
        int main = server.awaitServingHttp(START_WAIT);
        byte[] index = Files.readAllBytes(home.resolve("www/index.html"));

        // curl as README shows it, from the home folder
        Path headers = temp.resolve("headers.txt");
        Path body = temp.resolve("body");
        Run curl = curl(
                "--cacert",
                CERTIFICATE,
                "-D",
                headers.toString(),
                "-o",
                body.toString(),
                "-w",
                "%{http_code} %{http_version}",
                "https://localhost:" + https + "/");
        assertEquals("200 1.1", curl.out(), curl.toString());
        assertArrayEquals(index, Files.readAllBytes(body), "www/index.html's bytes over HTTPS");
        assertTrue(
                lines(Files.readString(headers)).contains("Strict-Transport-Security: max-age=600"),
                "HSTS over HTTPS: " + Files.readString(headers));

        Run plain = curl("-w", "\n%{http_code}", "http://127.0.0.1:" + https + "/");
        assertTrue(
                plain.out().endsWith("\n400")
                        && plain.out().contains("This port speaks HTTPS: the request was sent as plain HTTP."),
                "plain HTTP to the HTTPS port: " + plain);

        Run mainListener = curl("-D", "-", "-o", body.toString(), "http://127.0.0.1:" + main + "/");
        assertTrue(mainListener.out().startsWith("HTTP/1.1 200 "), mainListener.toString());
        assertFalse(
                mainListener.out().toLowerCase().contains("strict-transport-security"),
                "no HSTS over plain HTTP: " + mainListener);

        Run node = run(
                home,
                Map.of("NODE_EXTRA_CA_CERTS", home.resolve(CERTIFICATE).toString()),
                "node",
                "-e",
                "fetch(process.argv[1]).then(r => r.arrayBuffer().then(b => console.log(r.status + ' ' + b.byteLength"
                        + " + ' ' + require('crypto').createHash('sha256').update(Buffer.from(b)).digest('hex'))))"
                        + ".catch(e => { console.error(e, e.cause); process.exit(1); })",
                "https://localhost:" + https + "/");
        assertEquals(0, node.exit(), node.toString());
        assertEquals("200 " + index.length + " " + sha256(index), node.out(), "Node's fetch");

        HttpClient jdk = HttpClient.newBuilder()
                .sslContext(trusting(certificate(home.resolve(CERTIFICATE))))
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(5))
                .build(); // offers h2 and http/1.1 (ALPN): the server picks http/1.1
        HttpResponse<byte[]> response = jdk.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + https + "/"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals(HttpClient.Version.HTTP_1_1, response.version());
        assertArrayEquals(index, response.body(), "the JDK HttpClient");
        assertEquals(
                "max-age=600",
                response.headers().firstValue("strict-transport-security").orElse(null));
    }

    @Test
    void handshakesPickTheCertificateBySniAndOfferOnlyTls13And12WithAeadSuitesAndHttp11() throws Exception {
        int https = startWithTheExample();

        assertEquals("CN=other.test", subject(handshake(https, "-servername", "other.test")));
        assertEquals("CN=localhost", subject(handshake(https, "-servername", "localhost")));
        assertEquals("CN=localhost", subject(handshake(https, "-noservername")), "no SNI: the first");
        assertEquals("CN=localhost", subject(handshake(https, "-servername", "nobody.test")), "no match: the first");

        Run alpn = handshake(https, "-alpn", "h2,http/1.1");
        assertTrue(alpn.out().contains("ALPN protocol: http/1.1"), alpn.toString());
        assertRefused(https, "no application protocol", "-alpn", "h2");

        // OpenSSL 3 sends TLS 1.1 only at security level 0
        assertRefused(https, "protocol version", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        // CBC suites: with RSA key exchange (no RSA key here either) and, the one this EC key could serve, with ECDHE
        assertRefused(https, "handshake failure", "-tls1_2", "-cipher", "AES128-SHA");
        assertRefused(https, "handshake failure", "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA");
        assertRefused(https, "handshake failure", "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256");

        Run tls13 = handshake(https, "-tls1_3");
        assertTrue(tls13.out().contains("New, TLSv1.3, Cipher is TLS_"), tls13.toString());
        Run tls12 = handshake(https, "-tls1_2");
        assertTrue(
                Pattern.compile(
                                "New, TLSv1\\.2, Cipher is ECDHE-ECDSA-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)")
                        .matcher(tls12.out())
                        .find(),
                tls12.toString());
    }

    @Test
    void aRenewedCertificateServesNewConnectionsWhileAnOpenOneKeepsItsOwn() throws Exception {
        int https = startWithTheExample();
        X509Certificate first = certificate(home.resolve(CERTIFICATE));

        try (SSLSocket open = connect(trusting(first), https)) {
            assertEquals(200, get(open).status(), "the first request on the open connection");

            Path renewed = Files.createDirectories(temp.resolve("renewed"));
            selfSigned(renewed, "localhost", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
            X509Certificate second = certificate(renewed.resolve("localhost.pem"));
            assertNotEquals(first.getSerialNumber(), second.getSerialNumber());
            Files.move(renewed.resolve("localhost.key"), home.resolve(KEY), StandardCopyOption.REPLACE_EXISTING);
            Files.move(
                    renewed.resolve("localhost.pem"), home.resolve(CERTIFICATE), StandardCopyOption.REPLACE_EXISTING);

            long deadline = System.nanoTime() + RELOAD_WAIT.toNanos();
            while (true) {
                try (SSLSocket fresh = connect(trusting(first, second), https)) {
                    BigInteger seen = ((X509Certificate) fresh.getSession().getPeerCertificates()[0]).getSerialNumber();
                    if (seen.equals(second.getSerialNumber())) {
                        assertEquals(200, get(fresh).status(), "a request on a new connection");
                        break;
                    }
                }
                assertTrue(System.nanoTime() < deadline, "still the first certificate after " + RELOAD_WAIT);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // polls for the reload
            }

            assertEquals(200, get(open).status(), "the second request on the connection opened before the renewal");
            assertEquals(
                    first.getSerialNumber(),
                    ((X509Certificate) open.getSession().getPeerCertificates()[0]).getSerialNumber(),
                    "the open connection keeps its certificate");
        }
    }

    @Test
    void clientCertificatesTheRedirectToHttpsAndABrokenPairBesideTheOthers() throws Exception {
        int[] ports = Tools.freePorts(3);
        int https = ports[0];
        int mtls = ports[1];
        int broken = ports[2];
        enableTheExample(https);
        Path ca = Files.createDirectories(temp.resolve("ca"));
        clientCertificates(ca);
        Files.copy(ca.resolve("clients-ca.pem"), home.resolve("etc/tls/clients-ca.pem"));
        String example = Files.readString(home.resolve(EXAMPLE));
        Files.writeString(
                home.resolve("etc/dev.plinth.http.listener-mtls.cfg"),
                replace(
                        replace(onPort(example, mtls), "#tlsClientAuth=need", "tlsClientAuth=need"),
                        "#tlsTrustStore=",
                        "tlsTrustStore="));
        Files.writeString(
                home.resolve("etc/dev.plinth.http.listener-broken.cfg"),
                replace(
                        onPort(example, broken),
                        "tlsPrivateKey=${plinth.base}/etc/tls/localhost.key",
                        "tlsPrivateKey=${plinth.base}/etc/tls/other.test.key"));
        Path mainCfg = home.resolve("etc/dev.plinth.http.cfg");
        Files.writeString(mainCfg, Files.readString(mainCfg) + "redirectToHttpsPort=" + https + "\n");

        server = PlinthProcess.start(home, temp);
        int main = Integer.parseInt(server.awaitMatch(
                        Pattern.compile(
                                "Plinth redirecting http://127\\.0\\.0\\.1:(\\d+)/ to HTTPS port " + https + "$"),
                        START_WAIT)
                .group(1));
        awaitServingHttps(https);
        awaitServingHttps(mtls);
        String refused = server.awaitLine("does not start", START_WAIT);

        Run anonymous = curl("--cacert", CERTIFICATE, "-w", "%{http_code}", "https://localhost:" + mtls + "/");
        assertNotEquals(0, anonymous.exit(), "no client certificate: " + anonymous);
        assertEquals("000", anonymous.out(), anonymous.toString());
        Path body = temp.resolve("body");
        Run known = curl(
                "--cacert",
                CERTIFICATE,
                "--cert",
                ca.resolve("client.pem").toString(),
                "--key",
                ca.resolve("client.key").toString(),
                "-o",
                body.toString(),
                "-w",
                "%{http_code}",
                "https://localhost:" + mtls + "/");
        assertEquals("200", known.out(), known.toString());
        assertArrayEquals(Files.readAllBytes(home.resolve("www/index.html")), Files.readAllBytes(body));

        Run redirect = curl("-I", "-H", "Host: localhost:" + main, "http://127.0.0.1:" + main + "/x?y=1");
        List<String> head = lines(redirect.out());
        assertTrue(head.get(0).startsWith("HTTP/1.1 308 "), redirect.toString());
        assertTrue(head.contains("Location: https://localhost:" + https + "/x?y=1"), redirect.toString());
        assertFalse(redirect.out().toLowerCase().contains("strict-transport-security"), redirect.toString());
        assertEquals(
                "200",
                curl(
                                "--cacert",
                                CERTIFICATE,
                                "-o",
                                body.toString(),
                                "-w",
                                "%{http_code}",
                                "https://localhost:" + https + "/")
                        .out(),
                "the example listener serves beside the broken one");

        assertTrue(
                refused.contains(
                        "listener dev.plinth.http.listener~broken on 0.0.0.0:" + broken + " does not start: TLS: "),
                refused);
        assertTrue(refused.contains("does not belong"), refused);
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", broken).close(), "nothing listens");
        List<String> refusals = server.output().stream()
                .filter(line -> line.contains("does not start"))
                .toList();
        assertEquals(List.of(refused), refusals, "one line");
    }

    /** Enables the example on a free port and starts the server; returns once it serves HTTPS, with the port. */
    private int startWithTheExample() throws Exception {
        int https = Tools.freePorts(1)[0];
        enableTheExample(https);
        server = PlinthProcess.start(home, temp);
        awaitServingHttps(https);
        return https;
    }

    /**
     * Makes the home folder: a copy of the distribution (stopping without delay), README's key pair, a second one for
     * {@code other.test}, and the example listener enabled as README says (copied to {@code .cfg}), on this port,
     * serving both pairs, with HSTS.
     */
    private void enableTheExample(int port) throws Exception {
        home = PlinthProcess.copyHome(temp.resolve("home"));
        Path shutdown = home.resolve("etc/dev.plinth.shutdown.cfg"); // no load balancer to wait for at the stop
        Files.writeString(shutdown, replace(Files.readString(shutdown), "delayMillis=5000", "delayMillis=0"));
        String command = readmeKeyCommand();
        Run readme = run(home, Map.of(), "sh", "-c", command);
        assertEquals(0, readme.exit(), "README's command: " + command + ": " + readme);
        assertTrue(Files.isRegularFile(home.resolve(KEY)), "README's command makes " + KEY);
        selfSigned(home.resolve("etc/tls"), "other.test", "other.test", "subjectAltName=DNS:other.test");

        String example = Files.readString(home.resolve(EXAMPLE));
        assertTrue(normalized(example).contains(normalized(command)), "the example shows README's command");
        String enabled = onPort(example, port);
        enabled = replace(
                enabled,
                "tlsCertificate=${plinth.base}/etc/tls/localhost.pem\n",
                "tlsCertificate=${plinth.base}/etc/tls/localhost.pem,${plinth.base}/etc/tls/other.test.pem\n");
        enabled = replace(
                enabled,
                "tlsPrivateKey=${plinth.base}/etc/tls/localhost.key\n",
                "tlsPrivateKey=${plinth.base}/etc/tls/localhost.key,${plinth.base}/etc/tls/other.test.key\n");
        Files.writeString(home.resolve("etc/dev.plinth.http.listener-https.cfg"), enabled + "hstsMaxAgeSeconds=600\n");
    }

    /** The {@code openssl req} command of README's "HTTPS" section, with its {@code mkdir}, as written there. */
    private static String readmeKeyCommand() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("plinth.it.readme")));
        int section = readme.indexOf("\n## HTTPS\n");
        assertTrue(section >= 0, "README has an HTTPS section");
        int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        for (String command : block.split("(?<!\\\\)\n")) {
            if (command.contains("openssl req")) {
                return command;
            }
        }
        throw new AssertionError("no openssl req command in README's HTTPS section: " + block);
    }

    /** Whitespace collapsed and comment marks dropped, to compare a command with its copy in a comment. */
    private static String normalized(String text) {
        return text.replaceAll("(?m)^#", " ").replaceAll("\\s+", " ");
    }

    /** The example listener's text on another port. */
    private static String onPort(String example, int port) {
        return replace(example, "\nport=8443\n", "\nport=" + port + "\n");
    }

    private static String replace(String text, String target, String replacement) {
        assertTrue(text.contains(target), "the text has '" + target + "'");
        return text.replace(target, replacement);
    }

    /**
     * A self-signed certificate for a new P-256 key, valid for two days: {@code NAME.pem} and {@code NAME.key} in the
     * folder.
     *
     * @param commonName the subject's CN
     * @param extensions X.509 extensions, as {@code -addext} takes them
     */
    private void selfSigned(Path folder, String name, String commonName, String... extensions) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("req", "-x509", "-days", "2"));
        for (String extension : extensions) {
            arguments.addAll(List.of("-addext", extension));
        }
        openssl(folder, newKey(arguments, name, commonName, ".pem"));
    }

    /**
     * A CA, {@code clients-ca.pem}, and a client certificate it signed, {@code client.pem} with {@code client.key}.
     */
    private void clientCertificates(Path folder) throws Exception {
        selfSigned(
                folder,
                "clients-ca",
                "Plinth test clients CA",
                "basicConstraints=critical,CA:TRUE",
                "keyUsage=critical,keyCertSign");
        openssl(folder, newKey(new ArrayList<>(List.of("req", "-new")), "client", "client", ".csr"));
        Files.writeString(folder.resolve("client.ext"), "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
        openssl(
                folder,
                List.of(
                        "x509",
                        "-req",
                        "-in",
                        "client.csr",
                        "-CA",
                        "clients-ca.pem",
                        "-CAkey",
                        "clients-ca.key",
                        "-set_serial",
                        "2",
                        "-days",
                        "2",
                        "-extfile",
                        "client.ext",
                        "-out",
                        "client.pem"));
    }

    /** {@code openssl req} arguments completed to make a new unencrypted P-256 key, NAME.key, and NAME + output. */
    private static List<String> newKey(List<String> arguments, String name, String commonName, String output) {
        arguments.addAll(List.of(
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-subj",
                "/CN=" + commonName,
                "-keyout",
                name + ".key",
                "-out",
                name + output));
        return arguments;
    }

    private void openssl(Path folder, List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(arguments);
        Run openssl = run(folder, Map.of(), command.toArray(String[]::new));
        assertEquals(0, openssl.exit(), openssl.toString());
    }

    /** Waits for the log line of the HTTPS listener on this port. */
    private void awaitServingHttps(int port) throws InterruptedException {
        server.awaitMatch(Pattern.compile("Plinth serving https://[^/]+:" + port + "/"), START_WAIT);
    }

    /** Runs curl (silent but for errors, no proxy) from the home folder. */
    private Run curl(String... arguments) throws Exception {
        return Tools.curl(temp, home, arguments);
    }

    /** Runs {@code openssl s_client} to 127.0.0.1 on the port, standard input closed; its handshake must succeed. */
    private Run handshake(int port, String... arguments) throws Exception {
        Run sClient = sClient(port, arguments);
        assertEquals(0, sClient.exit(), sClient.toString());
        return sClient;
    }

    /** Runs {@code openssl s_client} as {@link #handshake}; the server must end the handshake with this alert. */
    private void assertRefused(int port, String alert, String... arguments) throws Exception {
        Run sClient = sClient(port, arguments);
        assertEquals(1, sClient.exit(), sClient.toString());
        assertTrue(sClient.err().contains("alert " + alert), sClient.toString());
    }

    private Run sClient(int port, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
        command.addAll(List.of(arguments));
        return run(home, Map.of(), command.toArray(String[]::new));
    }

    /** The subject s_client shows, spaces removed (OpenSSL versions space it differently). */
    private static String subject(Run sClient) {
        return lines(sClient.out()).stream()
                .filter(line -> line.startsWith("subject="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no subject: " + sClient))
                .substring("subject=".length())
                .replace(" ", "");
    }

    private Run run(Path directory, Map<String, String> environment, String... command) throws Exception {
        return Tools.run(temp, directory, environment, command);
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** A fresh client context (no sessions to resume) trusting exactly these certificates. */
    private static SSLContext trusting(X509Certificate... certificates) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (int i = 0; i < certificates.length; i++) {
            trusted.setCertificateEntry("trusted-" + i, certificates[i]);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** A TLS connection to 127.0.0.1 (no SNI: the first certificate), its handshake done. */
    private static SSLSocket connect(SSLContext context, int port) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
        try {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** One keep-alive request on the connection, its whole response read. */
    private static Reply get(SSLSocket socket) throws IOException {
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return HttpProbe.read(socket.getInputStream()); // unbuffered: the connection's next answer stays unread
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}

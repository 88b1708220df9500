package dev.plinth.http.transport;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;

/**
 * A server's TLS: the key material that a {@link TlsConfig} names, the {@link SSLContext} made of it, and the server
 * engines it configures. The acceptor calls {@link #reloadIfChanged()} before it sets up each new connection, so that
 * certificates renewed on disk serve new connections without a restart; connections open keep the engine they have.
 *
 * <p>Each engine offers the configured protocol versions and cipher suites, in the server's order of preference;
 * asks for client certificates as configured; presents the certificate that names the host the client asked for
 * ({@link SniKeyManager}); and agrees on an application protocol among {@link #APPLICATION_PROTOCOLS} (ALPN, RFC
 * 7301) when the client offers some.
 *
 * <p>Thread-safe: {@link #newEngine()} and the buffer sizes may be called from any thread, and
 * {@link #reloadIfChanged()} too, though one acceptor thread is its expected caller.
 */
final class TlsContext implements TlsEngines {

    /**
     * The application protocols the server speaks over TLS, most preferred first; {@code h2} would join at the head.
     */
    static final List<String> APPLICATION_PROTOCOLS = List.of("http/1.1");

    /** How often at most {@link #reloadIfChanged()} looks at the files. */
    static final long RELOAD_CHECK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final System.Logger LOG = System.getLogger(TlsContext.class.getName());

    private final TlsConfig config;
    private final List<Path> files;
    private final LongSupplier nanoClock;
    private final System.Logger log;
    private final AtomicLong nextCheckNanos;
    private List<FileStamp> seen; // guarded by this
    private volatile Loaded loaded;

    private TlsContext(
            TlsConfig config, List<FileStamp> seen, Loaded loaded, LongSupplier nanoClock, System.Logger log) {
        this.config = config;
        this.files = watchedFiles(config);
        this.seen = seen;
        this.loaded = loaded;
        this.nanoClock = nanoClock;
        this.log = log;
        this.nextCheckNanos = new AtomicLong(nanoClock.getAsLong() + RELOAD_CHECK_INTERVAL_NANOS);
    }

    /**
     * Reads and checks the key material, and makes the context of the engines.
     *
     * @param config the settings
     * @return the context
     * @throws IOException a one-line message, starting with {@code TLS: }, that names the file and what is wrong
     */
    static TlsContext load(TlsConfig config) throws IOException {
        return load(config, System::nanoTime, LOG);
    }

    /**
     * {@link #load(TlsConfig)} with the clock that times the checks for changes, and the logger that reports them.
     *
     * @param config the settings
     * @param nanoClock a clock like {@link System#nanoTime()}
     * @param log where reloads and failed reloads are reported
     * @return the context
     * @throws IOException as {@link #load(TlsConfig)}
     */
    static TlsContext load(TlsConfig config, LongSupplier nanoClock, System.Logger log) throws IOException {
        // Stamped before reading: a file written while it is read is read again at the next check.
        List<FileStamp> stamps = stamps(watchedFiles(config));
        return new TlsContext(config, stamps, Loaded.of(config), nanoClock, log);
    }

    /**
     * A server engine made from the key material loaded last, set up as described above.
     *
     * @return an engine in server mode, its handshake not begun
     */
    @Override
    public SSLEngine newEngine() {
        Loaded current = loaded;
        SSLEngine engine = current.context().createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(config.protocols().toArray(String[]::new));
        parameters.setCipherSuites(current.cipherSuites().toArray(String[]::new));
        parameters.setUseCipherSuitesOrder(true);
        if (config.clientAuth() == TlsConfig.ClientAuth.NEED) {
            parameters.setNeedClientAuth(true);
        } else if (config.clientAuth() == TlsConfig.ClientAuth.WANT) {
            parameters.setWantClientAuth(true);
        }
        engine.setSSLParameters(parameters);
        engine.setHandshakeApplicationProtocolSelector(TlsContext::selectApplicationProtocol);
        return engine;
    }

    /**
     * The JDK calls this only when the client offers application protocols.
     *
     * @param engine the engine in its handshake
     * @param offered the client's protocols
     * @return the first of {@link #APPLICATION_PROTOCOLS} that the client offers; the empty string (no ALPN) when it
     *     offers none; else null, which ends the handshake with a no_application_protocol alert (RFC 7301 §3.2)
     */
    static String selectApplicationProtocol(SSLEngine engine, List<String> offered) {
        if (offered.isEmpty()) {
            return "";
        }
        for (String protocol : APPLICATION_PROTOCOLS) {
            if (offered.contains(protocol)) {
                return protocol;
            }
        }
        return null;
    }

    /** @return the size of a buffer that holds any TLS record an engine reads or writes */
    int packetBufferSize() {
        return loaded.packetBufferSize();
    }

    /** @return the size of a buffer that holds the application data of any TLS record */
    int applicationBufferSize() {
        return loaded.applicationBufferSize();
    }

    /**
     * Loads the key material again if any of its files (key stores, chains, keys, trust store) changed: their
     * modification time, size or identity (a file replaced by a rename). Cheap enough to call before every new
     * connection: it looks at the files once per {@link #RELOAD_CHECK_INTERVAL_NANOS} at most. On success, engines
     * made from now on use the new material, and one INFO line names the files that changed. On failure, one WARNING
     * line gives the reason; the material loaded before stays in use, and the same files are not tried again until
     * they change again. Engines already made are never affected.
     *
     * @return whether new material was loaded
     */
    @Override
    public boolean reloadIfChanged() {
        long now = nanoClock.getAsLong();
        long due = nextCheckNanos.get();
        if (now - due < 0 || !nextCheckNanos.compareAndSet(due, now + RELOAD_CHECK_INTERVAL_NANOS)) {
            return false;
        }
        return reloadIfStampsChanged();
    }

    private synchronized boolean reloadIfStampsChanged() {
        List<FileStamp> stamps = stamps(files);
        if (stamps.equals(seen)) {
            return false;
        }
        List<Path> changed = new ArrayList<>();
        for (int i = 0; i < stamps.size(); i++) {
            if (!stamps.get(i).equals(seen.get(i))) {
                changed.add(files.get(i));
            }
        }
        seen = stamps;
        try {
            loaded = Loaded.of(config);
        } catch (IOException e) {
            log.log(Level.WARNING, e.getMessage() + " (new connections keep the key material loaded before)");
            return false;
        }
        log.log(Level.INFO, "TLS: loaded the key material again after a change to " + changed);
        return true;
    }

    private static List<Path> watchedFiles(TlsConfig config) {
        List<Path> files = new ArrayList<>(config.keyStores());
        files.addAll(config.certificateChains());
        files.addAll(config.privateKeys());
        if (config.clientAuth() != TlsConfig.ClientAuth.NONE) {
            files.add(config.trustStore());
        }
        return files;
    }

    private static List<FileStamp> stamps(List<Path> files) {
        List<FileStamp> stamps = new ArrayList<>();
        for (Path file : files) {
            stamps.add(FileStamp.of(file));
        }
        return stamps;
    }

    /**
     * What a file looked like when it was last looked at.
     *
     * @param modified its modification time; null when it could not be read
     * @param size its size
     * @param identity its file key (device and inode on Unix), which a rename over it changes; may be null
     */
    private record FileStamp(FileTime modified, long size, Object identity) {

        static FileStamp of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileStamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
            } catch (IOException e) {
                return new FileStamp(null, -1, null); // gone: its return is a change
            }
        }
    }

    /**
     * What one load made.
     *
     * @param context the context of the engines
     * @param cipherSuites the suites the engines offer, most preferred first
     * @param packetBufferSize see {@link SSLSession#getPacketBufferSize()}
     * @param applicationBufferSize see {@link SSLSession#getApplicationBufferSize()}
     */
    private record Loaded(
            SSLContext context, List<String> cipherSuites, int packetBufferSize, int applicationBufferSize) {

        static Loaded of(TlsConfig config) throws IOException {
            KeyMaterial material = KeyMaterial.load(config);
            SSLContext context;
            try {
                context = SSLContext.getInstance("TLS");
                // A server that asks for no client certificate trusts none, rather than the JDK's default CAs.
                TrustManager[] trust = material.trust() == null
                        ? new TrustManager[0]
                        : material.trust().getTrustManagers();
                context.init(new KeyManager[] {new SniKeyManager(material.entries())}, trust, null);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every JDK has a TLS context that takes X.509 key managers", e);
            }
            SSLSession session = context.createSSLEngine().getSession();
            return new Loaded(
                    context,
                    cipherSuites(config, context),
                    session.getPacketBufferSize(),
                    session.getApplicationBufferSize());
        }

        /** The configured suites, which the JDK must all support; else the defaults it supports, in their order. */
        private static List<String> cipherSuites(TlsConfig config, SSLContext context) throws IOException {
            List<String> supported = List.of(context.getSupportedSSLParameters().getCipherSuites());
            if (config.cipherSuites().isEmpty()) {
                List<String> suites = TlsConfig.DEFAULT_CIPHER_SUITES.stream()
                        .filter(supported::contains)
                        .toList();
                if (suites.isEmpty()) {
                    throw new IOException("TLS: this Java runtime supports none of the default cipher suites");
                }
                return suites;
            }
            List<String> unknown = config.cipherSuites().stream()
                    .filter(suite -> !supported.contains(suite))
                    .toList();
            if (!unknown.isEmpty()) {
                throw new IOException(
                        "TLS: cipher suites this Java runtime does not support: " + String.join(", ", unknown));
            }
            return config.cipherSuites();
        }
    }
}

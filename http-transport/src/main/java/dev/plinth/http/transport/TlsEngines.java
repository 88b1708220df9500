package dev.plinth.http.transport;

import javax.net.ssl.SSLEngine;

/** Where a TLS server's connections get their engines: {@link TlsContext}, or a test's own. */
interface TlsEngines {

    /** @return a server-mode engine for one new connection, before its handshake */
    SSLEngine newEngine();

    /**
     * Loads the key material again if its files changed; cheap when they did not. Called before each new
     * connection is set up.
     *
     * @return whether new material is in use from now on
     */
    boolean reloadIfChanged();
}

package dev.plinth.commands;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/** How the commands show addresses and durations. */
final class Formats {

    private Formats() {}

    /**
     * @param address a socket address
     * @return its IP address and port, such as {@code 127.0.0.1:8080} or {@code [::1]:8080}
     */
    static String hostAndPort(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * @param age a duration
     * @return it in the unit a person reads at a glance: {@code 850 ms}, {@code 12.3 s}, {@code 5 min 3 s},
     *         {@code 2 h 5 min}
     */
    static String age(Duration age) {
        long millis = Math.max(0, age.toMillis());
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return (millis / 1_000) + "." + (millis % 1_000 / 100) + " s";
        }
        long seconds = millis / 1_000;
        if (seconds < 3_600) {
            return (seconds / 60) + " min " + (seconds % 60) + " s";
        }
        return (seconds / 3_600) + " h " + (seconds % 3_600 / 60) + " min";
    }
}

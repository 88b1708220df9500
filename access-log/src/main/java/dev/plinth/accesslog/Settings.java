package dev.plinth.accesslog;

import java.nio.file.Path;
import java.time.ZoneId;

/**
 * A checked access-log configuration.
 *
 * @param path the file written
 * @param format the layout of a line
 * @param rotateDaily whether the file is rotated at the first line of each day
 * @param maxFileBytes the size past which the file is rotated; 0 for no limit
 * @param keep how many rotated files are kept
 * @param queueLines how many exchanges may wait for the writer
 * @param zone the zone of the times written and of the days of rotation
 */
record Settings(
        Path path, LineFormat format, boolean rotateDaily, long maxFileBytes, int keep, int queueLines, ZoneId zone) {

    Settings {
        if (maxFileBytes < 0) {
            throw new IllegalArgumentException("maxFileBytes " + maxFileBytes + " is negative");
        }
        if (keep < 0) {
            throw new IllegalArgumentException("keep " + keep + " is negative");
        }
        if (queueLines < 1) {
            throw new IllegalArgumentException("queueLines " + queueLines + " is less than 1");
        }
    }

    /**
     * @param config the configuration
     * @return its settings
     * @throws IllegalArgumentException if a value is invalid: the configuration is refused
     */
    static Settings of(AccessLogComponent.Config config) {
        String path = config.path();
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("path is not set");
        }
        String zone = config.zone();
        return new Settings(
                Path.of(path.trim()),
                LineFormat.named(config.format()),
                config.rotateDaily(),
                config.maxFileBytes(),
                config.keep(),
                config.queueLines(),
                zone == null || zone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(zone.trim()));
    }
}

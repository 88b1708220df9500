package dev.plinth.accesslog;

import dev.plinth.config.ConfigCheck;
import dev.plinth.config.RefusedConfiguration;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
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
        if (maxFileBytes < 0 || keep < 0 || queueLines < 1) {
            throw new IllegalArgumentException("maxFileBytes " + maxFileBytes + ", keep " + keep + ", queueLines "
                    + queueLines + ": the first two may not be negative, the last must be positive");
        }
    }

    /**
     * @param config the configuration, as {@link ConfigCheck#check} gives it
     * @return its settings
     * @throws RefusedConfiguration for the first value that is not allowed (its PID unknown here)
     */
    static Settings of(AccessLogComponent.Config config) {
        String pid = RefusedConfiguration.UNKNOWN_PID;
        ConfigCheck.within(pid, "maxFileBytes", config.maxFileBytes(), 0, Long.MAX_VALUE);
        ConfigCheck.within(pid, "keep", config.keep(), 0, Integer.MAX_VALUE);
        ConfigCheck.within(pid, "queueLines", config.queueLines(), 1, Integer.MAX_VALUE);
        return new Settings(
                path(config.path()),
                format(config.format()),
                config.rotateDaily(),
                config.maxFileBytes(),
                config.keep(),
                config.queueLines(),
                zone(config.zone()));
    }

    private static Path path(String path) {
        if (path == null || path.isBlank()) {
            throw new RefusedConfiguration(RefusedConfiguration.UNKNOWN_PID, "path", path, "required: the file");
        }
        try {
            return Path.of(path.trim());
        } catch (InvalidPathException e) {
            throw new RefusedConfiguration(RefusedConfiguration.UNKNOWN_PID, "path", path, e.getMessage());
        }
    }

    private static LineFormat format(String format) {
        try {
            return LineFormat.named(format);
        } catch (IllegalArgumentException e) {
            throw new RefusedConfiguration(RefusedConfiguration.UNKNOWN_PID, "format", format, e.getMessage());
        }
    }

    private static ZoneId zone(String zone) {
        if (zone == null || zone.isBlank()) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(zone.trim());
        } catch (DateTimeException e) {
            throw new RefusedConfiguration(RefusedConfiguration.UNKNOWN_PID, "zone", zone, "no such time zone");
        }
    }
}

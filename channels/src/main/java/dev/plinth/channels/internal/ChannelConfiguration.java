package dev.plinth.channels.internal;

import dev.plinth.channels.ChannelSettings;
import dev.plinth.channels.Channels;
import dev.plinth.config.ConfigCheck;
import dev.plinth.config.RefusedConfiguration;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One factory configuration {@code dev.plinth.channels.channel}, checked: {@link ChannelsService} applies the valid
 * ones to their channels. A configuration refused is logged in one line and ignored (its channel keeps its
 * settings).
 */
@Component(
        service = ChannelConfiguration.class,
        configurationPid = ChannelConfiguration.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ChannelConfig.class, factory = true)
public final class ChannelConfiguration {

    /** The factory PID. */
    public static final String FACTORY_PID = "dev.plinth.channels.channel";

    private static final System.Logger LOG = System.getLogger(ChannelConfiguration.class.getName());

    private final String name;
    private final ChannelSettings settings;

    /** @param properties the configuration, checked against {@link ChannelConfig} */
    @Activate
    public ChannelConfiguration(Map<String, Object> properties) {
        String checkedName = null;
        ChannelSettings checked = null;
        try {
            ChannelConfig config = ConfigCheck.check(ChannelConfig.class, properties);
            checkedName = name(ConfigCheck.pid(properties), config.name());
            checked = settings(ConfigCheck.pid(properties), config);
        } catch (RefusedConfiguration refused) {
            LOG.log(Level.ERROR, refused.getMessage() + "; this configuration is ignored");
            checkedName = null;
        }
        this.name = checkedName;
        this.settings = checked;
    }

    /**
     * @param name the channel's name
     * @param settings its settings
     */
    ChannelConfiguration(String name, ChannelSettings settings) {
        this.name = name;
        this.settings = settings;
    }

    /** @return the channel's name, if the configuration was accepted */
    Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** @return the channel's settings; null if the configuration was refused */
    ChannelSettings settings() {
        return settings;
    }

    static String name(String pid, String name) {
        if (!Channels.isValidName(name)) {
            throw new RefusedConfiguration(pid, "name", name, "not a channel name (1 to 200 of A-Z a-z 0-9 . _ / -)");
        }
        return name;
    }

    static ChannelSettings settings(String pid, ChannelConfig config) {
        ConfigCheck.within(pid, "ceilingMessages", config.ceilingMessages(), 1, Integer.MAX_VALUE);
        ConfigCheck.within(pid, "ceilingBytes", config.ceilingBytes(), 1, Long.MAX_VALUE);
        ConfigCheck.within(pid, "replay", config.replay(), 0, config.ceilingMessages());
        return new ChannelSettings(config.replay(), config.ceilingMessages(), config.ceilingBytes(), config.policy());
    }
}

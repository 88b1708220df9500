package dev.plinth.channels;

import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The service through which bundles reach broadcast channels by name. Thread-safe.
 *
 * <p>A name is 1 to {@value #MAX_NAME_LENGTH} characters among {@code A-Z a-z 0-9 . _ / -}, such as
 * {@code news/sports}; the same name always means the same channel while the service runs (until that channel is
 * {@linkplain Channel#close() closed}).
 */
@ProviderType
public interface Channels {

    /** The longest channel name. */
    int MAX_NAME_LENGTH = 200;

    /**
     * @param name a channel name
     * @return the channel of that name, created now if it did not exist
     * @throws IllegalArgumentException if the name is not a valid channel name
     * @throws IllegalStateException if the service has stopped
     */
    Channel channel(String name);

    /**
     * @param name a channel name
     * @return the channel of that name if it exists; empty for an invalid name
     */
    Optional<Channel> find(String name);

    /** @return the names of the channels that exist now */
    Set<String> names();

    /**
     * @param name any text, maybe null
     * @return whether it is a valid channel name
     */
    static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '/'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}

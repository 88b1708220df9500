package dev.plinth.metrics;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Registers this bundle's MXBeans under their names, in the domain {@value #DOMAIN}. A name already taken (two
 * listeners on one port, on different addresses; or a second framework in the same virtual machine) is not an error:
 * the next candidate name is tried, and at last the first one with a unique {@code id} key added.
 */
final class MBeans {

    static final String DOMAIN = "dev.plinth";

    private static final System.Logger LOG = System.getLogger(MBeans.class.getName());

    /** Ids for the last-resort names, unique in this virtual machine. */
    private static final AtomicLong IDS = new AtomicLong();

    private final MBeanServer server;

    /** @param server the MBean server, the platform's in the running server */
    MBeans(MBeanServer server) {
        this.server = server;
    }

    /**
     * @param port a listener's port
     * @param host its configured host
     * @return its names, best first: by port, then by port and host
     */
    static List<ObjectName> listenerNames(int port, String host) {
        String byPort = DOMAIN + ":type=Listener,port=" + port;
        return List.of(name(byPort), name(byPort + ",host=" + ObjectName.quote(host)));
    }

    /**
     * @param mount a mount
     * @return its name: by prefix, and by host if it has one
     */
    static ObjectName handlerName(Mount mount) {
        String name = DOMAIN + ":type=Handler,prefix=" + ObjectName.quote(mount.prefix());
        return name(mount.host().isEmpty() ? name : name + ",host=" + ObjectName.quote(mount.host()));
    }

    /**
     * Registers an MXBean under the first of its names that is free.
     *
     * @param <T> its interface
     * @param implementation the object whose getters are the attributes
     * @param type its MXBean interface
     * @param names the names to try, best first
     * @return the name it was registered under; null if it could not be registered (logged)
     */
    <T> ObjectName register(T implementation, Class<T> type, List<ObjectName> names) {
        List<ObjectName> candidates = new ArrayList<>(names);
        candidates.add(name(names.get(0) + ",id=" + IDS.incrementAndGet()));
        try {
            StandardMBean mbean = new StandardMBean(implementation, type, true);
            for (ObjectName name : candidates) {
                try {
                    return server.registerMBean(mbean, name).getObjectName();
                } catch (InstanceAlreadyExistsException taken) {
                    // try the next name
                }
            }
        } catch (JMException e) {
            LOG.log(Level.WARNING, "cannot register the MBean " + names.get(0), e);
        }
        return null;
    }

    /**
     * Unregisters an MBean, if it is still registered.
     *
     * @param name the name it was registered under, or null for none
     */
    void unregister(ObjectName name) {
        if (name == null) {
            return;
        }
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException gone) {
            // already unregistered
        } catch (JMException e) {
            LOG.log(Level.WARNING, "cannot unregister the MBean " + name, e);
        }
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not an object name: " + name, e);
        }
    }
}

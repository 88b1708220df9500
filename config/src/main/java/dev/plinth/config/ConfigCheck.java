package dev.plinth.config;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a component's raw properties into an instance of its configuration annotation type, the way Declarative
 * Services would, but strictly: a value that does not convert (a port of {@code notanumber}, a boolean of
 * {@code yes}, an int past its range) or a key the type does not know is refused with a {@link RefusedConfiguration}
 * instead of becoming a default or a stack trace. Property names follow DS's rules for annotation members
 * ({@code plinth_handler_prefix} is {@code plinth.handler.prefix}, {@code $_$} is {@code -}). Keys the framework,
 * Config Admin, DS, FileInstall or Karaf's features service add ({@code service.*}, {@code component.*},
 * {@code felix.fileinstall.*}, {@code org.apache.karaf.features.*}) and private ones (starting with a dot) are always
 * allowed; a component names its other public service properties as extra keys.
 */
public final class ConfigCheck {

    private static final List<String> FRAMEWORK_PREFIXES =
            List.of("service.", "component.", "felix.fileinstall.", "org.apache.karaf.features.", "osgi.ds.", ".");

    private ConfigCheck() {}

    /**
     * Checks properties against a configuration type.
     *
     * @param type the annotation type whose members are the configuration's keys
     * @param properties the component's properties, as DS gives them to activate or modified
     * @param extraKeys further keys allowed, such as service properties the type does not describe
     * @param <A> the configuration type
     * @return the configuration, its members answering the converted values or their defaults
     * @throws RefusedConfiguration for the first key that is unknown or whose value does not convert
     */
    public static <A> A check(Class<A> type, Map<String, ?> properties, String... extraKeys) {
        String pid = pid(properties);
        Map<String, Method> members = new HashMap<>();
        for (Method member : type.getDeclaredMethods()) {
            members.put(propertyName(member.getName()), member);
        }
        Set<String> extra = Set.of(extraKeys);
        Map<String, Object> values = new HashMap<>();
        for (Map.Entry<String, ?> entry : properties.entrySet()) {
            String key = entry.getKey();
            Method member = members.get(key);
            if (entry.getValue() == null) {
                continue; // Config Admin holds no nulls; a caller's null means absent
            }
            if (member != null) {
                values.put(member.getName(), convert(pid, key, entry.getValue(), member.getReturnType()));
            } else if (!extra.contains(key) && FRAMEWORK_PREFIXES.stream().noneMatch(key::startsWith)) {
                throw new RefusedConfiguration(pid, key, entry.getValue(), "unknown key; known: " + known(members));
            }
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String name = method.getName();
            if (values.containsKey(name)) {
                return copy(values.get(name));
            }
            if (method.getDeclaringClass() != Object.class && members.containsKey(propertyName(name))) {
                return method.getDefaultValue() != null ? method.getDefaultValue() : absent(method.getReturnType());
            }
            switch (name) {
                case "annotationType":
                    return type;
                case "hashCode":
                    return values.hashCode();
                case "equals":
                    return proxy == args[0];
                default:
                    return type.getSimpleName() + values;
            }
        }));
    }

    /**
     * Checks that a converted value lies in its range.
     *
     * @param pid the configuration's PID
     * @param key the key
     * @param value its value
     * @param min the least allowed
     * @param max the most allowed
     * @throws RefusedConfiguration if the value is outside
     */
    public static void within(String pid, String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new RefusedConfiguration(
                    pid,
                    key,
                    value,
                    max == Long.MAX_VALUE || max == Integer.MAX_VALUE
                            ? "less than " + min
                            : "outside " + min + ".." + max);
        }
    }

    /**
     * @param properties a component's properties
     * @return its configuration's PID, or {@link RefusedConfiguration#UNKNOWN_PID}
     */
    public static String pid(Map<String, ?> properties) {
        Object pid = properties.get("service.pid");
        return pid == null ? RefusedConfiguration.UNKNOWN_PID : pid.toString();
    }

    /**
     * The property name of an annotation member, as DS 1.4 (section 112.8.2.1) maps it.
     *
     * @param member the member's name
     * @return the property's name
     */
    static String propertyName(String member) {
        String dashed = member.replace("$_$", "-");
        StringBuilder name = new StringBuilder(dashed.length());
        for (int i = 0; i < dashed.length(); i++) {
            char c = dashed.charAt(i);
            if (c == '$') {
                if (i + 1 < dashed.length() && dashed.charAt(i + 1) == '$') {
                    name.append('$');
                    i++;
                }
            } else if (c == '_') {
                if (i + 1 < dashed.length() && dashed.charAt(i + 1) == '_') {
                    name.append('_');
                    i++;
                } else {
                    name.append('.');
                }
            } else {
                name.append(c);
            }
        }
        return name.toString();
    }

    private static Object convert(String pid, String key, Object value, Class<?> to) {
        if (to.isArray()) {
            Object[] items = items(value);
            Object array = Array.newInstance(to.getComponentType(), items.length);
            for (int i = 0; i < items.length; i++) {
                Array.set(array, i, convert(pid, key, items[i], to.getComponentType()));
            }
            return array;
        }
        Object[] items = items(value);
        if (items.length != 1) {
            throw new RefusedConfiguration(pid, key, value, "one value expected, " + items.length + " given");
        }
        Object item = items[0];
        String text = String.valueOf(item).trim();
        try {
            if (to == String.class) {
                return String.valueOf(item);
            } else if (to == int.class) {
                return item instanceof Number ? Math.toIntExact(whole(item)) : Integer.parseInt(text);
            } else if (to == long.class) {
                return item instanceof Number ? whole(item) : Long.parseLong(text);
            } else if (to == double.class) {
                return item instanceof Number ? ((Number) item).doubleValue() : Double.parseDouble(text);
            } else if (to == boolean.class) {
                return bool(item, text);
            } else if (to.isEnum()) {
                return enumValue(to, text);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new RefusedConfiguration(pid, key, value, "not " + article(to) + " " + to.getSimpleName());
        } catch (IllegalArgumentException e) {
            throw new RefusedConfiguration(pid, key, value, e.getMessage());
        }
        throw new RefusedConfiguration(pid, key, value, "no conversion to " + to.getSimpleName());
    }

    private static long whole(Object number) {
        if (number instanceof Double || number instanceof Float) {
            double d = ((Number) number).doubleValue();
            if (d != Math.rint(d)) {
                throw new ArithmeticException("not whole");
            }
            return (long) d;
        }
        return ((Number) number).longValue();
    }

    private static boolean bool(Object item, String text) {
        if (item instanceof Boolean) {
            return (Boolean) item;
        }
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException("not a boolean (true or false)");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> type, String text) {
        try {
            return Enum.valueOf((Class) type, text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not one of " + Arrays.toString(type.getEnumConstants()), e);
        }
    }

    private static Object[] items(Object value) {
        if (value instanceof Collection) {
            return ((Collection<?>) value).toArray();
        }
        if (value != null && value.getClass().isArray()) {
            Object[] items = new Object[Array.getLength(value)];
            for (int i = 0; i < items.length; i++) {
                items[i] = Array.get(value, i);
            }
            return items;
        }
        return new Object[] {value};
    }

    private static Object absent(Class<?> type) {
        if (type.isArray()) {
            return Array.newInstance(type.getComponentType(), 0);
        }
        if (type == int.class) {
            return 0;
        } else if (type == long.class) {
            return 0L;
        } else if (type == double.class) {
            return 0.0;
        } else if (type == boolean.class) {
            return false;
        }
        return null;
    }

    private static Object copy(Object value) {
        if (value != null && value.getClass().isArray()) {
            int length = Array.getLength(value);
            Object copy = Array.newInstance(value.getClass().getComponentType(), length);
            System.arraycopy(value, 0, copy, 0, length);
            return copy;
        }
        return value;
    }

    private static String known(Map<String, Method> members) {
        return String.join(", ", new TreeSet<>(members.keySet()));
    }

    private static String article(Class<?> type) {
        return type == int.class ? "an" : "a";
    }

    /**
     * @param value a configuration value
     * @return it as a person would write it in a {@code .cfg} file
     */
    static String show(Object value) {
        if (value != null && value.getClass().isArray()) {
            return Arrays.toString(items(value));
        }
        return String.valueOf(value);
    }
}

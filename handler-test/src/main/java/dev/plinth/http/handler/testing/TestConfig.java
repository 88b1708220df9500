package dev.plinth.http.handler.testing;

import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;

/**
 * An instance of a component's configuration type (the annotation type its {@code @Activate} constructor takes), as
 * Declarative Services would pass it, for constructing a component in a unit test.
 *
 * <pre>{@code
 * HelloHandler handler = new HelloHandler(TestConfig.of(HelloHandler.Config.class, Map.of("greeting", "Hi")));
 * }</pre>
 *
 * Each method answers the value of its property, named as Declarative Services names it (OSGi Compendium 112.8.2.2:
 * {@code plinth_handler_prefix} is {@code plinth.handler.prefix}, {@code max__size} is {@code max_size},
 * {@code my$_$name} is {@code my-name}), or else its default value, or else {@code null} (zero, {@code false}).
 * A value given as a string is converted as a {@code .cfg} file's would be: to a number, a boolean, a character, an
 * enum constant or a one-element array.
 */
public final class TestConfig {

    private TestConfig() {}

    /**
     * The configuration with every property at its default.
     *
     * @param <A> the configuration type
     * @param type the configuration type
     * @return an instance answering the defaults
     */
    public static <A extends Annotation> A of(Class<A> type) {
        return of(type, Map.of());
    }

    /**
     * The configuration with some properties set.
     *
     * @param <A> the configuration type
     * @param type the configuration type
     * @param properties values by property name, such as {@code plinth.handler.prefix}; the others keep their defaults
     * @return an instance answering those values
     * @throws IllegalArgumentException if a property names no method of the type, or a value cannot be converted
     */
    public static <A extends Annotation> A of(Class<A> type, Map<String, ?> properties) {
        Map<String, Object> values = new TreeMap<>();
        Map<String, Object> remaining = new TreeMap<>(properties);
        for (Method method : type.getDeclaredMethods()) {
            String property = propertyName(method.getName());
            Object value = remaining.containsKey(property)
                    ? convert(remaining.remove(property), method.getReturnType(), property)
                    : method.getDefaultValue();
            if (value != null) {
                values.put(method.getName(), value);
            }
        }
        if (!remaining.isEmpty()) {
            throw new IllegalArgumentException(type.getName() + " has no properties " + remaining.keySet());
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            switch (method.getName()) {
                case "annotationType":
                    return type;
                case "toString":
                    return "@" + type.getName() + values;
                case "hashCode":
                    return System.identityHashCode(self);
                case "equals":
                    return self == args[0];
                default:
                    return values.getOrDefault(method.getName(), zero(method.getReturnType()));
            }
        });
        return type.cast(proxy);
    }

    /**
     * The property a configuration method stands for, by the rules of Declarative Services.
     *
     * @param method the method name, such as {@code plinth_handler_prefix}
     * @return the property name, such as {@code plinth.handler.prefix}
     */
    public static String propertyName(String method) {
        StringBuilder name = new StringBuilder(method.length());
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (method.startsWith("$_$", i)) {
                name.append('-');
                i += 2;
            } else if (method.startsWith("$$", i) || method.startsWith("__", i)) {
                name.append(c);
                i++;
            } else if (c == '_') {
                name.append('.');
            } else if (c != '$') {
                name.append(c);
            }
        }
        return name.toString();
    }

    private static Object convert(Object value, Class<?> to, String property) {
        Class<?> boxed =
                to.isPrimitive() ? Array.get(Array.newInstance(to, 1), 0).getClass() : to;
        if (boxed.isInstance(value)) {
            return value;
        }
        if (to.isArray() && !value.getClass().isArray()) {
            Object array = Array.newInstance(to.getComponentType(), 1);
            Array.set(array, 0, convert(value, to.getComponentType(), property));
            return array;
        }
        String text = String.valueOf(value).strip();
        try {
            if (boxed == String.class) {
                return String.valueOf(value);
            } else if (boxed == Boolean.class) {
                return Boolean.parseBoolean(text);
            } else if (boxed == Integer.class) {
                return Integer.valueOf(text);
            } else if (boxed == Long.class) {
                return Long.valueOf(text);
            } else if (boxed == Double.class) {
                return Double.valueOf(text);
            } else if (boxed == Float.class) {
                return Float.valueOf(text);
            } else if (boxed == Short.class) {
                return Short.valueOf(text);
            } else if (boxed == Byte.class) {
                return Byte.valueOf(text);
            } else if (boxed == Character.class && text.length() == 1) {
                return text.charAt(0);
            } else if (boxed.isEnum()) {
                for (Object constant : boxed.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equals(text)) {
                        return constant;
                    }
                }
            }
        } catch (NumberFormatException wrong) {
            // reported below
        }
        throw new IllegalArgumentException(
                "property " + property + ": " + value + " is not a " + to.getSimpleName() + " value");
    }

    private static Object zero(Class<?> type) {
        return type.isPrimitive() ? Array.get(Array.newInstance(type, 1), 0) : null;
    }
}

package dev.plinth.http.handler;

import java.util.Arrays;
import java.util.Objects;

/**
 * A growable {@link Headers}, for responses and for servers building requests. Not thread-safe: hand it over with a
 * happens-before edge (completing a stage is one).
 */
public final class MutableHeaders implements Headers {

    private String[] fields = new String[16]; // name, value, name, value...
    private int size;

    /** Creates an empty list. */
    public MutableHeaders() {}

    @Override
    public int size() {
        return size;
    }

    @Override
    public String name(int index) {
        Objects.checkIndex(index, size);
        return fields[2 * index];
    }

    @Override
    public String value(int index) {
        Objects.checkIndex(index, size);
        return fields[2 * index + 1];
    }

    /**
     * Appends a field, keeping any existing ones of the same name.
     *
     * @param name the field name, a token
     * @param value the field value, without CR or LF
     * @return this
     * @throws IllegalArgumentException if the name is not a token or the value holds a CR, LF or NUL, which would let
     *         a value smuggle a header or a response
     */
    public MutableHeaders add(String name, String value) {
        checkName(name);
        checkValue(value);
        if (2 * size == fields.length) {
            fields = Arrays.copyOf(fields, fields.length * 2);
        }
        fields[2 * size] = name;
        fields[2 * size + 1] = value;
        size++;
        return this;
    }

    /**
     * Replaces every field of this name by one field.
     *
     * @param name the field name
     * @param value the field value
     * @return this
     */
    public MutableHeaders set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    /**
     * Removes every field of this name.
     *
     * @param name the field name, any case
     * @return whether any field was removed
     */
    public boolean remove(String name) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!fields[2 * i].equalsIgnoreCase(name)) {
                fields[2 * kept] = fields[2 * i];
                fields[2 * kept + 1] = fields[2 * i + 1];
                kept++;
            }
        }
        boolean removed = kept != size;
        Arrays.fill(fields, 2 * kept, 2 * size, null);
        size = kept;
        return removed;
    }

    private static void checkName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Tokens.isTokenChar(name.charAt(i))) {
                throw new IllegalArgumentException("header name is not a token: " + name);
            }
        }
    }

    private static void checkValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("header value holds CR, LF or NUL");
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < size; i++) {
            text.append(fields[2 * i]).append(": ").append(fields[2 * i + 1]).append('\n');
        }
        return text.toString();
    }
}

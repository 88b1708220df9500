package dev.plinth.http.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Random choices for the property tests, from one seed. Like a property-testing library's generators it leans towards
 * the edges: a number is its minimum or maximum, and a size its minimum, more often than chance would make it, since
 * that is where parsers break.
 */
class Rand {
    private final SplittableRandom random;

    Rand(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** @return a number in {@code [min, max]}; min or max one time in eight */
    int between(int min, int max) {
        int edge = random.nextInt(16);
        if (edge == 0) {
            return min;
        }
        if (edge == 1) {
            return max;
        }
        return min + random.nextInt(max - min + 1);
    }

    /** @return a size in {@code [min, max]}: min one time in eight, max one in sixteen, small sizes favoured */
    int size(int min, int max) {
        int edge = random.nextInt(16);
        if (edge < 2) {
            return min;
        }
        if (edge == 2) {
            return max;
        }
        // half of the rest within the first quarter of the range: short inputs are cheap and find most bugs
        int span = max - min + 1;
        return min + random.nextInt(edge < 9 ? Math.max(1, span / 4) : span);
    }

    boolean bool() {
        return random.nextBoolean();
    }

    @SafeVarargs
    final <T> T of(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    <T extends Enum<T>> T of(Class<T> type) {
        return of(type.getEnumConstants());
    }

    /** @return the value of one of the suppliers, chosen with equal chances */
    @SafeVarargs
    final <T> T oneOf(Supplier<? extends T>... choices) {
        return choices[random.nextInt(choices.length)].get();
    }

    /** @return a character of {@code [from, to]}; an end one time in eight */
    char charBetween(char from, char to) {
        return (char) between(from, to);
    }

    /** @return {@code min} to {@code max} characters taken from {@code chars} */
    String string(String chars, int min, int max) {
        int length = size(min, max);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(chars.charAt(random.nextInt(chars.length())));
        }
        return b.toString();
    }

    /** @return {@code min} to {@code max} characters of {@code [from, to]} */
    String string(char from, char to, int min, int max) {
        int length = size(min, max);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(charBetween(from, to));
        }
        return b.toString();
    }

    /** @return {@code min} to {@code max} elements made by {@code element} */
    <T> List<T> list(int min, int max, Supplier<T> element) {
        int size = size(min, max);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.get());
        }
        return list;
    }

    private static final byte[] SPECIAL_BYTES = {0, 1, -1, 0x7F, -0x80, '\r', '\n', ' ', '\t', ':'};

    /** @return up to {@code max} bytes, each uniform or, one time in eight, one of the bytes parsers treat apart */
    byte[] bytes(int max) {
        byte[] bytes = new byte[size(0, max)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = random.nextInt(8) == 0
                    ? SPECIAL_BYTES[random.nextInt(SPECIAL_BYTES.length)]
                    : (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** @return up to {@code maxSize} numbers in {@code [min, max]} */
    int[] ints(int maxSize, int min, int max) {
        int[] ints = new int[size(0, maxSize)];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = between(min, max);
        }
        return ints;
    }
}

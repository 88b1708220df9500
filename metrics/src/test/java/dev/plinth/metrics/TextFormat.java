package dev.plinth.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: it refuses what a lenient scraper would
 * let pass. Every line ends with a line feed and is a {@code # HELP}, a {@code # TYPE} or a sample
 * {@code name{label="value",...} value} (no timestamps, comments or blank lines); each family starts with its HELP
 * line, then its TYPE line, then its samples, and comes once; a sample's name is its family's (with
 * {@code _bucket}, {@code _sum} or {@code _count} for a histogram); label values use only the escapes {@code \\},
 * {@code \"} and {@code \n}; no series appears twice; counters are not negative; and each histogram series has
 * ascending {@code le} bounds ending with {@code +Inf}, cumulative counts, a {@code _sum}, and a {@code _count} equal
 * to its {@code +Inf} bucket.
 */
final class TextFormat {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /**
     * One sample.
     *
     * @param name its name
     * @param labels its labels, in their order
     * @param value its value
     */
    record Sample(String name, Map<String, String> labels, double value) {}

    /**
     * One metric family.
     *
     * @param name its name
     * @param type its TYPE
     * @param help its HELP, unescaped
     * @param samples its samples, in their order
     */
    record Family(String name, String type, String help, List<Sample> samples) {

        /**
         * @param name a sample name
         * @param labels label names and values, alternating: exactly the sample's labels
         * @return that sample's value
         */
        double value(String name, String... labels) {
            Map<String, String> wanted = new LinkedHashMap<>();
            for (int i = 0; i < labels.length; i += 2) {
                wanted.put(labels[i], labels[i + 1]);
            }
            return samples.stream()
                    .filter(s -> s.name().equals(name) && s.labels().equals(wanted))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no sample " + name + wanted + " in " + samples))
                    .value();
        }
    }

    private TextFormat() {}

    /**
     * @param text an exposition
     * @return its families by name, in their order
     * @throws IllegalArgumentException at the first departure from the format, naming the line
     */
    static Map<String, Family> parse(String text) {
        Map<String, Family> families = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return families;
        }
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("the last line does not end with a line feed");
        }
        Set<String> series = new HashSet<>();
        String current = null;
        String[] help = null;
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            try {
                if (help != null && !line.startsWith("# TYPE " + help[0] + " ")) {
                    throw new IllegalArgumentException("HELP for " + help[0] + " not followed by its TYPE");
                }
                if (line.startsWith("# HELP ")) {
                    help = line.substring(7).split(" ", 2);
                    metricName(help[0]);
                    if (families.containsKey(help[0])) {
                        throw new IllegalArgumentException("a second HELP for " + help[0]);
                    }
                } else if (line.startsWith("# TYPE ")) {
                    String[] parts = line.substring(7).split(" ");
                    if (help == null || parts.length != 2 || !TYPES.contains(parts[1])) {
                        throw new IllegalArgumentException("a TYPE line without its HELP, or of no known type");
                    }
                    String helpText = unescape(help.length > 1 ? help[1] : "", false);
                    families.put(parts[0], new Family(parts[0], parts[1], helpText, new ArrayList<>()));
                    current = parts[0];
                    help = null;
                } else if (line.startsWith("#") || line.isEmpty()) {
                    throw new IllegalArgumentException("a comment or a blank line");
                } else {
                    Sample sample = sample(line);
                    Family family = current == null ? null : families.get(current);
                    if (family == null || !belongs(sample.name(), family)) {
                        throw new IllegalArgumentException("sample " + sample.name() + " outside its family");
                    }
                    if (!series.add(sample.name() + sample.labels())) {
                        throw new IllegalArgumentException("a second sample of the series");
                    }
                    if (family.type().equals("counter") && !(sample.value() >= 0)) {
                        throw new IllegalArgumentException("a counter below zero");
                    }
                    family.samples().add(sample);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (n + 1) + " '" + line + "': " + e.getMessage(), e);
            }
        }
        if (help != null) {
            throw new IllegalArgumentException("the last line is the HELP of " + help[0]);
        }
        for (Family family : families.values()) {
            if (family.type().equals("histogram")) {
                checkHistogram(family);
            }
        }
        return families;
    }

    private static boolean belongs(String sample, Family family) {
        if (family.type().equals("histogram")) {
            return sample.equals(family.name() + "_bucket")
                    || sample.equals(family.name() + "_sum")
                    || sample.equals(family.name() + "_count");
        }
        return sample.equals(family.name());
    }

    private static Sample sample(String line) {
        int end = 0;
        while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
            end++;
        }
        String name = metricName(line.substring(0, end));
        Map<String, String> labels = new LinkedHashMap<>();
        int at = end;
        if (at < line.length() && line.charAt(at) == '{') {
            at++;
            while (line.charAt(at) != '}') {
                if (!labels.isEmpty()) {
                    if (line.charAt(at) != ',') {
                        throw new IllegalArgumentException("no comma between labels");
                    }
                    at++;
                }
                int equals = line.indexOf('=', at);
                String label = line.substring(at, equals);
                if (!LABEL_NAME.matcher(label).matches() || line.charAt(equals + 1) != '"') {
                    throw new IllegalArgumentException("bad label " + label);
                }
                StringBuilder value = new StringBuilder();
                at = equals + 2;
                while (line.charAt(at) != '"') {
                    value.append(line.charAt(at) == '\\' ? line.substring(at, at += 2) : line.charAt(at++));
                }
                at++;
                if (labels.put(label, unescape(value.toString(), true)) != null) {
                    throw new IllegalArgumentException("label " + label + " twice");
                }
            }
            at++;
        }
        if (at >= line.length() || line.charAt(at) != ' ') {
            throw new IllegalArgumentException("no space before the value");
        }
        return new Sample(name, labels, number(line.substring(at + 1)));
    }

    private static void checkHistogram(Family family) {
        Map<String, List<Sample>> buckets = new TreeMap<>();
        Map<String, Double> counts = new TreeMap<>();
        Set<String> sums = new HashSet<>();
        for (Sample sample : family.samples()) {
            Map<String, String> others = new TreeMap<>(sample.labels());
            String le = others.remove("le");
            String key = others.toString();
            if (sample.name().endsWith("_bucket")) {
                if (le == null) {
                    throw new IllegalArgumentException(family.name() + " bucket without le: " + sample);
                }
                buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(sample);
            } else if (le != null) {
                throw new IllegalArgumentException(family.name() + ": le outside a bucket: " + sample);
            } else if (sample.name().endsWith("_count")) {
                counts.put(key, sample.value());
            } else {
                sums.add(key);
            }
        }
        if (!buckets.keySet().equals(counts.keySet()) || !buckets.keySet().equals(sums)) {
            throw new IllegalArgumentException(family.name() + ": buckets, _sum and _count of different series");
        }
        buckets.forEach((key, series) -> {
            double previousBound = Double.NEGATIVE_INFINITY;
            double previousCount = 0;
            for (Sample bucket : series) {
                double bound = number(bucket.labels().get("le"));
                if (!(bound > previousBound) || bucket.value() < previousCount) {
                    throw new IllegalArgumentException(family.name() + key + ": bounds not ascending or counts not"
                            + " cumulative at le=" + bucket.labels().get("le"));
                }
                previousBound = bound;
                previousCount = bucket.value();
            }
            if (previousBound != Double.POSITIVE_INFINITY || previousCount != counts.get(key)) {
                throw new IllegalArgumentException(family.name() + key + ": no +Inf bucket last, or it differs from"
                        + " _count " + counts.get(key));
            }
        });
    }

    private static String metricName(String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: '" + name + "'");
        }
        return name;
    }

    private static double number(String text) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                if (!FLOAT.matcher(text).matches()) {
                    throw new IllegalArgumentException("not a number: '" + text + "'");
                }
                return Double.parseDouble(text);
        }
    }

    /** Undoes the escapes of a HELP text ({@code \\}, {@code \n}) or a label value (those and {@code \"}). */
    private static String unescape(String text, boolean quotes) {
        StringBuilder plain = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                if (quotes && c == '"') {
                    throw new IllegalArgumentException("an unescaped quote");
                }
                plain.append(c);
                continue;
            }
            char next = i + 1 < text.length() ? text.charAt(++i) : ' ';
            switch (next) {
                case '\\' -> plain.append('\\');
                case 'n' -> plain.append('\n');
                case '"' -> {
                    if (!quotes) {
                        throw new IllegalArgumentException("\\\" in a HELP text");
                    }
                    plain.append('"');
                }
                default -> throw new IllegalArgumentException("an unknown escape \\" + next);
            }
        }
        return plain.toString();
    }
}

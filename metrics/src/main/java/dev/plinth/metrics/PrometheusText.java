package dev.plinth.metrics;

import java.math.BigDecimal;

/**
 * Writes the Prometheus text exposition format, version 0.0.4: for each metric family a {@code # HELP} and a
 * {@code # TYPE} line, then its samples, one per line, {@code name{label="value",...} number}. Help text escapes
 * {@code \} and line feeds; label values escape {@code \}, {@code "} and line feeds. Numbers are written as Go's
 * Prometheus clients write them: integers without a fraction, {@code 0.0005} rather than {@code 5.0E-4}, and
 * {@code +Inf}, {@code -Inf}, {@code NaN}.
 */
final class PrometheusText {

    /** The media type of this format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder text = new StringBuilder(4096);

    /**
     * Starts a metric family.
     *
     * @param name its name, such as {@code plinth_requests_total}
     * @param type {@code counter}, {@code gauge}, {@code histogram}, {@code summary} or {@code untyped}
     * @param help what it measures, in one sentence
     * @return this
     */
    PrometheusText family(String name, String type, String help) {
        text.append("# HELP ").append(name).append(' ');
        escape(help, false);
        text.append("\n# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /**
     * Writes a sample of the current family.
     *
     * @param name the sample's name: the family's, or with a suffix such as {@code _bucket}
     * @param value its value
     * @param labels label names and values, alternating
     * @return this
     */
    PrometheusText sample(String name, long value, String... labels) {
        return sample(name, Long.toString(value), labels);
    }

    /**
     * Writes a sample of the current family.
     *
     * @param name the sample's name
     * @param value its value
     * @param labels label names and values, alternating
     * @return this
     */
    PrometheusText sample(String name, double value, String... labels) {
        return sample(name, number(value), labels);
    }

    private PrometheusText sample(String name, String value, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name and value pairs");
        }
        text.append(name);
        if (labels.length > 0) {
            text.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                text.append(i == 0 ? "" : ",").append(labels[i]).append("=\"");
                escape(labels[i + 1], true);
                text.append('"');
            }
            text.append('}');
        }
        text.append(' ').append(value).append('\n');
        return this;
    }

    /**
     * @param value a number
     * @return it as this format writes it: {@code 3}, {@code 0.0005}, {@code 2.5}, {@code +Inf}, {@code NaN}
     */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == 0) {
            return "0";
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private void escape(String value, boolean quotes) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '"' -> text.append(quotes ? "\\\"" : "\"");
                default -> text.append(c);
            }
        }
    }

    /** @return the text written so far */
    @Override
    public String toString() {
        return text.toString();
    }
}

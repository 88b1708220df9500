package dev.plinth.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void writesHelpTypeAndSamples() {
        String text = new PrometheusText()
                .family("x_total", "counter", "Things.")
                .sample("x_total", 3, "a", "1", "b", "2")
                .sample("x_total", 4)
                .toString();

        assertEquals("# HELP x_total Things.\n# TYPE x_total counter\nx_total{a=\"1\",b=\"2\"} 3\nx_total 4\n", text);
    }

    @Test
    void escapesBackslashQuoteAndLineFeedInLabelValues() {
        String odd = "/a \"b\"\\c\nd";
        String text = new PrometheusText()
                .family("x", "gauge", "X.")
                .sample("x", 1, "prefix", odd)
                .toString();

        assertEquals("# HELP x X.\n# TYPE x gauge\nx{prefix=\"/a \\\"b\\\"\\\\c\\nd\"} 1\n", text);
        assertEquals(1, TextFormat.parse(text).get("x").value("x", "prefix", odd));
    }

    @Test
    void escapesBackslashAndLineFeedButNotQuotesInHelp() {
        String text = new PrometheusText().family("x", "gauge", "A \\ \"b\"\nc").toString();

        assertEquals("# HELP x A \\\\ \"b\"\\nc\n# TYPE x gauge\n", text);
        assertEquals("A \\ \"b\"\nc", TextFormat.parse(text).get("x").help());
    }

    @Test
    void writesNumbersAsGoClientsDo() {
        assertEquals("0.0005", PrometheusText.number(0.0005));
        assertEquals("0.0025", PrometheusText.number(0.0025));
        assertEquals("10", PrometheusText.number(10));
        assertEquals("1", PrometheusText.number(1.0));
        assertEquals("2.5", PrometheusText.number(2.5));
        assertEquals("0", PrometheusText.number(0));
        assertEquals("0", PrometheusText.number(-0.0));
        assertEquals("0.000000001", PrometheusText.number(1e-9));
        assertEquals("1234567890123", PrometheusText.number(1_234_567_890_123.0));
        assertEquals("-3.25", PrometheusText.number(-3.25));
        assertEquals("+Inf", PrometheusText.number(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", PrometheusText.number(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", PrometheusText.number(Double.NaN));
    }

    @Test
    void labelsComeInPairs() {
        PrometheusText text = new PrometheusText().family("x", "gauge", "X.");
        assertThrows(IllegalArgumentException.class, () -> text.sample("x", 1, "lonely"));
    }
}

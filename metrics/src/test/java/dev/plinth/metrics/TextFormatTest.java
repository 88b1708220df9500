package dev.plinth.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test parser refuses what it is there to catch. */
class TextFormatTest {

    private static final String HISTOGRAM = "# HELP h_seconds Help.\n# TYPE h_seconds histogram\n";

    @Test
    void readsFamiliesSamplesAndEscapes() {
        Map<String, TextFormat.Family> families =
                TextFormat.parse("# HELP c_total Counts \\\\ and\\nlines \"quoted\".\n"
                        + "# TYPE c_total counter\n"
                        + "c_total{a=\"x\\\\y\\\"z\\n\",b=\"\"} 3\n"
                        + "c_total 1.5e3\n"
                        + HISTOGRAM
                        + "h_seconds_bucket{le=\"0.5\"} 1\n"
                        + "h_seconds_bucket{le=\"+Inf\"} 2\n"
                        + "h_seconds_sum 0.7\n"
                        + "h_seconds_count 2\n");

        TextFormat.Family counter = families.get("c_total");
        assertEquals("counter", counter.type());
        assertEquals("Counts \\ and\nlines \"quoted\".", counter.help());
        assertEquals(3, counter.value("c_total", "a", "x\\y\"z\n", "b", ""));
        assertEquals(1500, counter.value("c_total"));
        assertEquals(2, families.get("h_seconds").value("h_seconds_count"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "# TYPE c counter\nc 1\n", // no HELP
                "# HELP c C.\n# TYPE c counter\nc 1", // no line feed at the end
                "# HELP c C.\n# TYPE c counter\n\nc 1\n", // a blank line
                "# HELP c C.\n# TYPE c counter\n# a comment\n",
                "# HELP c C.\n# TYPE c counter\nc 1 1700000000000\n", // a timestamp
                "# HELP c C.\n# TYPE c counter\nd 1\n", // outside its family
                "# HELP c C.\n# TYPE c counter\nc{a=\"1\"} 1\nc{a=\"1\"} 2\n", // a series twice
                "# HELP c C.\n# TYPE c counter\nc -1\n",
                "# HELP c C.\n# TYPE c counter\nc{a=\"x\"y\"} 1\n", // an unescaped quote
                "# HELP c C.\n# TYPE c counter\nc{a=\"\\t\"} 1\n", // an unknown escape
                "# HELP c C.\n# TYPE c counter\nc{a=\"1\",a=\"2\"} 1\n",
                "# HELP c C.\n# TYPE c counter\nc{a=\"1\",} 1\n",
                "# HELP c C.\n# TYPE c counter\nc 1,5\n",
                "# HELP c C.\n# TYPE c counter\n# HELP c C.\n# TYPE c counter\n",
                "# HELP c C.\n# TYPE c widget\n",
                HISTOGRAM + "h_seconds_bucket{le=\"0.5\"} 1\nh_seconds_sum 1\nh_seconds_count 1\n", // no +Inf
                HISTOGRAM + "h_seconds_bucket{le=\"0.5\"} 2\nh_seconds_bucket{le=\"+Inf\"} 1\nh_seconds_sum 1\n"
                        + "h_seconds_count 1\n", // not cumulative
                HISTOGRAM + "h_seconds_bucket{le=\"+Inf\"} 2\nh_seconds_sum 1\nh_seconds_count 3\n",
                HISTOGRAM + "h_seconds_bucket{le=\"+Inf\"} 2\nh_seconds_count 2\n", // no _sum
                HISTOGRAM + "h_seconds_bucket{le=\"1\"} 1\nh_seconds_bucket{le=\"0.5\"} 1\n"
                        + "h_seconds_bucket{le=\"+Inf\"} 1\nh_seconds_sum 1\nh_seconds_count 1\n", // not ascending
            })
    void refuses(String text) {
        assertThrows(IllegalArgumentException.class, () -> TextFormat.parse(text));
    }
}

package dev.plinth.http.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.core.CoreCounters;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The counters as an operator reads them in a shell: {@link Counters#toString()}. */
class CountersTextTest {

    @Test
    void everyCounterOfServerStatsIsPrintedOnItsOwnLineWithItsNameAndValue() throws Exception {
        Counters counters = new Counters(new CoreCounters());
        counters.accepted();
        counters.accepted();
        counters.accepted();
        counters.closed();
        counters.refused();
        counters.bytesIn.add(120);
        counters.bytesOut.add(3_400);
        counters.transportErrors.increment();
        counters.peakQueued.accumulate(77);

        String text = counters.toString();

        List<String> lines = text.lines().toList();
        List<Method> stats = Arrays.stream(ServerStats.class.getMethods())
                .filter(m -> m.getParameterCount() == 0 && m.getReturnType() == long.class)
                .toList();
        assertEquals(stats.size(), lines.size(), text);
        for (Method counter : stats) {
            String expected = counter.getName() + " " + counter.invoke(counters);
            assertTrue(
                    lines.stream().anyMatch(line -> line.replaceAll(" +", " ").equals(expected)),
                    "no line '" + expected + "' in\n" + text);
        }
        assertTrue(lines.contains("%-24s 2".formatted("connectionsOpen")), "values aligned in one column:\n" + text);
        assertTrue(lines.contains("%-24s 3400".formatted("bytesOut")), text);
        assertTrue(text.endsWith("\n"), "ends its last line");
    }
}

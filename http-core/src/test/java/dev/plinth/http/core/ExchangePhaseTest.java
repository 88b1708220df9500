package dev.plinth.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.plinth.http.core.Exchange.Phase;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The moves an exchange's response may make, and only those. */
class ExchangePhaseTest {

    @Test
    void eachPhaseLeadsOnlyToWhatTheProtocolAllows() {
        assertEquals(EnumSet.of(Phase.HANDLING, Phase.HELD, Phase.STREAMING, Phase.SENDING), next(Phase.ADMITTED));
        assertEquals(EnumSet.of(Phase.HELD, Phase.STREAMING, Phase.SENDING), next(Phase.HANDLING));
        assertEquals(EnumSet.of(Phase.SENDING), next(Phase.HELD), "a held answer is never a stream");
        assertEquals(
                EnumSet.of(Phase.HELD, Phase.SENDING),
                next(Phase.STREAMING),
                "a stream that fails before its first part becomes an error page, which may be held");
        assertEquals(EnumSet.of(Phase.SENT), next(Phase.SENDING));
        assertEquals(EnumSet.noneOf(Phase.class), next(Phase.SENT));
    }

    @Test
    void anIllegalMoveIsRefusedAndChangesNothing() {
        Exchange exchange = new Exchange(null, Runnable::run, false);
        assertThrows(IllegalStateException.class, () -> exchange.to(Phase.SENT));
        assertEquals(Phase.ADMITTED, exchange.phase());
        exchange.to(Phase.HANDLING);
        exchange.to(Phase.SENDING);
        assertThrows(IllegalStateException.class, () -> exchange.to(Phase.HANDLING), "no second answer");
        assertEquals(Phase.SENDING, exchange.phase());
    }

    private static Set<Phase> next(Phase from) {
        Set<Phase> next = EnumSet.noneOf(Phase.class);
        for (Phase to : Phase.values()) {
            if (from.leadsTo(to)) {
                next.add(to);
            }
        }
        return next;
    }
}

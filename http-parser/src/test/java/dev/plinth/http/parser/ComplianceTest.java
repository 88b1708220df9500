package dev.plinth.http.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The named modes and the configuration text that {@link Compliance#parse} reads. */
class ComplianceTest {
    private static final String KNOWN = "known: LF_LINE_ENDINGS, LF_CHUNK_LINE_ENDINGS, OBS_FOLD, "
            + "WHITESPACE_BEFORE_COLON, MULTIPLE_CONTENT_LENGTHS";

    @Test
    void strictToleratesNothing() {
        assertEquals(Set.of(), Compliance.STRICT.allowed());
        for (Violation violation : Violation.values()) {
            assertFalse(Compliance.STRICT.allows(violation), violation.name());
        }
    }

    @Test
    void legacyToleratesTheLowRiskViolationsOnly() {
        assertEquals(
                Set.of(Violation.LF_LINE_ENDINGS, Violation.OBS_FOLD, Violation.MULTIPLE_CONTENT_LENGTHS),
                Compliance.LEGACY.allowed());
        assertFalse(Compliance.LEGACY.allows(Violation.LF_CHUNK_LINE_ENDINGS));
        assertFalse(Compliance.LEGACY.allows(Violation.WHITESPACE_BEFORE_COLON));
    }

    @Test
    void aModeKeepsACopyOfItsSet() {
        EnumSet<Violation> set = EnumSet.of(Violation.OBS_FOLD);
        Compliance mode = new Compliance("mine", set);
        set.add(Violation.LF_LINE_ENDINGS);
        assertEquals(Set.of(Violation.OBS_FOLD), mode.allowed());
        assertThrows(UnsupportedOperationException.class, () -> mode.allowed().add(Violation.LF_LINE_ENDINGS));
        assertEquals(Set.of(), new Compliance("none", Set.of()).allowed());
    }

    @Test
    void aModeNameAloneIsThatMode() {
        assertSame(Compliance.STRICT, Compliance.parse("STRICT"));
        assertSame(Compliance.LEGACY, Compliance.parse(" LEGACY "));
    }

    static Stream<Arguments> specs() {
        return Stream.of(
                arguments(
                        "STRICT,+LF_LINE_ENDINGS,+OBS_FOLD",
                        "STRICT,+LF_LINE_ENDINGS,+OBS_FOLD",
                        EnumSet.of(Violation.LF_LINE_ENDINGS, Violation.OBS_FOLD)),
                arguments(
                        "LEGACY,-OBS_FOLD",
                        "LEGACY,-OBS_FOLD",
                        EnumSet.of(Violation.LF_LINE_ENDINGS, Violation.MULTIPLE_CONTENT_LENGTHS)),
                arguments(
                        " LEGACY , +WHITESPACE_BEFORE_COLON\t",
                        "LEGACY,+WHITESPACE_BEFORE_COLON",
                        EnumSet.of(
                                Violation.LF_LINE_ENDINGS,
                                Violation.OBS_FOLD,
                                Violation.MULTIPLE_CONTENT_LENGTHS,
                                Violation.WHITESPACE_BEFORE_COLON)),
                arguments("STRICT,+OBS_FOLD,-OBS_FOLD", "STRICT,+OBS_FOLD,-OBS_FOLD", EnumSet.noneOf(Violation.class)),
                arguments("STRICT,-OBS_FOLD,+OBS_FOLD", "STRICT,-OBS_FOLD,+OBS_FOLD", EnumSet.of(Violation.OBS_FOLD)),
                arguments("STRICT,-LF_LINE_ENDINGS", "STRICT,-LF_LINE_ENDINGS", EnumSet.noneOf(Violation.class)));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void violationsAreAddedAndRemovedInOrder(String spec, String name, Set<Violation> allowed) {
        Compliance mode = Compliance.parse(spec);
        assertEquals(name, mode.name());
        assertEquals(allowed, mode.allowed());
        for (Violation violation : Violation.values()) {
            assertEquals(allowed.contains(violation), mode.allows(violation), violation.name());
        }
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                arguments(
                        "strict",
                        "compliance 'strict': 'strict' is not a mode; it must begin with one of STRICT, " + "LEGACY"),
                arguments("", "compliance '': '' is not a mode; it must begin with one of STRICT, LEGACY"),
                arguments(
                        "+OBS_FOLD",
                        "compliance '+OBS_FOLD': '+OBS_FOLD' is not a mode; it must begin with one "
                                + "of STRICT, LEGACY"),
                arguments(
                        "STRICT,OBS_FOLD",
                        "compliance 'STRICT,OBS_FOLD': 'OBS_FOLD' must be +VIOLATION or " + "-VIOLATION"),
                arguments("STRICT,", "compliance 'STRICT,': '' must be +VIOLATION or -VIOLATION"),
                arguments("STRICT,+FOLD", "compliance 'STRICT,+FOLD': 'FOLD' is not a violation; " + KNOWN),
                arguments("LEGACY,-obs_fold", "compliance 'LEGACY,-obs_fold': 'obs_fold' is not a violation; " + KNOWN),
                arguments("STRICT,+", "compliance 'STRICT,+': '' is not a violation; " + KNOWN));
    }

    @ParameterizedTest
    @MethodSource("invalidSpecs")
    void anUnknownNameIsRefusedWithWhatIsKnown(String spec, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Compliance.parse(spec));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aParsedModeTakesEffectInTheParser() {
        String lfOnly = "GET / HTTP/1.1\nHost: a\n\n";
        ParserConfig lenient = ParserConfig.DEFAULT.withCompliance(Compliance.parse("STRICT,+LF_LINE_ENDINGS"));
        assertTrue(Harness.feed(lenient, Harness.bytes(lfOnly), new int[0], false, ByteBuffer::allocate)
                .endsWith("complete"));
        Harness.assertRejects(
                ParserConfig.DEFAULT.withCompliance(Compliance.parse("LEGACY,-LF_LINE_ENDINGS")), lfOnly, Rule.BARE_LF);
    }
}

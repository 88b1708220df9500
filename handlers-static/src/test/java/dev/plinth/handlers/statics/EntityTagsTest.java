package dev.plinth.handlers.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Entity tags at the edges of their grammar (RFC 9110 §8.8.3), which no ETag of ours reaches on the wire. */
class EntityTagsTest {

    @Test
    void everyVisibleCharacterButTheQuoteMayAppearInATag() {
        assertTrue(EntityTags.isTag("\"!#~\""));
        assertTrue(EntityTags.isTag("W/\"!\""));
        assertTrue(EntityTags.isTag("\"\""), "an empty opaque tag");
        assertFalse(EntityTags.isTag("\"a b\""), "no space");
        assertFalse(EntityTags.isTag("\"a\u007fb\""), "no DEL");
    }

    @Test
    void aListWithAMalformedTagAnywhereMatchesNothing() {
        EntityTags.Condition nothing = new EntityTags.Condition(false, List.of());
        for (String list : List.of("\"x\", \"a b\"", "\"x\", \"abc", "\"x\", abc", "\"x\" \"y\"", "W/")) {
            assertEquals(Optional.of(nothing), EntityTags.parseList(List.of(list)), list);
        }
    }

    @Test
    void aListWithTagsOfEveryVisibleCharacterIsRead() {
        assertEquals(
                Optional.of(new EntityTags.Condition(false, List.of("\"!\"", "W/\"~\""))),
                EntityTags.parseList(List.of("\"!\" ,W/\"~\"")));
    }
}

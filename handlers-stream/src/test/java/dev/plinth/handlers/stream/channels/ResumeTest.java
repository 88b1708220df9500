package dev.plinth.handlers.stream.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.channels.Channel;
import dev.plinth.http.handler.testing.TestRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResumeTest {

    @Test
    void anIdOfTheChannelsEpochResumesAfterIt() {
        assertEquals(new Resume(41, null), Resume.from("k3x9-41", "k3x9"));
        assertEquals(new Resume(41, null), Resume.from(" k3x9-41 ", "k3x9"));
        assertEquals(new Resume(0, null), Resume.from("k3x9-0", "k3x9"));
    }

    @Test
    void noIdIsLiveWithoutANote() {
        assertEquals(Resume.LIVE, Resume.from(null, "k3x9"));
        assertEquals(Resume.LIVE, Resume.from("", "k3x9"));
        assertEquals(Resume.LIVE, Resume.from("  ", "k3x9"));
    }

    @Test
    void anyOtherIdIsLiveWithANote() {
        for (String id : List.of(
                "other-41",
                "k3x9",
                "k3x9-",
                "k3x9-x",
                "k3x9--1",
                "k3x9-1.5",
                "-41",
                "k3x9-1234567890123456789",
                "k3x")) {
            Resume resume = Resume.from(id, "k3x9");
            assertEquals(Channel.LIVE, resume.lastSeenId(), id);
            assertNotNull(resume.note(), id);
            assertTrue(resume.note().endsWith("starting from now"), resume.note());
        }
    }

    @Test
    void theNoteCannotInjectLinesAndIsShort() {
        String note = Resume.from("x\ndata: forged" + "y".repeat(500), "k3x9").note();
        assertTrue(note.indexOf('\n') < 0 && note.length() < 200, note);
    }

    @Test
    void theFieldWinsOverTheQuery() {
        assertEquals(
                "a-2", Resume.lastEventId(TestRequest.get("/e?lastEventId=a-1").header("Last-Event-ID", "a-2")));
        assertEquals("a-1", Resume.lastEventId(TestRequest.get("/e?lastEventId=a-1")));
        assertNull(Resume.lastEventId(TestRequest.get("/e")));
    }
}

package dev.plinth.example.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README's "Embedding" section shows the body of {@link Main#main} exactly as the example compiles it. */
class ReadmeSnippetTest {

    @Test
    void theReadmeShowsTheBodyOfMainAsItIs() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("plinth.example.readme")));
        int section = readme.indexOf("\n## Embedding\n");
        assertTrue(section >= 0, "README has an Embedding section");
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        List<String> shown =
                readme.substring(start, readme.indexOf("```", start)).lines().toList();
        assertTrue(shown.size() <= 15, "at most 15 lines: " + shown.size());
        assertEquals(String.join("\n", mainBody()), String.join("\n", shown));
    }

    /** The lines inside {@code main}, less the method's indentation. */
    private static List<String> mainBody() throws IOException {
        List<String> lines = Files.readAllLines(Path.of(System.getProperty("plinth.example.main")));
        int open = 0;
        while (!lines.get(open).contains("public static void main(")) {
            open++;
        }
        String indent = lines.get(open).substring(0, lines.get(open).indexOf("public"));
        int close = open + 1;
        while (!lines.get(close).equals(indent + "}")) {
            close++;
        }
        String body = indent + "    ";
        return lines.subList(open + 1, close).stream()
                .map(line -> line.startsWith(body) ? line.substring(body.length()) : line.strip())
                .toList();
    }
}

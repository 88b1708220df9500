package dev.plinth.http.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README.md's table of listener settings says what the configuration does: every setting of the listener's metatype
 * (as the build wrote it for Config Admin) is in it, with the same default. The metatype's defaults are the constants
 * of ServerConfig, CoreConfig and ParserConfig, so those, the metatype and the README agree.
 */
class ReadmeSettingsTest {

    /** Settings README.md describes in prose, before the table. */
    private static final Set<String> OUTSIDE_THE_TABLE = Set.of("host", "port");

    private static final Pattern NAME = Pattern.compile("`(\\w+)`");
    private static final Pattern ATTRIBUTE =
            Pattern.compile("<AD id=\"(\\w+)\"[^>]*? description=\"([^\"]*)\"[^>]*? default=\"([^\"]*)\"");

    @Test
    void theReadmeTableListsEverySettingWithItsDefault() throws IOException {
        Map<String, String[]> metatype = metatype();
        Set<String> described = new TreeSet<>(OUTSIDE_THE_TABLE);
        for (String[] row : tableRows()) {
            List<String> names = new ArrayList<>();
            Matcher name = NAME.matcher(row[0]);
            while (name.find()) {
                names.add(name.group(1));
            }
            String[] defaults = row[1].split(", (?![^(]*\\))");
            assertEquals(names.size(), defaults.length, "one default per setting in " + row[0]);
            for (int i = 0; i < names.size(); i++) {
                String[] attribute = metatype.get(names.get(i));
                assertTrue(attribute != null, names.get(i) + " is not a listener setting");
                assertDefault(
                        names.get(i),
                        attribute[0],
                        attribute[1],
                        defaults[i].replace("`", "").strip());
                described.add(names.get(i));
            }
        }
        assertEquals(metatype.keySet(), described, "README.md and the metatype name the same settings");
    }

    private static void assertDefault(String name, String description, String value, String shown) {
        String readme = shown.equals("—") ? "" : shown; // a dash: nothing by default
        if (value.equals("0") && !readme.matches("\\d+")) {
            // 0 means "computed", one per core and so on: the README says from what
            assertTrue(description.contains("0 means"), name + ": 0 is not documented as computed");
            return;
        }
        String expected = readme.endsWith(" GiB")
                ? String.valueOf(Long.parseLong(readme.substring(0, readme.length() - 4)) << 30)
                : readme;
        assertEquals(expected, value, "README.md's default of " + name);
    }

    /** @return each attribute's description and default, by id */
    private static Map<String, String[]> metatype() throws IOException {
        Path folder = Path.of("target/classes/OSGI-INF/metatype");
        Map<String, String[]> attributes = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher attribute = ATTRIBUTE.matcher(Files.readString(file));
                while (attribute.find()) {
                    attributes.put(attribute.group(1), new String[] {attribute.group(2), attribute.group(3)});
                }
            }
        }
        assertTrue(attributes.containsKey("compliance"), "the listener's metatype is in " + folder);
        return attributes;
    }

    private static List<String[]> tableRows() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("../README.md"));
        int header = lines.indexOf("| setting | default | what it does |");
        assertTrue(header >= 0, "README.md has the listener settings table");
        List<String[]> rows = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split(" \\| ");
            rows.add(new String[] {cells[0].substring(2), cells[1]});
        }
        return rows;
    }
}

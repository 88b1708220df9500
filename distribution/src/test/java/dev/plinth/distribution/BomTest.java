package dev.plinth.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The BOM has no parent, so nothing keeps it in step with the build by itself: it must carry the project's version,
 * manage every artifact the parent manages for Plinth (but the example), and name the OSGi annotations' versions the
 * modules compile against.
 */
class BomTest {

    private static final Set<String> NOT_PUBLISHED = Set.of("example-hello");
    private static final Set<String> ANNOTATIONS = Set.of(
            "osgi.annotation", "org.osgi.service.component.annotations", "org.osgi.service.metatype.annotations");

    @Test
    void theBomManagesWhatTheParentManagesAtTheSameVersions() throws Exception {
        Document parent = read(Path.of("../pom.xml"));
        Document bom = read(Path.of("../bom/pom.xml"));
        assertEquals(text(parent.getDocumentElement(), "version"), text(bom.getDocumentElement(), "version"));

        Map<String, String> expected = new TreeMap<>();
        managed(parent).forEach((artifact, version) -> {
            boolean plinth = artifact.startsWith("dev.plinth:")
                    && !NOT_PUBLISHED.contains(artifact.substring(artifact.indexOf(':') + 1));
            if (plinth || ANNOTATIONS.contains(artifact.substring(artifact.indexOf(':') + 1))) {
                expected.put(artifact, version);
            }
        });
        assertEquals(expected, managed(bom));
    }

    /** groupId:artifactId to version of the dependencyManagement entries of the jar type. */
    private static Map<String, String> managed(Document pom) {
        Map<String, String> versions = new TreeMap<>();
        Element management =
                (Element) pom.getElementsByTagName("dependencyManagement").item(0);
        NodeList dependencies = management.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            if (text(dependency, "type").isEmpty()) {
                versions.put(
                        text(dependency, "groupId") + ":" + text(dependency, "artifactId"),
                        text(dependency, "version"));
            }
        }
        return versions;
    }

    private static String text(Element parent, String child) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(child)) {
                return element.getTextContent().strip();
            }
        }
        return "";
    }

    private static Document read(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }
}

package dev.plinth.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;

/**
 * The built features file: valid against the schema that Karaf itself reads it with, every version filled in, and
 * every Plinth bundle it names one that this build made. Needs no running Karaf (so it runs on every JDK).
 */
class FeaturesXmlIT {

    private static final Path FEATURES = Path.of(System.getProperty("plinth.karaf.feature"), "features.xml");
    private static final String VERSION = System.getProperty("plinth.version");

    @Test
    void validAgainstKarafsFeaturesSchema() throws Exception {
        String karafVersion = System.getProperty("plinth.karaf.version");
        Path core = Path.of(
                System.getProperty("plinth.karaf.dist"),
                "system/org/apache/karaf/features/org.apache.karaf.features.core",
                karafVersion,
                "org.apache.karaf.features.core-" + karafVersion + ".jar");
        // the namespace of the file is this schema's (v1.6.0, Karaf 4.4's newest), or validation fails
        URI xsd = URI.create("jar:" + core.toUri() + "!/org/apache/karaf/features/karaf-features-1.6.0.xsd");
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(xsd.toURL())
                .newValidator()
                .validate(new StreamSource(FEATURES.toFile()));
    }

    @Test
    void everyVersionFilledInAndEveryPlinthBundleBuilt() throws Exception {
        String text = Files.readString(FEATURES);
        assertFalse(text.contains("@project.version@"), text);
        Path repository = Path.of(System.getProperty("plinth.karaf.repository"));
        List<String> bundles = new ArrayList<>();
        Matcher bundle = Pattern.compile("<bundle>mvn:dev\\.plinth/([^/]+)/([^<]+)</bundle>")
                .matcher(text);
        while (bundle.find()) {
            assertEquals(VERSION, bundle.group(2), bundle.group());
            bundles.add(bundle.group(1));
            Path jar = repository.resolve(
                    "dev/plinth/" + bundle.group(1) + "/" + VERSION + "/" + bundle.group(1) + "-" + VERSION + ".jar");
            assertTrue(Files.isRegularFile(jar), bundle.group() + ": no " + jar);
        }
        // the distribution's bundles (bundles/ and bundles/shell/) and the example
        assertEquals(16, bundles.size(), bundles.toString());
    }
}

package dev.plinth.http.core.compress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which Content-Type values are worth compressing, by default and as configured. */
class CompressibleTypesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "text/html",
                "text/html; charset=utf-8",
                "TEXT/Plain;charset=UTF-8",
                " text/css ",
                "text/event-stream",
                "text/javascript; charset=utf-8",
                "application/json",
                "application/problem+json",
                "application/ld+json; profile=x",
                "application/javascript",
                "application/xml",
                "application/atom+xml",
                "image/svg+xml",
                "application/wasm",
            })
    void textJsonScriptXmlSvgAndWasmAreCompressedByDefault(String type) {
        assertTrue(CompressibleTypes.defaults().compressible(type), type);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "image/png",
                "image/jpeg",
                "video/mp4",
                "font/woff2",
                "application/gzip",
                "application/zip",
                "application/octet-stream",
                "application/+json",
                "application/jsonx",
                "image/svg",
                "text",
                "/html",
                "text/",
                "text/html/x",
                "*/*",
                "text/*",
                "",
                ";charset=utf-8",
            })
    void otherAndMalformedTypesAreNot(String type) {
        assertFalse(CompressibleTypes.defaults().compressible(type), type);
    }

    @Test
    void aRememberedAnswerIsForThatValueOnly() {
        CompressibleTypes types = CompressibleTypes.defaults();
        for (int round = 0; round < 3; round++) {
            assertTrue(types.compressible("text/html; charset=utf-8"));
            assertTrue(types.compressible("text/html; charset=utf-8"), "asked again: the remembered answer");
            assertFalse(types.compressible("image/png"));
            assertFalse(types.compressible("image/png"));
            assertTrue(types.compressible("application/json"));
        }
        assertFalse(CompressibleTypes.of(List.of("application/json")).compressible("text/html; charset=utf-8"));
    }

    @Test
    void aMissingTypeIsNotCompressed() {
        assertFalse(CompressibleTypes.defaults().compressible(null));
    }

    @Test
    void patternsMayNameATypeATypeFamilyOrASuffix() {
        CompressibleTypes types = CompressibleTypes.of(List.of("application/x-ndjson", "font/*", "*/*+xml"));
        assertTrue(types.compressible("application/x-ndjson"));
        assertTrue(types.compressible("font/ttf"));
        assertTrue(types.compressible("image/svg+xml; charset=utf-8"));
        assertTrue(types.compressible("application/RSS+XML"));
        assertFalse(types.compressible("text/html"));
        assertFalse(types.compressible("application/xml"));
        assertTrue(CompressibleTypes.of(List.of("Application/*+JSON")).compressible("application/vnd.api+json"));
    }

    @Test
    void noPatternsCompressNothing() {
        assertFalse(CompressibleTypes.of(List.of()).compressible("text/html"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*/*", "*", "text", "*/html", "te xt/html", "", "text/*+", "*/+xml", "/json", "text/"})
    void aMalformedPatternIsAConfigurationError(String pattern) {
        assertThrows(IllegalArgumentException.class, () -> CompressibleTypes.of(List.of(pattern)));
    }
}

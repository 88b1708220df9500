package dev.plinth.handlers.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaTypesTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "index.html      | text/html; charset=utf-8",
                "old.HTM         | text/html; charset=utf-8",
                "site.css        | text/css; charset=utf-8",
                "app.min.js      | text/javascript; charset=utf-8",
                "mod.mjs         | text/javascript; charset=utf-8",
                "data.json       | application/json; charset=utf-8",
                "app.js.map      | application/json; charset=utf-8",
                "feed.xml        | application/xml; charset=utf-8",
                "logo.svg        | image/svg+xml; charset=utf-8",
                "notes.txt       | text/plain; charset=utf-8",
                "README.md       | text/markdown; charset=utf-8",
                "table.csv       | text/csv; charset=utf-8",
                "photo.JPG       | image/jpeg",
                "photo.jpeg      | image/jpeg",
                "icon.png        | image/png",
                "anim.gif        | image/gif",
                "pic.webp        | image/webp",
                "pic.avif        | image/avif",
                "favicon.ico     | image/vnd.microsoft.icon",
                "font.woff       | font/woff",
                "font.woff2      | font/woff2",
                "font.ttf        | font/ttf",
                "font.otf        | font/otf",
                "code.wasm       | application/wasm",
                "doc.pdf         | application/pdf",
                "clip.mp4        | video/mp4",
                "clip.webm       | video/webm",
                "song.mp3        | audio/mpeg",
                "song.ogg        | audio/ogg",
                "sound.wav       | audio/wav",
                "all.zip         | application/zip",
                "all.tar.gz      | application/gzip",
                "all.tar         | application/x-tar",
                "Makefile        | application/octet-stream",
                ".htaccess       | application/octet-stream",
                "trailing.       | application/octet-stream",
                "thing.unknown   | application/octet-stream"
            })
    void namesTypesByExtension(String name, String type) {
        assertEquals(type, MediaTypes.STANDARD.of(name));
    }

    @Test
    void aDotFileIsTypedByTheNameAfterItsDot() {
        MediaTypes mapped = MediaTypes.STANDARD.with("bashrc=text/x-shellscript");
        assertEquals("text/x-shellscript; charset=utf-8", mapped.of(".bashrc"));
        assertEquals("text/x-shellscript; charset=utf-8", mapped.of("x.bashrc"));
    }
}

package dev.plinth.example.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.TestRequest;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
class HelloHandlerTest {

    private final HelloHandler handler = new HelloHandler(new HelloHandler.Config() {
        @Override
        public Class<? extends Annotation> annotationType() {
            return HelloHandler.Config.class;
        }

        @Override
        public String plinth_handler_prefix() {
            return "/hello";
        }

        @Override
        public String greeting() {
            return "Hello";
        }
    });

    @Test
    void greetsTheWorld() throws Exception {
        Response response =
                handler.handle(TestRequest.get("/hello")).toCompletableFuture().get();
        assertEquals(200, response.status());
        assertEquals(
                "text/plain; charset=utf-8",
                response.headers().first("Content-Type").orElseThrow());
        assertEquals("Hello from a Plinth handler bundle\n", text(response));
    }

    @Test
    void greetsByName() throws Exception {
        Response response = handler.respond(TestRequest.get("/hello?name=Ada%20L"));
        assertEquals("Hello, Ada L\n", text(response));
    }

    @Test
    void blankNameGreetsTheWorld() throws Exception {
        Response response = handler.respond(TestRequest.get("/hello?name=%20"));
        assertEquals("Hello from a Plinth handler bundle\n", text(response));
    }

    /** The README shows this handler as the example of a handler bundle: the copy there is the file itself. */
    @Test
    void theReadmeShowsThisFileAsItIs() throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/plinth/example/hello/HelloHandler.java"));
        String readme = Files.readString(Path.of("../../README.md"));
        assertTrue(readme.contains("```java\n" + source + "```\n"), "README.md's copy of HelloHandler.java differs");
    }

    private static String text(Response response) {
        ByteBuffer bytes = ((Body.Bytes) response.body()).content();
        return StandardCharsets.UTF_8.decode(bytes).toString();
    }
}

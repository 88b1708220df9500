package dev.plinth.example.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.testing.TestConfig;
import dev.plinth.http.handler.testing.TestRequest;
import dev.plinth.http.handler.testing.TestResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
class HelloHandlerTest {

    private final HelloHandler handler = new HelloHandler(TestConfig.of(HelloHandler.Config.class));

    @Test
    void greetsTheWorld() throws Exception {
        TestResponse response =
                TestResponse.call(handler, TestRequest.get("/hello").prefix("/hello"));
        assertEquals(200, response.status());
        assertEquals(
                "text/plain; charset=utf-8", response.header("Content-Type").orElseThrow());
        assertEquals("nosniff", response.header("X-Content-Type-Options").orElseThrow());
        assertEquals("Hello from a Plinth handler bundle\n", response.text());
    }

    @Test
    void greetsByName() throws Exception {
        TestResponse response = TestResponse.call(handler, TestRequest.get("/hello?name=Ada%20L"));
        assertEquals("Hello, Ada L\n", response.text());
    }

    @Test
    void theGreetingIsConfigured() throws Exception {
        HelloHandler hi = new HelloHandler(TestConfig.of(HelloHandler.Config.class, Map.of("greeting", "Hi")));
        assertEquals(
                "Hi, Ada\n",
                TestResponse.call(hi, TestRequest.get("/hello?name=Ada")).text());
    }

    @Test
    void blankNameGreetsTheWorld() throws Exception {
        TestResponse response = TestResponse.call(handler, TestRequest.get("/hello?name=%20"));
        assertEquals("Hello from a Plinth handler bundle\n", response.text());
    }

    /** The README shows this handler as the example of a handler bundle: the copy there is the file itself. */
    @Test
    void theReadmeShowsThisFileAsItIs() throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/plinth/example/hello/HelloHandler.java"));
        String readme = Files.readString(Path.of("../../README.md"));
        assertTrue(readme.contains("```java\n" + source + "```\n"), "README.md's copy of HelloHandler.java differs");
    }
}

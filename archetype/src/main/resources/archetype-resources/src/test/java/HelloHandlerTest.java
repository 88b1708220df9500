package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plinth.http.handler.testing.TestConfig;
import dev.plinth.http.handler.testing.TestRequest;
import dev.plinth.http.handler.testing.TestResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HelloHandlerTest {

    private final HelloHandler handler = new HelloHandler(TestConfig.of(HelloHandler.Config.class));

    @Test
    void greetsTheWorld() throws Exception {
        TestResponse response = TestResponse.call(handler, TestRequest.get("${prefix}"));
        assertEquals(200, response.status());
        assertEquals("text/plain; charset=utf-8", response.header("Content-Type").orElseThrow());
        assertEquals("Hello from ${artifactId}\n", response.text());
    }

    @Test
    void greetsByNameWithTheConfiguredGreeting() throws Exception {
        HelloHandler hi = new HelloHandler(TestConfig.of(HelloHandler.Config.class, Map.of("greeting", "Hi")));
        TestResponse response = TestResponse.call(hi, TestRequest.get("${prefix}?name=Ada%20L"));
        assertEquals("Hi, Ada L\n", response.text());
    }

    @Test
    void refusesOtherMethods() throws Exception {
        TestResponse response = TestResponse.call(handler, TestRequest.of("POST", "${prefix}").body("x"));
        assertEquals(405, response.status());
        assertEquals("GET, HEAD", response.header("Allow").orElseThrow());
    }
}

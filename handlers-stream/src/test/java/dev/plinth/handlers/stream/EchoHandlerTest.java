package dev.plinth.handlers.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plinth.http.handler.Body;
import dev.plinth.http.handler.Response;
import dev.plinth.http.handler.testing.TestRequest;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EchoHandlerTest {

    private final EchoHandler handler = new EchoHandler(new EchoHandler.Config() {
        @Override
        public Class<? extends Annotation> annotationType() {
            return EchoHandler.Config.class;
        }

        @Override
        public String plinth_handler_prefix() {
            return "/stream/echo";
        }
    });

    @Test
    void relaysTheBodyInOrderAtTheReadersPace() throws Exception {
        PartsPublisher upload = PartsPublisher.of("hello ", "plinth ", "world");
        TestRequest request = TestRequest.of("POST", "/stream/echo").body(18, upload);
        request.header("Content-Type", "text/plain; charset=utf-8");

        Response response = handle(request);
        assertEquals(200, response.status());
        assertEquals(
                "text/plain; charset=utf-8",
                response.headers().first("Content-Type").orElseThrow());
        Body.Parts body = assertInstanceOf(Body.Parts.class, response.body());
        assertEquals(18, body.length());
        assertSame(upload, body.publisher(), "the upload itself is relayed, nothing in between");
        assertEquals(0, upload.emitted, "nothing read before the response is read");

        RecordingSubscriber reader = new RecordingSubscriber(0);
        body.publisher().subscribe(reader);
        reader.request(1);
        assertEquals(List.of("hello "), reader.items);
        assertEquals(1, upload.emitted, "one part read for one part asked");
        reader.request(2);
        reader.awaitEnd(Duration.ofSeconds(5));
        assertEquals(List.of("hello ", "plinth ", "world"), reader.items);
        assertTrue(reader.completed());
        assertEquals(List.of(1L, 2L), upload.requests, "the reader's demand reaches the upload unchanged");
        assertEquals(List.of(), reader.violations);
    }

    @Test
    void chunkedUploadGivesABodyOfUnknownLengthWithTheDefaultType() throws Exception {
        PartsPublisher upload = PartsPublisher.of("a", "b");
        Response response = handle(TestRequest.of("PUT", "/stream/echo").body(-1, upload));
        assertEquals(200, response.status());
        assertEquals(
                "application/octet-stream",
                response.headers().first("Content-Type").orElseThrow());
        Body.Parts body = assertInstanceOf(Body.Parts.class, response.body());
        assertEquals(-1, body.length());

        RecordingSubscriber reader = new RecordingSubscriber(1);
        body.publisher().subscribe(reader);
        reader.awaitEnd(Duration.ofSeconds(5));
        assertEquals("ab", reader.text());
        assertEquals(List.of(), reader.violations);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "DELETE", "PATCH"})
    void otherMethodsAreNotAllowed(String method) throws Exception {
        Response response = handle(TestRequest.of(method, "/stream/echo"));
        assertEquals(405, response.status());
        assertEquals("POST, PUT", response.headers().first("Allow").orElseThrow());
    }

    private Response handle(TestRequest request) throws Exception {
        return handler.handle(request).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}

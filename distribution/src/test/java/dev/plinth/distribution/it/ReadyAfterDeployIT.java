package dev.plinth.distribution.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.plinth.distribution.it.HttpProbe.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

/**
 * A node with a handler bundle in deploy/ when it starts is not ready before that handler serves: readiness waits for
 * FileInstall's first pass, so a load balancer never sends a request the node would answer 404.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ReadyAfterDeployIT extends ContainerTest {

    @Override
    protected void prepare(Path home) throws IOException {
        Files.copy(
                Path.of(required("plinth.it.bundles")).resolve("example-hello.jar"), home.resolve("deploy/hello.jar"));
    }

    @Test
    public void readyOnlyOnceTheBundlesInDeployServe() throws Exception {
        int port = awaitListenerPort();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        Reply ready = HttpProbe.get(port, "/health/ready");
        while (ready.status() != 200) {
            String text = new String(ready.body(), StandardCharsets.UTF_8);
            assertTrue("ready within " + WAIT_MILLIS + " ms; last: " + text, System.nanoTime() < deadline);
            ready = HttpProbe.get(port, "/health/ready");
        }
        assertEquals(
                "the moment it is ready, the deployed handler serves",
                200,
                HttpProbe.get(port, "/hello").status());
        assertTrue(
                new String(ready.body(), StandardCharsets.UTF_8),
                new String(ready.body(), StandardCharsets.UTF_8).contains("\"name\":\"deploy\",\"ok\":true"));
    }
}

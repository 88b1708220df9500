package dev.plinth.distribution.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real browser for tests: Debian's Chromium, headless, driven over the Chrome DevTools Protocol through the JDK's
 * own WebSocket client, so no driver or npm package is needed. One page; {@link #open} navigates it, {@link #evaluate}
 * runs JavaScript in it and returns the result as a string.
 *
 * <p>Started with the flags this machine's notes prescribe (no sandbox as root, no GPU, no QUIC, no background
 * networking, component updates or sync: the network is closed and Chromium would keep trying), and a fresh profile
 * in a temporary folder. {@code --remote-debugging-port=0} lets Chromium pick a port, which it writes to
 * {@code DevToolsActivePort} in the profile.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Duration START_WAIT = Duration.ofSeconds(30);
    private static final Duration CALL_WAIT = Duration.ofSeconds(10);
    private static final Pattern PAGE_SOCKET =
            Pattern.compile("\"type\":\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\":\\s*\"([^\"]+)\"", Pattern.DOTALL);
    private static final Pattern ID = Pattern.compile("^\\{\"id\":(\\d+),");
    private static final Pattern VALUE = Pattern.compile(
            "\"result\":\\{\"type\":\"\\w+\",\"value\":(true|false|-?[0-9.eE+-]+|\"(?:[^\"\\\\]|\\\\.)*\")");

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<String>> calls = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /**
     * Starts Chromium on a blank page.
     *
     * @param profile an empty folder for its profile
     * @return the browser, connected
     */
    static HeadlessChromium start(Path profile) throws Exception {
        List<String> command = List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "about:blank");
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(PlinthProcess.nullDevice()))
                    .redirectErrorStream(true)
                    .redirectOutput(profile.resolveSibling(profile.getFileName() + ".log")
                            .toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError("this test needs Debian's 'chromium' on the PATH: " + e.getMessage(), e);
        }
        try {
            int port = debuggingPort(profile, process);
            HttpClient http =
                    HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
            String targets = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                    .timeout(CALL_WAIT)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            Matcher page = PAGE_SOCKET.matcher(targets);
            if (!page.find()) {
                throw new AssertionError("Chromium lists no page: " + targets);
            }
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder()
                    .connectTimeout(CALL_WAIT)
                    .buildAsync(URI.create(page.group(1)), listener)
                    .get(CALL_WAIT.toSeconds(), TimeUnit.SECONDS);
            HeadlessChromium chromium = new HeadlessChromium(process, socket);
            listener.owner = chromium;
            return chromium;
        } catch (Exception | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Waits, bounded, for Chromium to write its debugging port into the profile. */
    private static int debuggingPort(Path profile, Process process) throws Exception {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).strip());
                }
            }
            // Chromium offers no event for this but the file; it appears within a second or two
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("Chromium did not open its debugging port within " + START_WAIT + " (alive: "
                + process.isAlive() + "); see " + profile.getFileName() + ".log");
    }

    /**
     * Navigates the page and waits for its {@code load} event.
     *
     * @param url the address
     */
    void open(String url) throws Exception {
        call("Page.navigate", "{\"url\":" + quote(url) + "}", CALL_WAIT);
        awaitTrue("document.readyState === 'complete'", "load", CALL_WAIT, "document.readyState");
    }

    /**
     * Evaluates JavaScript in the page.
     *
     * @param expression an expression whose value is a string, number or boolean, or a promise of one
     * @return its value as JSON text (a string comes quoted)
     */
    String evaluate(String expression) throws Exception {
        return evaluate(expression, CALL_WAIT);
    }

    private String evaluate(String expression, Duration timeout) throws Exception {
        String reply = call(
                "Runtime.evaluate",
                "{\"expression\":" + quote(expression) + ",\"returnByValue\":true,\"awaitPromise\":true}",
                timeout);
        Matcher value = VALUE.matcher(reply);
        return value.find() ? value.group(1) : reply;
    }

    /**
     * Waits, bounded, until a condition holds in the page: checked now and at each event of that name on the window,
     * inside the page (a promise the protocol awaits), so nothing polls.
     *
     * @param condition a JavaScript boolean expression
     * @param event the name of the event after which to check again, dispatched on {@code window}
     * @param timeout how long to wait
     * @param shown an expression whose value the failure shows
     */
    void awaitTrue(String condition, String event, Duration timeout, String shown) throws Exception {
        String waiting = "new Promise(resolve => { const check = () => { if (" + condition + ") {"
                + " window.removeEventListener(" + quote(event) + ", check); resolve(true); } };"
                + " window.addEventListener(" + quote(event) + ", check); check(); })";
        try {
            evaluate(waiting, timeout);
        } catch (TimeoutException e) {
            throw new AssertionError("in Chromium, not true within " + timeout + ": " + condition + "; " + shown + " = "
                    + evaluate(shown));
        }
    }

    private String call(String method, String params, Duration timeout) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<String> reply = new CompletableFuture<>();
        calls.put(id, reply);
        socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true)
                .get(CALL_WAIT.toSeconds(), TimeUnit.SECONDS);
        String text;
        try {
            text = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            calls.remove(id);
        }
        if (text.contains("\"exceptionDetails\":") || text.startsWith("{\"id\":" + id + ",\"error\":")) {
            throw new AssertionError(method + " failed: " + text);
        }
        return text;
    }

    /** @return the text as a JSON string */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    @Override
    public void close() throws InterruptedException {
        socket.abort();
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Collects each reply (a whole text message) and completes the call with its id; events are ignored. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        volatile HeadlessChromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                Matcher id = ID.matcher(message);
                if (id.find() && owner != null) {
                    CompletableFuture<String> call = owner.calls.remove(Integer.parseInt(id.group(1)));
                    if (call != null) {
                        call.complete(message);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}

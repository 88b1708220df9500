import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop HTTP/1.1 load generator that attributes every answer to a phase named on its standard input.
 *
 * <pre>java PhaseLoad.java HOST PORT NAME=PATH:CONNECTIONS...   (e.g. stable=/:2 swapped=/hello:2)</pre>
 *
 * <p>Each connection is persistent and sends one GET at a time, the next as soon as the answer is read. The phase of a
 * request is the last line read from standard input when the request is sent (the first phase is {@code start}).
 * "ready" is printed once every connection has had an answer. A line {@code end}, the end of input, or
 * {@code -Dmax.seconds} (default 900) stops the load; then one line per path and phase:
 * {@code result NAME PHASE requests=N 2xx=N 404=N other=N errors=N [status:count...] [error:count...]}.
 *
 * <p>A socket error (refused, reset, closed before a whole answer, no answer within 5 s) is counted for the phase and
 * the connection opened again, after 10 ms.
 */
public final class PhaseLoad {

    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final int READ_TIMEOUT_MILLIS = 5_000;

    private static volatile String phase = "start";
    private static volatile boolean stop;
    private static final List<String> phases = new CopyOnWriteArrayList<>(List.of("start"));
    private static final Map<String, Counts> counts = new ConcurrentHashMap<>();

    /** The answers of one path in one phase. */
    static final class Counts {
        final LongAdder requests = new LongAdder();
        final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

        long status(int from, int to) {
            long n = 0;
            for (Map.Entry<Integer, LongAdder> e : statuses.entrySet()) {
                n += e.getKey() >= from && e.getKey() <= to ? e.getValue().sum() : 0;
            }
            return n;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: java PhaseLoad.java HOST PORT NAME=PATH:CONNECTIONS...");
            System.exit(2);
        }
        InetSocketAddress address = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        List<Thread> workers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int total = 0;
        for (int i = 2; i < args.length; i++) {
            total += Integer.parseInt(args[i].substring(args[i].lastIndexOf(':') + 1));
        }
        CountDownLatch ready = new CountDownLatch(total);
        for (int i = 2; i < args.length; i++) {
            String name = args[i].substring(0, args[i].indexOf('='));
            String path = args[i].substring(args[i].indexOf('=') + 1, args[i].lastIndexOf(':'));
            int connections = Integer.parseInt(args[i].substring(args[i].lastIndexOf(':') + 1));
            names.add(name);
            byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + args[0] + ":" + args[1] + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            for (int c = 0; c < connections; c++) {
                Thread t = new Thread(() -> run(address, name, request, ready), "load-" + name + "-" + c);
                t.setDaemon(true);
                workers.add(t);
                t.start();
            }
        }
        Thread limit = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(Long.getLong("max.seconds", 900)));
                System.err.println("PhaseLoad: max.seconds reached, stopping");
                stop = true;
                System.in.close();
            } catch (InterruptedException | IOException e) {
                // stopping anyway
            }
        });
        limit.setDaemon(true);
        limit.start();
        Thread announce = new Thread(() -> {
            try {
                if (ready.await(30, TimeUnit.SECONDS)) {
                    System.out.println("ready");
                    System.out.flush();
                }
            } catch (InterruptedException e) {
                // not ready
            }
        });
        announce.setDaemon(true);
        announce.start();

        var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; !stop && (line = in.readLine()) != null; ) {
            line = line.strip();
            if (line.equals("end")) {
                break;
            }
            if (!line.isEmpty()) {
                if (!phases.contains(line)) {
                    phases.add(line);
                }
                phase = line;
            }
        }
        stop = true;
        for (Thread t : workers) {
            t.join(READ_TIMEOUT_MILLIS + 1_000L);
        }
        for (String name : names) {
            for (String p : phases) {
                Counts c = counts.get(name + " " + p);
                if (c == null) {
                    continue;
                }
                StringBuilder line = new StringBuilder(String.format(
                        Locale.ROOT,
                        "result %s %s requests=%d 2xx=%d 404=%d other=%d errors=%d",
                        name,
                        p,
                        c.requests.sum(),
                        c.status(200, 299),
                        c.status(404, 404),
                        c.requests.sum() - c.status(200, 299) - c.status(404, 404) - errors(c),
                        errors(c)));
                new TreeMap<>(c.statuses).forEach((s, n) -> {
                    if (s != 404 && (s < 200 || s > 299)) {
                        line.append(' ').append(s).append(':').append(n.sum());
                    }
                });
                new TreeMap<>(c.errors).forEach((e, n) -> line.append(' ').append(e).append(':').append(n.sum()));
                System.out.println(line);
            }
        }
        System.out.flush();
        System.exit(0);
    }

    private static long errors(Counts c) {
        return c.errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private static void run(InetSocketAddress address, String name, byte[] request, CountDownLatch ready) {
        Socket socket = null;
        InputStream in = null;
        boolean counted = false;
        while (!stop) {
            Counts c = counts.computeIfAbsent(name + " " + phase, k -> new Counts());
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
                    socket.connect(address, CONNECT_TIMEOUT_MILLIS);
                    in = new BufferedInputStream(socket.getInputStream(), 16_384);
                }
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                boolean keep = readResponse(in, c);
                c.requests.increment();
                if (!counted) {
                    counted = true;
                    ready.countDown();
                }
                if (!keep) {
                    socket.close();
                    socket = null;
                }
            } catch (IOException e) {
                c.requests.increment();
                c.errors.computeIfAbsent(kind(e), k -> new LongAdder()).increment();
                closeQuietly(socket);
                socket = null;
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
        closeQuietly(socket);
    }

    private static String kind(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "timeout";
        }
        if (e instanceof EOFException) {
            return "closed-early";
        }
        if (e instanceof java.net.ConnectException) {
            return "refused";
        }
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("reset") ? "reset" : m.contains("broken pipe") ? "broken-pipe" : e.getClass().getSimpleName();
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** Reads one answer (Content-Length, chunked, or until close); returns whether the connection stays open. */
    private static boolean readResponse(InputStream in, Counts c) throws IOException {
        String statusLine = line(in);
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = statusLine.startsWith("HTTP/1.0");
        for (String h; !(h = line(in)).isEmpty(); ) {
            int colon = h.indexOf(':');
            String field = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (field) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.endsWith("chunked");
                case "connection" -> close = value.contains("close") || (close && !value.contains("keep-alive"));
                default -> {}
            }
        }
        if (chunked) {
            for (long size; (size = Long.parseLong(line(in).split(";")[0].trim(), 16)) > 0; ) {
                skip(in, size);
                line(in);
            }
            while (!line(in).isEmpty()) {
                // trailer fields
            }
        } else if (length >= 0) {
            skip(in, length);
        } else if (status >= 200 && status != 204 && status != 304) {
            while (in.read() >= 0) {
                // body until close
            }
            close = true;
        }
        c.statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
        return !close;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int ch; (ch = in.read()) != '\n'; ) {
            if (ch < 0) {
                throw new EOFException();
            }
            if (ch != '\r') {
                b.append((char) ch);
            }
        }
        return b.toString();
    }

    private static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException();
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    private PhaseLoad() {}
}

package dev.plinth.benchmarks.compress;

import dev.plinth.http.core.compress.GzipBody;
import dev.plinth.http.core.compress.RegionParts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Flow;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * What on-the-fly gzip costs per response, in the code the core runs, for the sample site's files and larger texts:
 * compressed size, ratio, CPU microseconds per response (the measuring thread's CPU time, medians over rounds), MB/s
 * of input and bytes allocated on the heap per response.
 *
 * <p>Ways of compressing, each at levels 1, 6 and 9:
 * <ul>
 *   <li>{@code whole}: {@link GzipBody#gzip(ByteBuffer, int)}, what the core does for a body in memory of at most
 *       16 KiB (a new Deflater per response, ended after);</li>
 *   <li>{@code streamed}: {@code new GzipBody(RegionParts.of(body), level)}, what the core does for a larger body in
 *       memory (files up to the static handler's memoryMaxFileBytes are such bodies), with one SYNC_FLUSH per
 *       16 KiB part; its subscriber asks for one part at a time, as a connection does;</li>
 *   <li>{@code reused} (level 6 only, not a path of the core): {@code whole}'s work with one Deflater kept and
 *       {@code reset()} between responses, to show what creating and ending a Deflater per response costs;</li>
 *   <li>{@code jdk}: {@link GZIPOutputStream} at its default level (zlib's 6), a sanity reference.</li>
 * </ul>
 * Every output is checked once to decompress to its input. The cases take turns in rounds (the order rotated each
 * round), each case running for at least {@code roundMillis} of CPU per round, so that other processes' load is
 * spread over all of them.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.plinth.benchmarks.compress.GzipCost [rounds [roundMillis
 * [file...]]]}: without files, the sample site's (distribution/src/main/dist/www), the project's README.md, Debian's
 * jquery.min.js if installed (/usr/share/javascript/jquery, package libjs-jquery) and a generated JSON document
 * ({@link #json()}, 128 KiB, the same on every machine). Run from the repository's root. {@code GzipCost
 * --write-json FILE} writes the generated document.
 */
public final class GzipCost {

    private static final int[] LEVELS = {1, 6, 9};

    private GzipCost() {
    }

    /** One input. */
    record Input(String name, byte[] bytes) {
    }

    /** One way to compress at one level. */
    record Way(String name, int level) {
        String label() {
            return level == Deflater.DEFAULT_COMPRESSION ? name : name + " " + level;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--write-json")) { // the generated document, to serve or inspect
            Files.write(Path.of(args[1]), json());
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        long roundNanos = (args.length > 1 ? Long.parseLong(args[1]) : 40) * 1_000_000L;
        List<Input> inputs = new ArrayList<>();
        if (args.length > 2) {
            for (int i = 2; i < args.length; i++) {
                inputs.add(read(Path.of(args[i])));
            }
        } else {
            for (String name : List.of("index.html", "style.css", "logo.svg", "plinth.png")) {
                inputs.add(read(Path.of("distribution/src/main/dist/www", name)));
            }
            inputs.add(read(Path.of("README.md")));
            Path jquery = Path.of("/usr/share/javascript/jquery/jquery.min.js");
            if (Files.isReadable(jquery)) {
                inputs.add(read(jquery));
            }
            inputs.add(new Input("generated.json", json()));
        }
        List<Way> ways = new ArrayList<>();
        for (int level : LEVELS) {
            ways.add(new Way("whole", level));
        }
        for (int level : LEVELS) {
            ways.add(new Way("streamed", level));
        }
        ways.add(new Way("reused", 6));
        ways.add(new Way("jdk", Deflater.DEFAULT_COMPRESSION));

        int cases = inputs.size() * ways.size();
        long[] sizes = new long[cases];
        for (int c = 0; c < cases; c++) {
            Input input = inputs.get(c / ways.size());
            byte[] out = compress(ways.get(c % ways.size()), input.bytes());
            if (!Arrays.equals(gunzip(out), input.bytes())) {
                throw new AssertionError(ways.get(c % ways.size()).label() + " of " + input.name()
                        + " does not decompress to its input");
            }
            sizes[c] = out.length;
        }

        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 3; i++) { // warm-up: every case well past JIT compilation
            for (int c = 0; c < cases; c++) {
                run(ways.get(c % ways.size()), inputs.get(c / ways.size()).bytes(), roundNanos, threads);
            }
        }
        double[][] micros = new double[cases][rounds];
        double[][] allocated = new double[cases][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < cases; k++) {
                int c = (k + r * 7) % cases;
                long bytes = threads.getThreadAllocatedBytes(thread);
                long[] result = run(ways.get(c % ways.size()), inputs.get(c / ways.size()).bytes(), roundNanos,
                        threads);
                bytes = threads.getThreadAllocatedBytes(thread) - bytes;
                micros[c][r] = result[1] / 1000.0 / result[0];
                allocated[c][r] = (double) bytes / result[0];
            }
        }

        System.out.printf(Locale.ROOT, "JDK %s (%s), %d rounds of at least %d ms CPU per case; medians%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"), rounds,
                roundNanos / 1_000_000);
        System.out.printf(Locale.ROOT, "%-16s %9s  %-11s %9s %7s %12s %16s %9s %12s%n", "file", "bytes", "way",
                "gzip", "ratio", "CPU us/resp", "p25..p75", "MB/s", "heap B/resp");
        for (int c = 0; c < cases; c++) {
            Input input = inputs.get(c / ways.size());
            Way way = ways.get(c % ways.size());
            double[] sorted = micros[c].clone();
            Arrays.sort(sorted);
            double median = median(micros[c]);
            System.out.printf(Locale.ROOT, "%-16s %9d  %-11s %9d %7.3f %12.1f %7.1f..%-8.1f %9.1f %12.0f%n",
                    input.name(), input.bytes().length, way.label(), sizes[c],
                    (double) sizes[c] / input.bytes().length, median, sorted[rounds / 4], sorted[rounds * 3 / 4],
                    input.bytes().length / median, median(allocated[c]));
        }
    }

    private static Input read(Path file) throws IOException {
        return new Input(file.getFileName().toString(), Files.readAllBytes(file));
    }

    /**
     * A JSON document as an API answers: an array of objects of the same shape (ids, names, e-mail addresses,
     * ISO dates, numbers, booleans, a tag list, a short sentence), from a fixed seed, so every run and machine makes
     * the same bytes; as many elements as fit in 128 KiB (131,072 bytes), 453 (130,870 bytes).
     */
    static byte[] json() {
        Random random = new Random(20261130L);
        String[] first = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Dennis", "Radia",
            "Leslie", "Niklaus", "John", "Margaret", "Tony", "Butler"};
        String[] last = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson",
            "Ritchie", "Perlman", "Lamport", "Wirth", "McCarthy", "Hamilton", "Hoare", "Lampson"};
        String[] tags = {"admin", "beta", "billing", "eu", "us", "trial", "enterprise", "mobile", "api", "legacy"};
        String[] words = {"the", "order", "was", "shipped", "late", "customer", "asked", "for", "a", "refund",
            "invoice", "updated", "after", "review", "pending", "approval", "by", "support", "team", "today"};
        StringBuilder out = new StringBuilder("[\n");
        int kept = out.length();
        for (int i = 0; i < 1000; i++) {
            String f = first[random.nextInt(first.length)];
            String l = last[random.nextInt(last.length)];
            out.append(i == 0 ? "" : ",\n").append("  {\"id\": ").append(100_000 + i * 7 + random.nextInt(7))
                    .append(", \"uuid\": \"").append(new java.util.UUID(random.nextLong(), random.nextLong()))
                    .append("\", \"name\": \"").append(f).append(' ').append(l)
                    .append("\", \"email\": \"").append(f.toLowerCase(Locale.ROOT)).append('.')
                    .append(l.toLowerCase(Locale.ROOT)).append(random.nextInt(100)).append("@example.com\"")
                    .append(", \"created\": \"2026-").append(String.format(Locale.ROOT, "%02d-%02dT%02d:%02d:%02dZ",
                            1 + random.nextInt(12), 1 + random.nextInt(28), random.nextInt(24), random.nextInt(60),
                            random.nextInt(60)))
                    .append("\", \"balance\": ").append(String.format(Locale.ROOT, "%.2f",
                            random.nextInt(1_000_000) / 100.0))
                    .append(", \"active\": ").append(random.nextBoolean())
                    .append(", \"tags\": [");
            int n = random.nextInt(4);
            for (int t = 0; t < n; t++) {
                out.append(t == 0 ? "\"" : ", \"").append(tags[random.nextInt(tags.length)]).append('"');
            }
            out.append("], \"note\": \"");
            int w = 4 + random.nextInt(10);
            for (int t = 0; t < w; t++) {
                out.append(t == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
            }
            out.append("\"}");
            if (out.length() + 3 > 128 * 1024) {
                out.setLength(kept);
                break;
            }
            kept = out.length();
        }
        return out.append("\n]\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @return responses compressed and CPU nanoseconds used, compressing for at least {@code cpuNanos} */
    private static long[] run(Way way, byte[] input, long cpuNanos, com.sun.management.ThreadMXBean threads) {
        long start = threads.getCurrentThreadCpuTime();
        long responses = 0;
        long used;
        long sink = 0;
        do {
            for (int i = 0; i < 8; i++) {
                sink += compressedLength(way, input);
            }
            responses += 8;
            used = threads.getCurrentThreadCpuTime() - start;
        } while (used < cpuNanos);
        if (sink == 42) {
            System.out.print(""); // keeps the results alive
        }
        return new long[] {responses, used};
    }

    private static long compressedLength(Way way, byte[] input) {
        switch (way.name()) {
            case "whole":
                return GzipBody.gzip(ByteBuffer.wrap(input), way.level()).remaining();
            case "streamed":
                return Collect.length(new GzipBody(RegionParts.of(ByteBuffer.wrap(input)), way.level()));
            case "reused":
                return Reused.gzip(input).remaining();
            default:
                return jdk(input).length;
        }
    }

    private static byte[] compress(Way way, byte[] input) {
        switch (way.name()) {
            case "whole":
                return bytes(GzipBody.gzip(ByteBuffer.wrap(input), way.level()));
            case "streamed":
                return Collect.bytes(new GzipBody(RegionParts.of(ByteBuffer.wrap(input)), way.level()));
            case "reused":
                return bytes(Reused.gzip(input));
            default:
                return jdk(input);
        }
    }

    private static byte[] jdk(byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 2 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] gzip) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    /** GzipBody.gzip's work with one Deflater (level 6) kept for the thread and reset between responses. */
    private static final class Reused {
        private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
        private static final Deflater DEFLATER = new Deflater(6, true);

        static ByteBuffer gzip(byte[] input) {
            CRC32 crc = new CRC32();
            crc.update(input);
            DEFLATER.reset();
            DEFLATER.setInput(input);
            DEFLATER.finish();
            byte[] out = new byte[HEADER.length + input.length + (input.length >> 12) + 64 + 8];
            System.arraycopy(HEADER, 0, out, 0, HEADER.length);
            int length = HEADER.length;
            while (!DEFLATER.finished()) {
                if (length == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                length += DEFLATER.deflate(out, length, out.length - length);
            }
            if (out.length - length < 8) {
                out = Arrays.copyOf(out, length + 8);
            }
            long value = crc.getValue();
            for (int i = 0; i < 4; i++) {
                out[length + i] = (byte) (value >>> (8 * i));
                out[length + 4 + i] = (byte) (input.length >>> (8 * i));
            }
            return ByteBuffer.wrap(out, 0, length + 8);
        }
    }

    /**
     * Subscribes to a compressed body as a connection does: one part at a time, the next asked for once the previous
     * is taken. Every signal here comes synchronously from {@code request}, so the body is complete on return.
     */
    private static final class Collect implements Flow.Subscriber<ByteBuffer> {
        private final ByteArrayOutputStream keep;
        private Flow.Subscription subscription;
        private long length;
        private boolean done;
        private Throwable failure;

        private Collect(boolean keepBytes) {
            this.keep = keepBytes ? new ByteArrayOutputStream() : null;
        }

        static long length(Flow.Publisher<ByteBuffer> body) {
            return new Collect(false).drain(body).length;
        }

        static byte[] bytes(Flow.Publisher<ByteBuffer> body) {
            return new Collect(true).drain(body).keep.toByteArray();
        }

        private Collect drain(Flow.Publisher<ByteBuffer> body) {
            body.subscribe(this);
            subscription.request(1);
            if (!done) {
                throw new IllegalStateException("the body did not complete synchronously", failure);
            }
            return this;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(ByteBuffer part) {
            length += part.remaining();
            if (keep != null) {
                keep.write(part.array(), part.arrayOffset() + part.position(), part.remaining());
            }
            subscription.request(1); // re-entrant: GzipBody's loop takes it up after this returns
        }

        @Override
        public void onError(Throwable t) {
            failure = t;
        }

        @Override
        public void onComplete() {
            done = true;
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}

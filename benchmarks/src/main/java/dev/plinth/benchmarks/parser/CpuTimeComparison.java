package dev.plinth.benchmarks.parser;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A cross-check of {@link ParserBenchmark} for a shared, noisy machine: the three parsers take turns in short rounds
 * (order rotated each round), and each round is measured in CPU time of the measuring thread, not wall time, so
 * other processes' load does not count against whichever parser happened to run while it was high. Prints the
 * median requests per CPU second and bytes allocated per request of each, and the ratios.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.plinth.benchmarks.parser.CpuTimeComparison [rounds]}
 */
public final class CpuTimeComparison {
    private static final String[] NAMES = {"plinth", "jetty", "netty"};

    private CpuTimeComparison() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        ParserBenchmark benchmark = new ParserBenchmark();
        benchmark.setup();
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        // warm-up: every parser well past JIT compilation
        for (int i = 0; i < 3; i++) {
            for (int p = 0; p < 3; p++) {
                run(benchmark, p, bh, 400_000_000L, threads);
            }
        }
        double[][] rates = new double[3][rounds];
        double[][] bytes = new double[3][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 3; k++) {
                int p = (r + k) % 3;
                long allocated = threads.getThreadAllocatedBytes(thread);
                long[] result = run(benchmark, p, bh, 200_000_000L, threads);
                allocated = threads.getThreadAllocatedBytes(thread) - allocated;
                rates[p][r] = result[0] * 1e9 / result[1];
                bytes[p][r] = (double) allocated / result[0];
            }
        }
        System.out.printf("JDK %s, %d rounds of 0.2 s CPU each per parser%n", System.getProperty("java.version"), rounds);
        System.out.printf("%-8s %16s %14s %16s %12s%n", "parser", "requests/CPU-s", "p25..p75", "bytes/request",
                "vs plinth");
        double plinth = median(rates[0]);
        for (int p = 0; p < 3; p++) {
            double[] sorted = rates[p].clone();
            Arrays.sort(sorted);
            System.out.printf("%-8s %16.0f %7.0f..%-7.0f %16.1f %11.2fx%n", NAMES[p], median(rates[p]),
                    sorted[rounds / 4], sorted[rounds * 3 / 4], median(bytes[p]), plinth / median(rates[p]));
        }
    }

    /** @return requests parsed and CPU nanoseconds used, running parser {@code p} for at least {@code cpuNanos} */
    private static long[] run(ParserBenchmark benchmark, int p, Blackhole bh, long cpuNanos,
            com.sun.management.ThreadMXBean threads) throws Exception {
        long start = threads.getCurrentThreadCpuTime();
        long requests = 0;
        long used;
        do {
            for (int i = 0; i < 64; i++) {
                switch (p) {
                    case 0:
                        benchmark.plinth(bh);
                        break;
                    case 1:
                        benchmark.jetty(bh);
                        break;
                    default:
                        benchmark.netty(bh);
                        break;
                }
            }
            requests += 64L * Corpus.SIZE;
            used = threads.getCurrentThreadCpuTime() - start;
        } while (used < cpuNanos);
        return new long[] {requests, used};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}

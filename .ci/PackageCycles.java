import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * Reports package cycles inside each module's classes (jdeps' package graph, strongly connected components) and
 * fails if there is one. Run from the project root after a build: {@code java .ci/PackageCycles.java MODULE...}.
 */
public final class PackageCycles {

    private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+\\S+");

    public static void main(String[] modules) throws IOException {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        boolean cyclic = false;
        for (String module : modules) {
            Path classes = Path.of(module, "target", "classes");
            if (!Files.isDirectory(classes)) {
                System.out.println(module + ": not built");
                cyclic = true;
                continue;
            }
            Path copy = withoutModuleInfo(classes);
            StringWriter out = new StringWriter();
            jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:package", "-filter:none",
                    copy.toString());
            Map<String, Set<String>> graph = new TreeMap<>();
            for (String line : out.toString().split("\n")) {
                Matcher edge = EDGE.matcher(line);
                if (edge.find()) {
                    graph.computeIfAbsent(edge.group(1), p -> new TreeSet<>()).add(edge.group(2));
                }
            }
            List<List<String>> cycles = new Tarjan(graph).cycles();
            System.out.println(
                    module + ": " + graph.size() + " packages, cycles: " + (cycles.isEmpty() ? "none" : cycles));
            cyclic |= !cycles.isEmpty();
        }
        if (cyclic) {
            System.exit(1);
        }
    }

    private static Path withoutModuleInfo(Path classes) throws IOException {
        Path copy = Files.createTempDirectory("cycles");
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(f -> f.toString().endsWith(".class") && !f.endsWith("module-info.class")).forEach(f -> {
                try {
                    Path target = copy.resolve(classes.relativize(f).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return copy;
    }

    /** Strongly connected components of more than one package: the cycles. */
    private static final class Tarjan {
        private final Map<String, Set<String>> graph;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final List<List<String>> cycles = new ArrayList<>();

        Tarjan(Map<String, Set<String>> graph) {
            this.graph = graph;
        }

        List<List<String>> cycles() {
            for (String p : graph.keySet()) {
                if (!index.containsKey(p)) {
                    visit(p);
                }
            }
            return cycles;
        }

        private void visit(String p) {
            index.put(p, index.size());
            low.put(p, index.get(p));
            stack.push(p);
            for (String q : graph.getOrDefault(p, Set.of())) {
                if (!graph.containsKey(q) || q.equals(p)) {
                    continue; // another module's package, or itself
                }
                if (!index.containsKey(q)) {
                    visit(q);
                    low.put(p, Math.min(low.get(p), low.get(q)));
                } else if (stack.contains(q)) {
                    low.put(p, Math.min(low.get(p), index.get(q)));
                }
            }
            if (low.get(p).equals(index.get(p))) {
                List<String> component = new ArrayList<>();
                String q;
                do {
                    q = stack.pop();
                    component.add(q);
                } while (!q.equals(p));
                if (component.size() > 1) {
                    cycles.add(component);
                }
            }
        }
    }
}

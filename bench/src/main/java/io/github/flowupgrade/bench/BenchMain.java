package io.github.flowupgrade.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of bench/run: {@code <figure> --out FILE [--runs N] [--network TEXT]} measures one figure in this JVM
 * and writes its JSON; {@code report --out FILE PART...} joins the parts, prints the table and writes the result.
 * Each figure runs in its own JVM because they need different heaps and network namespaces.
 */
public final class BenchMain {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchMain() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception e) {
            // The fixtures' non-daemon threads (MINA, HTTP server) would keep a failed figure's JVM alive.
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        Map<String, String> options = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i].substring(2), args[++i]);
            } else {
                rest.add(args[i]);
            }
        }
        int runs = Integer.parseInt(options.getOrDefault("runs", "5"));
        Path out = Path.of(options.getOrDefault("out", "/dev/stdout"));
        String loadBefore = loadAverage();
        List<Figure> figures;
        switch (args[0]) {
            case "release" -> figures = ReleaseLookupBench.run();
            case "volume" -> figures = OutputVolumeBench.run(runs);
            case "fleet" -> figures = FleetBench.run(runs, options.getOrDefault("network", "loopback"));
            case "probe-ciphers" -> figures = CipherProbe.run();
            case "upgrade" -> figures = UpgradeBench.run(runs, UpgradeBench.Options.from(options));
            case "report" -> {
                report(rest, out);
                return;
            }
            default -> {
                usage();
                return;
            }
        }
        String loadAfter = loadAverage();
        List<Map<String, Object>> maps = new ArrayList<>();
        for (Figure figure : figures) {
            Map<String, Object> map = figure.toMap();
            @SuppressWarnings("unchecked")
            Map<String, Object> details = (Map<String, Object>) map.get("details");
            // Other work on the machine competes for the same cores; the load says how much.
            details.put("loadAverageBefore", loadBefore);
            details.put("loadAverageAfter", loadAfter);
            maps.add(map);
        }
        JSON.writeValue(out.toFile(), maps);
        // The JVM may hold non-daemon threads of the fixtures (MINA, HTTP server): the figure is written, so end.
        System.exit(0);
    }

    /** The 1, 5 and 15 minute load averages (Linux), or "unknown". */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void usage() {
        System.err.println("usage: BenchMain release|volume|fleet|upgrade --out FILE [--runs N]"
                + " | report --out FILE PART.json...");
        System.exit(2);
    }

    private static void report(List<String> parts, Path out) throws Exception {
        List<Map<String, Object>> figures = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String part : parts) {
            Path file = Path.of(part);
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                missing.add(file.getFileName().toString());
                continue;
            }
            figures.addAll(JSON.readValue(file.toFile(), new TypeReference<List<Map<String, Object>>>() {}));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("measuredAt", Instant.now().toString());
        result.put("machine", machine());
        result.put("figures", figures);
        result.put("missing", missing);
        Files.createDirectories(out.toAbsolutePath().getParent());
        JSON.writeValue(out.toFile(), result);
        System.out.println(table(figures));
        if (!missing.isEmpty()) {
            System.out.println("not measured (see the log above): " + String.join(", ", missing));
        }
    }

    static String table(List<Map<String, Object>> figures) {
        StringBuilder table = new StringBuilder();
        table.append("| figure | measured | target | result |\n|---|---|---|---|\n");
        for (Map<String, Object> figure : figures) {
            Object unit = figure.get("unit");
            table.append("| ")
                    .append(figure.get("name"))
                    .append(" | ")
                    .append(number(figure.get("value")))
                    .append(' ')
                    .append(unit)
                    .append(" | ")
                    .append(figure.get("target"))
                    .append(' ')
                    .append(unit)
                    .append(" | ")
                    .append(Boolean.TRUE.equals(figure.get("pass")) ? "pass" : "FAIL")
                    .append(" |\n");
        }
        return table.toString();
    }

    private static String number(Object value) {
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return Long.toString(n.longValue());
        }
        return String.valueOf(value);
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return machine;
    }
}

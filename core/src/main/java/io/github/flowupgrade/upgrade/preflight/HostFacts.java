package io.github.flowupgrade.upgrade.preflight;

import io.github.flowupgrade.remote.ExecResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the pre-flight round trip read about the host itself.
 *
 * @param memoryKb the {@code /proc/meminfo} lines read ({@code MemAvailable}, {@code SwapFree}...), in kB; empty when
 *     unreadable
 * @param diskFreeKb the space free for the application user in the application directory's filesystem, or -1
 * @param diskMount that filesystem's mount point, or null
 * @param rbenvRoot the application user's rbenv root, or null without rbenv
 * @param rbenvVersions the Rubies rbenv has installed
 * @param ruby {@code ruby -v} in the application directory, or null when there is none
 * @param node {@code node -v}, or null when there is none
 * @param corepack where {@code corepack} is, or null
 * @param yarn where {@code yarn} leads once symbolic links are followed (into corepack when corepack is enabled), or
 *     null
 * @param yarnVersion {@code yarn --version} when yarn is not corepack's shim, else null
 * @param settings the names {@code .env.production} sets, or null when it could not be read
 */
record HostFacts(
        Map<String, Long> memoryKb,
        long diskFreeKb,
        String diskMount,
        String rbenvRoot,
        List<String> rbenvVersions,
        String ruby,
        String node,
        String corepack,
        String yarn,
        String yarnVersion,
        Set<String> settings) {

    /**
     * The facts in the output of {@link io.github.flowupgrade.commands.PreflightCommands#probes}: each section's lines
     * count only when it closed with status 0 (settings: else null; the others: empty or null).
     */
    static HostFacts parse(ExecResult result, String marker) {
        Map<String, List<String>> sections = sections(result, marker);
        Map<String, Long> memory = new LinkedHashMap<>();
        for (String line : sections.getOrDefault("memory", List.of())) {
            String[] parts = line.split("[:\\s]+");
            if (parts.length >= 2 && parts[1].matches("\\d{1,15}")) {
                memory.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        long freeKb = -1;
        String mount = null;
        List<String> df = sections.getOrDefault("disk", List.of());
        if (df.size() >= 2) {
            String[] fields = df.get(1).trim().split("\\s+");
            if (fields.length >= 6 && fields[3].matches("\\d{1,18}")) {
                freeKb = Long.parseLong(fields[3]);
                mount = fields[5];
            }
        }
        String rbenvRoot = null;
        List<String> rubies = new ArrayList<>();
        List<String> rbenv = sections.getOrDefault("rubies", List.of());
        if (!rbenv.isEmpty() && rbenv.get(0).startsWith("rbenv ")) {
            rbenvRoot = rbenv.get(0).substring("rbenv ".length()).strip();
            rbenv.stream().skip(1).filter(v -> !v.equals("system")).forEach(rubies::add);
        }
        String corepack = null;
        String yarn = null;
        String yarnVersion = null;
        for (String line : sections.getOrDefault("yarn", List.of())) {
            String value =
                    line.contains(" ") ? line.substring(line.indexOf(' ') + 1).strip() : "";
            String shown = value.isEmpty() || value.equals("none") ? null : value;
            if (line.startsWith("corepack ")) {
                corepack = shown;
            } else if (line.startsWith("yarn ")) {
                yarn = shown;
            } else if (line.startsWith("version ")) {
                yarnVersion = shown;
            }
        }
        List<String> names = sections.get("settings");
        return new HostFacts(
                memory,
                freeKb,
                mount,
                rbenvRoot,
                rubies,
                first(sections.get("ruby")),
                first(sections.get("node")),
                corepack,
                yarn,
                yarnVersion,
                names == null ? null : new LinkedHashSet<>(names));
    }

    /**
     * Each section that closed with status 0, by name: its non-blank lines, stripped. A section that failed or never
     * closed (the script stopped, the output was cut) is absent.
     */
    private static Map<String, List<String>> sections(ExecResult result, String marker) {
        Map<String, List<String>> done = new LinkedHashMap<>();
        if (result == null || result.stdout() == null) {
            return done;
        }
        String open = null;
        List<String> lines = new ArrayList<>();
        for (String line : result.stdout().split("\\R")) {
            if (line.startsWith(marker + " ")) {
                String[] words = line.substring(marker.length() + 1).split(" ");
                if (words.length == 1) {
                    open = words[0];
                    lines = new ArrayList<>();
                } else if (words.length == 2 && words[0].equals("/" + open)) {
                    if (words[1].equals("0")) {
                        done.put(open, List.copyOf(lines));
                    }
                    open = null;
                }
            } else if (open != null && !line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return done;
    }

    private static String first(List<String> lines) {
        return lines == null || lines.isEmpty() ? null : lines.get(0);
    }
}

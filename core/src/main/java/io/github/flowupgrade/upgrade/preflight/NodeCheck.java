package io.github.flowupgrade.upgrade.preflight;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Node.js and yarn for each hop: the host's {@code node -v} against the release's {@code package.json}
 * {@code engines.node} and its {@code .nvmrc} (the Node line it is built with); and, when its {@code packageManager}
 * is Yarn 2 or later (Mastodon moved to Yarn 4 in 4.3), yarn enabled through corepack (or such a yarn installed
 * without it). Node.js 25 and later ship no corepack. A requirement the running release has too is not new: a
 * mismatch there only warns.
 */
final class NodeCheck {
    private NodeCheck() {}

    private record Finding(boolean problem, boolean isNew, String text) {}

    static PreflightCheck evaluate(List<ReleaseFiles> targets, ReleaseFiles running, HostFacts host) {
        List<Finding> findings = new ArrayList<>();
        List<String> met = new ArrayList<>();
        String node = host.node();
        long[] version = NodeRange.exact(node);
        for (ReleaseFiles target : targets) {
            String tag = target.revision();
            String engines = target.nodeEngines().orElse(null);
            if (engines != null) {
                boolean isNew = !Objects.equals(engines, running.nodeEngines().orElse(null));
                NodeRange range = NodeRange.parse(engines);
                if (range == null) {
                    findings.add(new Finding(false, isNew, tag + "'s engines.node \"" + engines + "\" cannot be read"));
                } else if (version == null) {
                    findings.add(new Finding(true, isNew, tag + " wants Node.js " + engines + ", no node found"));
                } else if (!range.matches(node)) {
                    findings.add(new Finding(
                            true,
                            isNew,
                            "node " + node + " does not satisfy " + tag + "'s engines.node \"" + engines + "\""));
                } else {
                    met.add("engines.node \"" + engines + "\" of " + tag);
                }
            }
            String nvmrc = target.nvmrc().orElse(null);
            if (nvmrc != null) {
                boolean isNew = !Objects.equals(nvmrc, running.nvmrc().orElse(null));
                long[] wanted = NodeRange.exact(padded(nvmrc));
                if (wanted == null) {
                    findings.add(new Finding(false, isNew, tag + "'s .nvmrc \"" + nvmrc + "\" names no version"));
                } else if (version == null) {
                    findings.add(
                            new Finding(engines == null, isNew, tag + "'s .nvmrc names " + nvmrc + ", no node found"));
                } else if (!sameLine(nvmrc, version)) {
                    boolean older = NodeRange.compare(version, wanted) < 0;
                    // engines.node decides when there is one; an older Node than .nvmrc without engines fails.
                    findings.add(new Finding(
                            older && engines == null,
                            isNew,
                            "node " + node + " is " + (older ? "older" : "another line") + " than " + tag
                                    + "'s .nvmrc (" + nvmrc + ")"));
                } else {
                    met.add(".nvmrc " + nvmrc + " of " + tag);
                }
            }
            int yarn = target.yarnMajor();
            if (yarn >= 2) {
                boolean isNew = running.yarnMajor() < 2;
                String manager = target.packageManager().orElseThrow();
                if (host.yarn() != null && host.yarn().contains("/corepack/")) {
                    met.add(manager + " of " + tag + " through corepack");
                } else if (host.yarnVersion() != null
                        && host.yarnVersion().matches("\\d+.*")
                        && major(host.yarnVersion()) >= yarn) {
                    met.add(manager + " of " + tag + " (yarn " + host.yarnVersion() + ", without corepack)");
                } else if (host.corepack() != null) {
                    findings.add(
                            new Finding(
                                    true,
                                    isNew,
                                    tag + " uses " + manager + ": corepack is installed ("
                                            + host.corepack() + ") but not enabled"
                                            + (host.yarn() == null ? "" : " (yarn is " + host.yarn() + ")")
                                            + "; run corepack enable (as root, or with --install-directory for the application user)"));
                } else {
                    findings.add(new Finding(
                            true,
                            isNew,
                            tag + " uses " + manager + ", which needs corepack, and"
                                    + " there is none" + (node == null ? "" : " with node " + node)
                                    + " (Node.js 25 and later"
                                    + " ship none): npm install -g corepack, then corepack enable"));
                }
            }
        }
        if (findings.isEmpty() && met.isEmpty()) {
            return PreflightCheck.pass(
                    PreflightPolicy.NODE,
                    "no engines.node, .nvmrc or packageManager in " + RubyCheck.revisions(targets)
                            + ": nothing to check");
        }
        String hostNode = "node " + (node == null ? "none" : node);
        List<String> newProblems = findings.stream()
                .filter(f -> f.problem() && f.isNew())
                .map(Finding::text)
                .toList();
        List<String> others = findings.stream()
                .filter(f -> !(f.problem() && f.isNew()))
                .map(f -> f.text() + (f.problem() ? " (the running release asks the same)" : ""))
                .toList();
        if (!newProblems.isEmpty()) {
            List<String> all = new ArrayList<>(newProblems);
            all.addAll(others);
            return PreflightCheck.fail(PreflightPolicy.NODE, String.join("; ", all));
        }
        String ok = met.isEmpty() ? hostNode : hostNode + ": " + String.join(", ", met);
        if (!others.isEmpty()) {
            return PreflightCheck.warn(PreflightPolicy.NODE, ok + "; " + String.join("; ", others));
        }
        return PreflightCheck.pass(PreflightPolicy.NODE, ok);
    }

    /** {@code 22} as {@code 22.0.0}, {@code v22.11} as {@code 22.11.0}; aliases such as {@code lts/jod} stay as they are. */
    private static String padded(String nvmrc) {
        String v = nvmrc.startsWith("v") ? nvmrc.substring(1) : nvmrc;
        if (!v.matches("\\d+(\\.\\d+){0,2}")) {
            return v;
        }
        int parts = v.split("\\.").length;
        return v + ".0".repeat(3 - parts);
    }

    /** Whether the host's version starts with the parts {@code .nvmrc} gives ({@code 22} matches 22.11.0). */
    private static boolean sameLine(String nvmrc, long[] version) {
        String[] parts = (nvmrc.startsWith("v") ? nvmrc.substring(1) : nvmrc).split("\\.");
        for (int i = 0; i < parts.length && i < 3; i++) {
            if (Long.parseLong(parts[i]) != version[i]) {
                return false;
            }
        }
        return true;
    }

    private static int major(String version) {
        return Integer.parseInt(version.split("[^0-9]", 2)[0]);
    }
}

package io.github.flowupgrade.upgrade.preflight;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pre-flight table of one host, and the toolchain tasks it planned.
 *
 * @param checks one per check, in {@link PreflightPolicy#CHECKS} order
 * @param rubyInstalls the Ruby versions the upgrade installs with rbenv before it changes anything else (only when
 *     the policy allows installing toolchains), in hop order
 * @param durationMs the round trip's time, its commands included
 * @param note why the checks did not run, when they did not (the host was locked by another run), else null
 */
public record PreflightReport(List<PreflightCheck> checks, List<RubyNeed> rubyInstalls, long durationMs, String note) {
    public PreflightReport {
        checks = List.copyOf(checks);
        rubyInstalls = List.copyOf(rubyInstalls);
    }

    /** A Ruby to install, and the first hop whose {@code .ruby-version} names it. */
    public record RubyNeed(String version, String hop) {}

    public List<PreflightCheck> failures() {
        return checks.stream().filter(PreflightCheck::failed).toList();
    }

    /** {@code fail} if any check failed, else {@code warn} if any warned, else {@code pass}; or why none ran. */
    public String status() {
        if (note != null) {
            return "not run";
        }
        if (checks.stream().anyMatch(PreflightCheck::failed)) {
            return PreflightCheck.FAIL;
        }
        if (checks.stream().anyMatch(c -> c.status().equals(PreflightCheck.WARN))) {
            return PreflightCheck.WARN;
        }
        if (checks.stream().anyMatch(c -> c.status().equals(PreflightCheck.PLANNED))) {
            return PreflightCheck.PLANNED;
        }
        return PreflightCheck.PASS;
    }

    /** One line: the status, and each check that did not pass. */
    public String summary() {
        String warned = String.join(
                ", ",
                checks.stream()
                        .filter(c -> !c.status().equals(PreflightCheck.PASS))
                        .map(c -> c.name() + " " + c.status())
                        .toList());
        return status() + (warned.isEmpty() ? "" : " (" + warned + ")");
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("status", status());
        map.put("checks", checks.stream().map(PreflightCheck::toMap).toList());
        map.put("rubyInstalls", rubyInstalls.stream().map(RubyNeed::version).toList());
        map.put("durationMs", durationMs);
        map.put("note", note);
        return map;
    }
}

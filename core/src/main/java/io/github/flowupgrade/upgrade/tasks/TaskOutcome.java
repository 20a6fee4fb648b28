package io.github.flowupgrade.upgrade.tasks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One upgrade task as it ran on one host.
 *
 * @param hop the release this task was run for
 * @param phase {@code after-checkout} or {@code after-restart}
 * @param status {@code done}, {@code failed} or {@code planned} (dry run)
 */
public record TaskOutcome(
        String hop, String phase, String command, List<String> releases, String status, int exitCode, long durationMs) {

    public TaskOutcome {
        releases = List.copyOf(releases);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("hop", hop);
        map.put("phase", phase);
        map.put("command", command);
        map.put("releases", releases);
        map.put("status", status);
        map.put("exitCode", exitCode);
        map.put("durationMs", durationMs);
        return map;
    }
}

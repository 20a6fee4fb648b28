package io.github.flowupgrade.upgrade.backup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a restore ended on one host.
 *
 * @param status {@code restored}, {@code refused} or {@code failed}
 * @param sha256 the dump's SHA-256 as read on the host, or null when it was not read
 * @param confirmedBy who confirmed the restore, or null
 * @param stopped the services stopped before the restore (they stay stopped)
 */
public record RestoreResult(
        String host,
        String dump,
        String sha256,
        String confirmedBy,
        List<String> stopped,
        long durationMs,
        String status,
        String error,
        int exitCode) {
    public static final String RESTORED = "restored";

    public RestoreResult {
        stopped = List.copyOf(stopped);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("host", host);
        map.put("dump", dump);
        map.put("sha256", sha256);
        map.put("confirmedBy", confirmedBy);
        map.put("stopped", stopped);
        map.put("durationMs", durationMs);
        map.put("status", status);
        map.put("error", error);
        map.put("exitCode", exitCode);
        return map;
    }
}

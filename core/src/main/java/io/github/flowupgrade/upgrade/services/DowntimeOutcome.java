package io.github.flowupgrade.upgrade.services;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long a host's site was down for a hop that could not be a rolling update.
 *
 * @param hop the release deployed with the site stopped
 * @param reason the cut-off the notes state, as it was read
 * @param allowedBy who allowed the downtime (the run's actor, with the allow-downtime setting)
 * @param units every unit stopped, in the order they were stopped
 * @param status {@link #RESTORED} (every unit back and healthy), {@link #LEFT_STOPPED} (the run failed while the site
 *     was down and left it so: old code must not run on a half-migrated schema) or {@link #PLANNED} (dry run)
 * @param stoppedAt when the first unit was stopped
 * @param endedAt when the last unit was back (or the failure), null when planned
 * @param durationMs the time between them
 */
public record DowntimeOutcome(
        String hop,
        String reason,
        String allowedBy,
        List<String> units,
        String status,
        Instant stoppedAt,
        Instant endedAt,
        long durationMs) {
    public static final String RESTORED = "restored";
    public static final String LEFT_STOPPED = "left stopped";
    public static final String PLANNED = "planned";

    public DowntimeOutcome {
        units = List.copyOf(units);
    }

    /** "down for 12.3 s", or what is left. */
    public String describe() {
        return switch (status) {
            case RESTORED -> "the site was down for " + seconds() + " (" + hop + ")";
            case LEFT_STOPPED ->
                "the site is DOWN: " + String.join(", ", units) + " left stopped " + seconds()
                        + " after they were stopped for " + hop;
            default -> "the site would be down while " + hop + " migrates";
        };
    }

    private String seconds() {
        return String.format(java.util.Locale.ROOT, "%.1f s", durationMs / 1000.0);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("hop", hop);
        map.put("reason", reason);
        map.put("allowedBy", allowedBy);
        map.put("units", units);
        map.put("status", status);
        map.put("stoppedAt", stoppedAt == null ? null : stoppedAt.toString());
        map.put("endedAt", endedAt == null ? null : endedAt.toString());
        map.put("durationMs", durationMs);
        return map;
    }
}

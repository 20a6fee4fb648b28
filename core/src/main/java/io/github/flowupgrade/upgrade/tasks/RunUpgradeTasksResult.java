package io.github.flowupgrade.upgrade.tasks;

import io.github.flowupgrade.release.ManualItem;
import io.github.flowupgrade.upgrade.backup.BackupOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The upgrade tasks of one phase as they ran on one host ({@code flowRunUpgradeTasks}).
 *
 * @param releases the releases of the range whose notes were read
 * @param requirements the minimum versions checked (after-checkout only)
 * @param manual the manual items of the range (confirmed, when there were any)
 * @param streamingRestart whether the range's notes ask for a streaming restart
 * @param status {@code done}, or {@code planned} in a dry run
 * @param backup the database backup taken before the phase's first migration (or skipped), null without migrations
 */
public record RunUpgradeTasksResult(
        String host,
        String tag,
        String from,
        String phase,
        List<String> releases,
        List<RequirementCheck> requirements,
        List<TaskOutcome> tasks,
        List<ManualItem> manual,
        boolean streamingRestart,
        String status,
        BackupOutcome backup) {

    public RunUpgradeTasksResult {
        releases = List.copyOf(releases);
        requirements = List.copyOf(requirements);
        tasks = List.copyOf(tasks);
        manual = List.copyOf(manual);
    }

    /** The step's result fields. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("host", host);
        map.put("tag", tag);
        map.put("from", from);
        map.put("phase", phase);
        map.put("releases", releases);
        map.put(
                "requirements",
                requirements.stream().map(c -> (Object) c.toMap()).toList());
        map.put("tasks", tasks.stream().map(t -> (Object) t.toMap()).toList());
        map.put("manual", manual.stream().map(m -> (Object) m.toMap()).toList());
        map.put("streamingRestart", streamingRestart);
        map.put("status", status);
        map.put("backup", backup == null ? null : backup.toMap());
        return map;
    }
}

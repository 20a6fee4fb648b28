package io.github.flowupgrade.upgrade.instance;

import io.github.flowupgrade.release.UpgradePlan;
import io.github.flowupgrade.upgrade.UpgradeResult;
import io.github.flowupgrade.upgrade.backup.BackupOutcome;
import io.github.flowupgrade.upgrade.services.StreamingOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the upgrade of an instance ended: every step with the host it ran on, each host's own part (checkouts, tasks,
 * services, as {@link UpgradeResult}s), the streaming restart with its one approval, the backup, and, when it stopped,
 * the step it stopped at and how to resume.
 *
 * @param status {@code upgraded}, {@code pending approval}, {@code planned}, {@code refused} or {@code failed}
 * @param stoppedAt the step that failed, or null
 * @param resume how to finish after a failure: run the instance's upgrade again from {@code from} (completed steps
 *     are safe to repeat), removing the locks this run left when {@code forceUnlock}; null when it succeeded
 * @param rollbackTo the release to check the code out at again when checkouts changed hosts and no migration had
 *     started when the run stopped; else null
 * @param streaming the instance's streaming restart: the decision, its approval, and the units restarted on every
 *     streaming host; null when the run did not get that far
 * @param backup the backup on the migration host before the first migration, or null
 * @param migrated whether a migration started on the migration host in this run
 */
public record InstanceRun(
        InstanceDescription instance,
        String from,
        String target,
        List<String> hops,
        List<String> releases,
        String commit,
        UpgradePlan plan,
        List<InstanceStep> steps,
        List<UpgradeResult> hosts,
        StreamingOutcome streaming,
        BackupOutcome backup,
        boolean migrated,
        long durationMs,
        String status,
        String error,
        int exitCode,
        InstanceStep stoppedAt,
        UpgradeResult.Resume resume,
        String rollbackTo) {

    public InstanceRun {
        hops = List.copyOf(hops);
        releases = List.copyOf(releases);
        steps = List.copyOf(steps);
        hosts = List.copyOf(hosts);
    }

    /** A run that ended before it changed anything: it could not connect, the hosts disagree, the lookup failed. */
    static InstanceRun notStarted(
            InstanceDescription instance, String from, String target, String status, String error, int exitCode) {
        return new InstanceRun(
                instance,
                from,
                target,
                List.of(),
                List.of(),
                null,
                null,
                List.of(),
                List.of(),
                null,
                null,
                false,
                0,
                status,
                error,
                exitCode,
                null,
                exitCode == 0 ? null : new UpgradeResult.Resume(target, from, false),
                null);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The object {@code flow upgrade --instance FILE --json} prints and {@code flowUpgrade(instance: ...)} returns. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("tag", target);
        map.put("exitCode", exitCode);
        map.put("instance", instance.toMap());
        map.put("from", from);
        map.put("hops", hops);
        map.put("status", status);
        map.put("durationMs", durationMs);
        map.put("error", error);
        map.put("stoppedAt", stoppedAt == null ? null : stoppedAt.toMap());
        map.put("resume", resume == null ? null : resume.toMap());
        map.put("rollbackTo", rollbackTo);
        map.put("steps", new ArrayList<>(steps.stream().map(InstanceStep::toMap).toList()));
        map.put("streaming", streaming == null ? null : streaming.toMap());
        map.put("backup", backup == null ? null : backup.toMap());
        map.put("migrated", migrated);
        map.put("releases", releases);
        map.put("commit", commit);
        map.put("plan", plan == null ? null : plan.toMap());
        map.put(
                "hosts",
                new ArrayList<>(hosts.stream().map(UpgradeResult::toMap).toList()));
        // Every host is part of the run; none is left for a later one as in a rolling upgrade of separate hosts.
        map.put("notRun", List.of());
        return map;
    }
}

package io.github.flowupgrade.upgrade;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.release.UpgradePlan;
import io.github.flowupgrade.upgrade.backup.BackupOutcome;
import io.github.flowupgrade.upgrade.checkout.CheckoutResult;
import io.github.flowupgrade.upgrade.services.ServiceOutcome;
import io.github.flowupgrade.upgrade.services.StreamingOutcome;
import io.github.flowupgrade.upgrade.tasks.RequirementCheck;
import io.github.flowupgrade.upgrade.tasks.TaskOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an upgrade ended on one host: every step with its status and time, what each hop checked out and ran, the
 * services, the streaming decision, and, when it stopped early, the error and how to resume or roll back.
 *
 * @param status {@code upgraded}, {@code pending approval} (all done but the streaming restart), {@code planned} (dry
 *     run), {@code refused} or {@code failed}
 * @param exitCode the process exit code this host's outcome maps to
 * @param resume how to finish the upgrade after a failure, or null when it succeeded
 * @param rollbackTo the release to check out again to return the code to where it was, when a checkout changed the
 *     host and the run then failed before any migration started; null otherwise (old code on a migrated schema is
 *     unsafe: then only restoring {@code backup} goes back)
 * @param releases every release in the range, oldest first
 * @param commit the target tag's commit when it was resolved before the run, else null
 * @param backup the database backup taken before the first migration, skipped, or null when the plan migrates nothing
 * @param migrated whether a database migration started on the host during this run
 * @param safety the pre-flight table, the pending-migrations previews and the downtime, if any
 */
public record UpgradeResult(
        String host,
        String from,
        String target,
        List<String> hops,
        List<RequirementCheck> requirements,
        List<StepRecord> steps,
        List<CheckoutResult> checkouts,
        List<TaskOutcome> tasks,
        List<ServiceOutcome> services,
        StreamingOutcome streaming,
        long durationMs,
        String status,
        String error,
        int exitCode,
        Resume resume,
        String rollbackTo,
        List<String> releases,
        String commit,
        UpgradePlan plan,
        BackupOutcome backup,
        boolean migrated,
        UpgradeSafety safety) {

    public static final String UPGRADED = "upgraded";
    public static final String PENDING = "pending approval";
    public static final String PLANNED = "planned";
    public static final String FAILED = "failed";
    public static final String REFUSED = "refused";

    /** The status of a run that {@code e} ended before any host changed: refused for a refusal or bad input. */
    public static String statusOf(FlowException e) {
        return e.exitCode() == ExitCode.REFUSED || e.exitCode() == ExitCode.BAD_INPUT ? REFUSED : FAILED;
    }

    public UpgradeResult {
        hops = List.copyOf(hops);
        requirements = List.copyOf(requirements);
        steps = List.copyOf(steps);
        checkouts = List.copyOf(checkouts);
        tasks = List.copyOf(tasks);
        services = List.copyOf(services);
        releases = List.copyOf(releases);
        safety = safety == null ? UpgradeSafety.NONE : safety;
    }

    /** A result without pre-flight, previews or downtime. */
    public UpgradeResult(
            String host,
            String from,
            String target,
            List<String> hops,
            List<RequirementCheck> requirements,
            List<StepRecord> steps,
            List<CheckoutResult> checkouts,
            List<TaskOutcome> tasks,
            List<ServiceOutcome> services,
            StreamingOutcome streaming,
            long durationMs,
            String status,
            String error,
            int exitCode,
            Resume resume,
            String rollbackTo,
            List<String> releases,
            String commit,
            UpgradePlan plan,
            BackupOutcome backup,
            boolean migrated) {
        this(
                host,
                from,
                target,
                hops,
                requirements,
                steps,
                checkouts,
                tasks,
                services,
                streaming,
                durationMs,
                status,
                error,
                exitCode,
                resume,
                rollbackTo,
                releases,
                commit,
                plan,
                backup,
                migrated,
                UpgradeSafety.NONE);
    }

    /**
     * How to finish an upgrade that stopped: run it again to {@code tag}, from the version the host ran before
     * ({@code from}, so the steps of a hop already checked out still run), removing the lock this run left when
     * {@code forceUnlock}. Completed steps are safe to repeat. Each front end words it in its own terms.
     */
    public record Resume(String tag, String from, boolean forceUnlock) {
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("tag", tag);
            map.put("from", from);
            map.put("forceUnlock", forceUnlock);
            return map;
        }
    }

    /** A host the run never reached a decision on (it could not connect, or its release lookup failed). */
    public static UpgradeResult notStarted(
            String host, String from, String target, String status, String error, int exitCode) {
        return new UpgradeResult(
                host,
                from,
                target,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                null,
                0,
                status,
                error,
                exitCode,
                exitCode == 0 ? null : new Resume(target, from, false),
                null,
                List.of(),
                null,
                null,
                null,
                false);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The {@code --json} object of one host. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("host", host);
        map.put("from", from);
        map.put("target", target);
        map.put("hops", hops);
        map.put("status", status);
        map.put("durationMs", durationMs);
        map.put(
                "requirements",
                maps(requirements.stream().map(RequirementCheck::toMap).toList()));
        map.put("steps", maps(steps.stream().map(StepRecord::toMap).toList()));
        map.put("checkouts", maps(checkouts.stream().map(CheckoutResult::toMap).toList()));
        map.put("tasks", maps(tasks.stream().map(TaskOutcome::toMap).toList()));
        map.put("services", maps(services.stream().map(ServiceOutcome::toMap).toList()));
        map.put("streaming", streaming == null ? null : streaming.toMap());
        map.put("error", error);
        map.put("exitCode", exitCode);
        map.put("resume", resume == null ? null : resume.toMap());
        map.put("rollbackTo", rollbackTo);
        map.put("releases", releases);
        map.put("commit", commit);
        map.put("plan", plan == null ? null : plan.toMap());
        map.put("backup", backup == null ? null : backup.toMap());
        map.put("migrated", migrated);
        safety.putInto(map);
        return map;
    }

    private static List<Object> maps(List<Map<String, Object>> list) {
        return new ArrayList<>(list);
    }
}

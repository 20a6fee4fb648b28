package io.github.flowupgrade.upgrade;

import io.github.flowupgrade.upgrade.preflight.PendingMigrations;
import io.github.flowupgrade.upgrade.preflight.PreflightReport;
import io.github.flowupgrade.upgrade.services.DowntimeOutcome;
import java.util.List;
import java.util.Map;

/**
 * What a run learned about a host before it changed it, and the downtime it took: the pre-flight table, the
 * pending-migrations preview of each hop that migrates, and how long the site was down.
 *
 * @param preflight null when the run did not get that far (or had nothing to deploy)
 * @param migrations one preview per migrating hop (a plan: one for the target), in order
 * @param downtime null for a rolling upgrade
 */
public record UpgradeSafety(PreflightReport preflight, List<PendingMigrations> migrations, DowntimeOutcome downtime) {
    public static final UpgradeSafety NONE = new UpgradeSafety(null, List.of(), null);

    public UpgradeSafety {
        migrations = List.copyOf(migrations);
    }

    void putInto(Map<String, Object> map) {
        map.put("preflight", preflight == null ? null : preflight.toMap());
        map.put(
                "pendingMigrations",
                new java.util.ArrayList<>(
                        migrations.stream().map(PendingMigrations::toMap).toList()));
        map.put("downtime", downtime == null ? null : downtime.toMap());
    }
}

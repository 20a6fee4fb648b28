package io.github.flowupgrade.upgrade.tasks;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.release.Phase;
import io.github.flowupgrade.release.ReleaseLookupRequest;
import io.github.flowupgrade.upgrade.backup.BackupPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@code flowRunUpgradeTasks} asks of one host: the release range whose plan is run, the phase, and the host.
 *
 * @param release the lookup of the range's plan: its {@code tag} and {@code from}
 * @param phase {@code AFTER_CHECKOUT} (requirements, manual items, dependencies, pre-deployment migrations, assets) or
 *     {@code AFTER_RESTART} (post-deployment migrations)
 * @param confirmManual a human confirmed the release notes' manual items beforehand
 * @param appDir the application's working tree; the upgrade lock lives beside it
 * @param actor who runs this, for the lock and the audit trail
 * @param build the CI build running this, or null
 * @param commandTimeout the limit of the lock's commands
 * @param taskTimeout the limit of each task and requirement probe
 * @param forceUnlock remove a lock left by a run that died before taking it
 * @param backup whether and where the database is backed up before the phase's first migration (default: always,
 *     into the state directory)
 */
public record RunUpgradeTasksRequest(
        ReleaseLookupRequest release,
        Phase phase,
        boolean confirmManual,
        String host,
        String loginUser,
        RunAs runAs,
        String appDir,
        String actor,
        String build,
        Duration commandTimeout,
        Duration taskTimeout,
        boolean forceUnlock,
        BackupPolicy backup) {

    public RunUpgradeTasksRequest {
        backup = backup == null ? BackupPolicy.defaults() : backup;
        Objects.requireNonNull(release, "release");
        phase(phase == null ? null : phase.wireName());
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(taskTimeout, "taskTimeout");
    }

    /** A request that keeps a found lock and backs up before the phase's first migration. */
    public RunUpgradeTasksRequest(
            ReleaseLookupRequest release,
            Phase phase,
            boolean confirmManual,
            String host,
            String loginUser,
            RunAs runAs,
            String appDir,
            String actor,
            String build,
            Duration commandTimeout,
            Duration taskTimeout) {
        this(
                release,
                phase,
                confirmManual,
                host,
                loginUser,
                runAs,
                appDir,
                actor,
                build,
                commandTimeout,
                taskTimeout,
                false,
                BackupPolicy.defaults());
    }

    /** The phase named {@code after-checkout} or {@code after-restart}; any other name is refused. */
    public static Phase phase(String wireName) {
        for (Phase p : Phase.values()) {
            if (p != Phase.BEFORE_CHECKOUT && p.wireName().equals(wireName)) {
                return p;
            }
        }
        throw FlowException.badInput("phase must be after-checkout or after-restart, not " + wireName);
    }

    public String tag() {
        return release.tag();
    }
}

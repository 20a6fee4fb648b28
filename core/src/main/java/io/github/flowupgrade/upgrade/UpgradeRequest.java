package io.github.flowupgrade.upgrade;

import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.upgrade.approval.ApprovalGate;
import io.github.flowupgrade.upgrade.backup.BackupPolicy;
import io.github.flowupgrade.upgrade.preflight.PreflightPolicy;
import io.github.flowupgrade.upgrade.services.RestartTimeouts;
import io.github.flowupgrade.upgrade.services.ServiceAction;
import io.github.flowupgrade.upgrade.services.StreamingPolicy;
import java.time.Duration;

/**
 * How to run an upgrade, apart from where it goes ({@link UpgradePath}) and who approves ({@link ApprovalGate}).
 *
 * @param confirmManual the manual steps of the release notes are done
 * @param actor who runs it ({@code user@machine} or the CI user), for the lock, the history and the audit trail
 * @param build the CI build, or null
 * @param forceUnlock remove a lock left by a run that died
 * @param commandTimeout limit of one quick command (git, systemctl)
 * @param taskTimeout limit of one upgrade task (bundle install, assets:precompile, migrations)
 * @param webAction how web is restarted: {@code RELOAD} (phased, the default) or {@code RESTART}
 * @param keepLocalCommits check out even when {@code HEAD} has local commits, keeping them under
 *     {@code refs/flow-upgrade/kept/<time>} (else such a host is refused)
 * @param planOnly read the release each host runs and report the plan of its range, changing nothing (no lock)
 * @param backup whether and where the database is backed up before the first migration (default: always, into the
 *     state directory)
 * @param preflight how the pre-flight checks judge each host (default: {@link PreflightPolicy#defaults()})
 * @param allowDowntime where the notes say a hop cannot be a rolling update, stop the site for its migrations (else
 *     the release lookup plans the hop the notes recommend first, or the run refuses)
 */
public record UpgradeRequest(
        AppProfile profile,
        StreamingPolicy streaming,
        boolean confirmManual,
        String actor,
        String build,
        boolean forceUnlock,
        RestartTimeouts restartTimeouts,
        Duration commandTimeout,
        Duration taskTimeout,
        ServiceAction webAction,
        boolean keepLocalCommits,
        boolean planOnly,
        BackupPolicy backup,
        PreflightPolicy preflight,
        boolean allowDowntime) {

    public UpgradeRequest {
        webAction = webAction == null ? ServiceAction.RELOAD : webAction;
        backup = backup == null ? BackupPolicy.defaults() : backup;
        preflight = preflight == null ? PreflightPolicy.defaults() : preflight;
    }

    /**
     * A request that runs the upgrade with the guide's phased web reload, refuses a host with local commits, and
     * takes the default backup and pre-flight policies, no downtime allowed.
     */
    public UpgradeRequest(
            AppProfile profile,
            StreamingPolicy streaming,
            boolean confirmManual,
            String actor,
            String build,
            boolean forceUnlock,
            RestartTimeouts restartTimeouts,
            Duration commandTimeout,
            Duration taskTimeout) {
        this(
                profile,
                streaming,
                confirmManual,
                actor,
                build,
                forceUnlock,
                restartTimeouts,
                commandTimeout,
                taskTimeout,
                ServiceAction.RELOAD,
                false,
                false,
                BackupPolicy.defaults(),
                PreflightPolicy.defaults(),
                false);
    }

    /** This request with another backup policy. */
    public UpgradeRequest withBackup(BackupPolicy policy) {
        return new UpgradeRequest(
                profile,
                streaming,
                confirmManual,
                actor,
                build,
                forceUnlock,
                restartTimeouts,
                commandTimeout,
                taskTimeout,
                webAction,
                keepLocalCommits,
                planOnly,
                policy,
                preflight,
                allowDowntime);
    }
}

package io.github.flowupgrade.upgrade.tasks;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.host.HostLock;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.host.ReconnectingTransport;
import io.github.flowupgrade.release.Phase;
import io.github.flowupgrade.release.ReleaseLookup;
import io.github.flowupgrade.release.ReleaseLookupResult;
import io.github.flowupgrade.release.UpgradePlan;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.remote.TransportFactory;
import io.github.flowupgrade.upgrade.Upgrade;
import io.github.flowupgrade.upgrade.approval.ApprovalGate;
import io.github.flowupgrade.upgrade.backup.BackupOutcome;
import io.github.flowupgrade.upgrade.backup.DatabaseBackup;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The upgrade tasks of one phase of a release range on one host, on their own ({@code flowRunUpgradeTasks}): looks the
 * range's plan up (before any connection), takes the host's upgrade lock (the one {@link Upgrade} holds, so tasks never
 * run while another run upgrades the host), checks the minimum versions and requires the manual items to be confirmed
 * (after-checkout only), runs the phase's tasks, and releases the lock, also on failure.
 */
public final class RunUpgradeTasks {
    private RunUpgradeTasks() {}

    /** @param manualGate asked when the manual items were not confirmed in the request */
    public static RunUpgradeTasksResult run(
            TransportFactory transports,
            RunUpgradeTasksRequest request,
            ApprovalGate manualGate,
            AuditLog audit,
            Console console,
            Clock clock) {
        ReleaseLookupResult lookup = new ReleaseLookup(audit, console).run(request.release());
        // Reconnectable, so a detached task (a migration) can be followed again after a dropped connection.
        try (Transport transport = ReconnectingTransport.open(request.host(), transports)) {
            HostAccess access = new HostAccess(transport, request.loginUser(), request.runAs(), request.appDir());
            HostShell shell = new HostShell(access, request.commandTimeout(), audit, console);
            HostLock lock = lock(shell, request, clock);
            try {
                return runLocked(shell, request, lookup, manualGate, clock);
            } finally {
                lock.close();
            }
        }
    }

    private static RunUpgradeTasksResult runLocked(
            HostShell shell,
            RunUpgradeTasksRequest request,
            ReleaseLookupResult lookup,
            ApprovalGate manualGate,
            Clock clock) {
        UpgradePlan plan = lookup.plan();
        UpgradeTasks tasks = new UpgradeTasks(shell, request.taskTimeout(), clock);
        List<RequirementCheck> requirements = List.of();
        if (request.phase() == Phase.AFTER_CHECKOUT) {
            requirements = tasks.checkRequirements(plan.requirements());
            tasks.confirmManual(plan.manual(), request.confirmManual(), request.actor(), manualGate, false);
        }
        // As in a whole upgrade: a checked backup before the first migration, and each migration in the history.
        BackupOutcome backup = null;
        boolean migrates =
                plan.tasks().stream().filter(t -> t.phase() == request.phase()).anyMatch(UpgradeTasks::migrates);
        if (migrates) {
            backup = request.backup().enabled()
                    ? new DatabaseBackup(shell, request.backup(), request.taskTimeout(), clock)
                            .run(request.release().from(), request.tag(), request.actor(), request.build())
                    : DatabaseBackup.skipped(shell, request.actor(), request.tag());
            tasks.recordMigrations(new UpgradeTasks.MigrationRecord(request.actor(), request.build(), backup.path()));
        }
        List<TaskOutcome> done = new ArrayList<>();
        tasks.run(request.tag(), request.phase(), plan.tasks(), done);
        return new RunUpgradeTasksResult(
                request.host(),
                request.tag(),
                request.release().from(),
                request.phase().wireName(),
                lookup.releases(),
                requirements,
                done,
                plan.manual(),
                plan.streamingRestart(),
                shell.executes() ? "done" : "planned",
                backup);
    }

    private static HostLock lock(HostShell shell, RunUpgradeTasksRequest request, Clock clock) {
        String holder = HostLock.holderLine(
                request.actor(), request.build(), "upgrade tasks " + request.tag(), clock.instant());
        return HostLock.acquire(shell, HostLock.stateDir(request.appDir()), holder, request.forceUnlock());
    }
}

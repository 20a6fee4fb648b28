package io.github.flowupgrade.upgrade;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.release.Phase;
import io.github.flowupgrade.release.ReleaseLookup;
import io.github.flowupgrade.release.ReleaseLookupResult;
import io.github.flowupgrade.release.UpgradePlan;
import io.github.flowupgrade.remote.HostShell;
import io.github.flowupgrade.remote.OutputSink;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.remote.TransportFactory;
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
        UpgradePlan plan = lookup.plan();
        try (Transport transport = transports.open(request.host());
                HostLock lock = lock(transport, request, audit, console, clock)) {
            HostAccess access = new HostAccess(transport, request.loginUser(), request.runAs(), request.appDir());
            UpgradeTasks tasks = new UpgradeTasks(new RemoteRunner(access, audit, console), request.taskTimeout());
            List<RequirementCheck> requirements = List.of();
            if (request.phase() == Phase.AFTER_CHECKOUT) {
                requirements = tasks.checkRequirements(plan.requirements());
                tasks.confirmManual(plan.manual(), request.confirmManual(), request.actor(), manualGate);
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
                    transport.executes() ? "done" : "planned");
        }
    }

    private static HostLock lock(
            Transport transport, RunUpgradeTasksRequest request, AuditLog audit, Console console, Clock clock) {
        HostShell shell = new HostShell(
                transport, request.loginUser(), request.runAs(), request.commandTimeout(), audit, OutputSink.discard());
        String holder = HostLock.holderLine(
                request.actor(), request.build(), "upgrade tasks " + request.tag(), clock.instant());
        return HostLock.acquire(shell, HostLock.stateDir(request.appDir()), holder, false, audit, console);
    }
}

package io.github.flowupgrade.cli;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.audit.JsonLinesAuditLog;
import io.github.flowupgrade.audit.Redactor;
import io.github.flowupgrade.release.ReleaseLookupRequest;
import io.github.flowupgrade.remote.TransportFactory;
import io.github.flowupgrade.upgrade.UpgradeOperation;
import io.github.flowupgrade.upgrade.UpgradeRequest;
import io.github.flowupgrade.upgrade.UpgradeResult;
import io.github.flowupgrade.upgrade.UpgradeRun;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flow upgrade}: the admin guide from release notes to restarts, on each host in turn. */
@Command(
        name = "upgrade",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Upgrades each host, one after the other, to a release: reads the version the host runs, looks the"
                    + " release and every release in between up on GitHub (the upgrade plan), checks the required"
                    + " versions and the manual steps, takes the host lock, then for each hop: checkout, the"
                    + " after-checkout tasks, restart sidekiq, reload web, the after-restart tasks; then the"
                    + " streaming restart if needed and approved; unlock; one summary.",
            "A failure says which steps completed, which did not, and how to resume or roll back. See"
                    + " docs/upgrade.md."
        })
final class UpgradeCommand implements Callable<Integer> {
    @Option(names = "--tag", required = true, paramLabel = "vX.Y.Z", description = "The release to upgrade to.")
    String tag;

    @Option(
            names = "--from",
            paramLabel = "vA.B.C",
            description = "The version the hosts run. Default: read on each host (the release tag at its HEAD).")
    String from;

    @Mixin
    ReleaseLookupOptions lookup;

    @Option(
            names = "--confirm-manual",
            description = "The release notes' manual steps (listed by the plan) are done or do not apply.")
    boolean confirmManual;

    @Option(
            names = "--force-unlock",
            description = "Remove a host lock left by a run that died (check no run is in progress first).")
    boolean forceUnlock;

    @Option(
            names = "--task-timeout",
            paramLabel = "SECONDS",
            defaultValue = "3600",
            description = "Limit of each upgrade task (bundle install, assets, migrations). Default: ${DEFAULT-VALUE}.")
    int taskTimeout;

    @Mixin
    ServiceRestartOptions restarts;

    @Mixin
    BackupOptions backup;

    @Option(names = "--dry-run", description = "Print the plan and every command it would run, and run none.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the result of every host as JSON on standard output.")
    boolean json;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    ApprovalOptions approval;

    @Mixin
    AuditOptions audit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Everything is validated before any connection: a bad value exits 2 with nothing sent anywhere.
        connection.validate();
        approval.validate();
        if (taskTimeout < 1 || taskTimeout > 86_400) {
            throw FlowException.badInput("--task-timeout must be 1 to 86400 seconds, not " + taskTimeout);
        }
        List<String> hosts = connection.hosts();
        AppProfile profile = connection.profile();
        String token = lookup.token();
        ReleaseLookupRequest release = lookup.request(profile, token, tag, false, from, false, Duration.ofSeconds(20));
        UpgradeRequest request = new UpgradeRequest(
                profile,
                approval.policy(),
                confirmManual,
                audit.actor(),
                audit.buildUrl(),
                forceUnlock,
                restarts.timeouts(),
                connection.commandTimeout(),
                Duration.ofSeconds(taskTimeout),
                restarts.webAction(),
                backup.policy());
        Redactor redactor = connection.redactor();
        if (token != null) {
            redactor.register(token);
        }
        Console console = redactor.console(new WriterConsole(json ? err : out, err));
        TransportFactory transports = connection.transports(dryRun, console);
        JsonLinesAuditLog trail = dryRun ? null : audit.start("upgrade", tag, hosts, redactor);
        Throwable failure = null;
        try {
            UpgradeRun run = new UpgradeOperation(
                            transports,
                            connection.login(),
                            connection.runAs(),
                            trail == null ? AuditLog.none() : trail,
                            console,
                            Clock.systemUTC())
                    .run(
                            hosts,
                            release,
                            request,
                            approval.streamingGate(audit.actor(), err),
                            approval.promptOrPending(audit.actor(), err));
            if (json) {
                out.println(Json.pretty(run.toMap()));
                out.flush();
            }
            nextSteps(run, console);
            UpgradeResult failed = run.failed();
            if (failed != null) {
                failure = new FlowException(ExitCode.of(failed.exitCode()), failed.error());
                err.println("flow: " + failed.error());
                err.flush();
            }
            return run.exitCode();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            if (trail != null) {
                AuditOptions.finish(trail, failure, err);
            }
        }
    }

    /** How to go on, in {@code flow} command lines: resume, roll back, upgrade the rest, approve streaming. */
    private void nextSteps(UpgradeRun run, Console console) {
        for (UpgradeResult host : run.hosts()) {
            if (host.streaming() != null && host.streaming().pending()) {
                console.warn("Once the streaming restart on " + host.host() + " is approved, run: "
                        + CommandLines.approveStreaming(spec, host.host()));
            }
        }
        UpgradeResult failed = run.failed();
        if (failed == null) {
            return;
        }
        console.warn("To resume (completed steps are safe to repeat): "
                + CommandLines.resume(spec, failed.resume(), failed.host()));
        if (!run.notRun().isEmpty()) {
            console.warn("Then the hosts not reached: " + CommandLines.remaining(spec, run.notRun()));
        }
        if (failed.rollbackTo() != null) {
            console.warn("To roll the code back to " + failed.rollbackTo() + " instead: "
                    + CommandLines.checkout(spec, failed.host(), failed.rollbackTo())
                    + ", then restart the services (database migrations that ran are not undone)");
        }
    }
}

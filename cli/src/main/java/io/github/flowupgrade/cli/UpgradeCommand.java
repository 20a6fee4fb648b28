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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
                    + " versions and the manual steps, takes the host lock with the pre-flight checks (memory, disk,"
                    + " Ruby, Node.js and yarn, settings), then for each hop: checkout, the pending migrations, the"
                    + " after-checkout tasks, restart sidekiq, reload web, the after-restart tasks (or, where the"
                    + " notes allow no rolling update and --allow-downtime is given, stop, migrate, start); then the"
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

    @Option(
            names = "--instance",
            paramLabel = "FILE",
            description = "Upgrade one instance spread over several hosts, as one: a JSON file naming its hosts, their"
                    + " roles (web, sidekiq, streaming) and the migrationHost. Every host is locked and checked out,"
                    + " the backup and each migration phase run once on the migration host, web is reloaded one"
                    + " host at a time, streaming restarted behind one approval. Instead of --host; --port, --login,"
                    + " --as and --host-key hold for the hosts that do not set their own. See docs/upgrade.md.")
    Path instance;

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
            names = "--keep-local-commits",
            description = "Go on when a host has local commits no tag or branch reaches, keeping them under"
                    + " refs/flow-upgrade/kept/<time> (without it such a host is refused).")
    boolean keepLocalCommits;

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

    @Mixin
    PreflightOptions preflight;

    @Option(names = "--dry-run", description = "Print the plan and every command it would run, and run none.")
    boolean dryRun;

    @Option(
            names = "--plan-only",
            description = "Connect to each host, read the release it runs and print the plan of its range (hops,"
                    + " tasks, manual steps, streaming), the pre-flight checks and the migrations the target would"
                    + " run; change nothing (the checks fetch the release tags and hold the host lock only for"
                    + " their one round trip).")
    boolean planOnly;

    @Option(
            names = "--json",
            description = "Print the result as one JSON object on standard output, also when the run fails before"
                    + " any host: tag, exitCode, hosts (each host's result), notRun, and error when it stopped early.")
    boolean json;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    ApprovalOptions approval;

    @Mixin
    AuditOptions audit;

    @Spec
    CommandSpec spec;

    /** The hosts of the run once known, for the result a run that fails before any host prints. */
    private List<String> hosts = List.of();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            return run(out, spec.commandLine().getErr());
        } catch (RuntimeException e) {
            if (json) {
                // Stopped before any host (bad input, the approval refused, the trail): the same object, no host run.
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("tag", tag);
                result.put("exitCode", FlowCommand.exitCodeOf(e));
                result.put("error", FlowCommand.messageOf(e));
                result.put("hosts", List.of());
                result.put("notRun", hosts);
                out.println(Json.pretty(result));
                out.flush();
            }
            throw e;
        }
    }

    /** How the upgrade runs, as the options give it (the same for the hosts of {@code --host} and of an instance). */
    UpgradeRequest request(AppProfile profile, Duration commandTimeout, Duration taskLimit) {
        return new UpgradeRequest(
                profile,
                approval.policy(),
                confirmManual,
                audit.actor(),
                audit.buildUrl(),
                forceUnlock,
                restarts.timeouts(),
                commandTimeout,
                taskLimit,
                restarts.webAction(),
                keepLocalCommits,
                planOnly,
                backup.policy(),
                preflight.policy(),
                preflight.allowDowntime);
    }

    private int run(PrintWriter out, PrintWriter err) {
        if (instance != null) {
            return new InstanceUpgradeRun(this).call(out, err);
        }
        // Everything is validated before any connection: a bad value exits 2 with nothing sent anywhere.
        connection.validate();
        approval.validate();
        Duration taskLimit = io.github.flowupgrade.Option.TASK_TIMEOUT.seconds(taskTimeout, 1, 86_400);
        hosts = connection.hosts();
        AppProfile profile = connection.profile();
        String token = lookup.token();
        approval.checkToken(token);
        ReleaseLookupRequest release = lookup.request(profile, token, tag, false, from, false, Duration.ofSeconds(20));
        UpgradeRequest request = request(profile, connection.commandTimeout(), taskLimit);
        Redactor redactor = connection.redactor();
        if (token != null) {
            redactor.register(token);
        }
        Console console = redactor.console(new WriterConsole(json ? err : out, err));
        TransportFactory transports = connection.transports(dryRun, console);
        JsonLinesAuditLog trail = dryRun ? null : audit.start("upgrade", tag, hosts, redactor);
        Throwable failure = null;
        try {
            approval.proveEnvironment(
                    token, lookup.tokenSource(), lookup.cacheDir(), trail == null ? AuditLog.none() : trail, console);
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

    /** How to go on, in {@code flow} command lines: approve streaming, resume, upgrade the rest, roll back. */
    private void nextSteps(UpgradeRun run, Console console) {
        CommandLines.nextSteps(spec, run).forEach(console::warn);
    }
}

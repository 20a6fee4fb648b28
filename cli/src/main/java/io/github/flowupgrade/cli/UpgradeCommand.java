package io.github.flowupgrade.cli;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.audit.JsonLinesAuditLog;
import io.github.flowupgrade.audit.Redactor;
import io.github.flowupgrade.commands.GitCommands;
import io.github.flowupgrade.commands.Inputs;
import io.github.flowupgrade.release.ManualItem;
import io.github.flowupgrade.release.Phase;
import io.github.flowupgrade.release.PlanTask;
import io.github.flowupgrade.release.ReleaseLookup;
import io.github.flowupgrade.release.ReleaseLookupRequest;
import io.github.flowupgrade.release.ReleaseLookupResult;
import io.github.flowupgrade.release.ReleaseVersion;
import io.github.flowupgrade.release.UpgradePlan;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.remote.HostShell;
import io.github.flowupgrade.remote.OutputSink;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.remote.TransportFactory;
import io.github.flowupgrade.upgrade.HostAccess;
import io.github.flowupgrade.upgrade.Upgrade;
import io.github.flowupgrade.upgrade.UpgradePath;
import io.github.flowupgrade.upgrade.UpgradeRequest;
import io.github.flowupgrade.upgrade.UpgradeResult;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        Inputs.tag(tag);
        if (from != null) {
            Inputs.tag(from);
        }
        connection.validate();
        approval.validate();
        if (taskTimeout < 1 || taskTimeout > 86_400) {
            throw FlowException.badInput("--task-timeout must be 1 to 86400 seconds, not " + taskTimeout);
        }
        restarts.timeouts();
        restarts.webAction();
        List<String> hosts = connection.hosts();
        AppProfile profile = connection.profile();
        String token = lookup.token();
        ReleaseLookupRequest release = lookup.request(profile, token, tag, false, from, false, Duration.ofSeconds(20));
        Redactor redactor = connection.redactor();
        if (token != null) {
            redactor.register(token);
        }
        Console console = redactor.console(new WriterConsole(json ? err : out, err));
        TransportFactory transports = connection.transports(dryRun, console);
        JsonLinesAuditLog trail = dryRun ? null : audit.start("upgrade", tag, hosts, redactor);
        AuditLog log = trail == null ? AuditLog.none() : trail;
        Throwable failure = null;
        List<Map<String, Object>> results = new ArrayList<>();
        int exitCode = 0;
        try {
            for (String host : hosts) {
                UpgradeResult result = upgradeHost(host, profile, release, transports, log, console, err, results);
                if (!result.succeeded()) {
                    exitCode = result.exitCode();
                    failure = new FlowException(ExitCode.of(exitCode), result.error());
                    break; // a rolling upgrade stops at the first host that did not make it
                }
            }
            if (json) {
                Map<String, Object> all = new LinkedHashMap<>();
                all.put("tag", tag);
                all.put("hosts", results);
                out.println(Json.pretty(all));
                out.flush();
            }
            if (failure != null) {
                err.println("flow: " + failure.getMessage());
                err.flush();
            }
            return exitCode;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            if (trail != null) {
                AuditOptions.finish(trail, failure, err);
            }
        }
    }

    private UpgradeResult upgradeHost(
            String host,
            AppProfile profile,
            ReleaseLookupRequest releaseLookup,
            TransportFactory transports,
            AuditLog log,
            Console console,
            PrintWriter err,
            List<Map<String, Object>> results) {
        try (Transport transport = transports.open(host)) {
            HostAccess access = new HostAccess(transport, connection.login(), connection.runAs(), profile.dir());
            String hostFrom = from != null ? from : currentVersion(access, log);
            if (hostFrom == null && transport.executes()) {
                throw FlowException.refused(host + ": " + profile.dir() + " is not on a release tag, so the releases"
                        + " in between cannot be known; give the version it runs with --from vA.B.C");
            }
            console.info("[" + host + "] runs "
                    + (hostFrom == null ? "an unknown version (dry run: give --from)" : hostFrom) + "; target " + tag);
            ReleaseLookupResult release = new ReleaseLookup(log, console).run(releaseLookup.withFrom(hostFrom));
            printPlan(release, console);
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
                    CommandLines.prefix(connection, host),
                    restarts.webAction());
            UpgradeResult result = new Upgrade(access, request, log, console, Clock.systemUTC())
                    .run(
                            UpgradePath.of(release),
                            approval.streamingGate(audit.actor(), err),
                            approval.promptOrPending(audit.actor(), err));
            Map<String, Object> map = result.toMap();
            map.put("releases", release.releases());
            map.put("commit", release.commit());
            map.put("plan", release.plan().toMap());
            results.add(map);
            return result;
        }
    }

    /** The highest release tag at the host's HEAD, or null when HEAD carries none. */
    private String currentVersion(HostAccess access, AuditLog log) {
        HostShell shell = new HostShell(
                access.transport(),
                access.loginUser(),
                access.runAs(),
                connection.commandTimeout(),
                log,
                OutputSink.discard());
        if (!shell.executes()) {
            return null;
        }
        ExecResult tags = shell.app(new GitCommands(access.appDir()).tagsAtHead());
        if (!tags.succeeded()) {
            throw shell.failure(
                    "reading the release the host runs", new GitCommands(access.appDir()).tagsAtHead(), tags);
        }
        // Several tags may name one commit; the highest version is the release it runs. The tag is kept as spelt.
        Optional<String> newest = tags.stdout()
                .lines()
                .map(String::strip)
                .filter(t -> ReleaseVersion.parse(t).isPresent())
                .max(Comparator.comparing(t -> ReleaseVersion.parse(t).orElseThrow()));
        return newest.orElse(null);
    }

    private static void printPlan(ReleaseLookupResult r, Console console) {
        UpgradePlan plan = r.plan();
        console.info("Plan: " + (r.from() == null ? "" : r.from() + " -> ")
                + r.target().tagName()
                + (r.commit() == null ? "" : " (" + r.commit() + ")") + "; releases "
                + (r.releases().isEmpty() ? "none" : String.join(", ", r.releases())) + "; hops "
                + (r.hops().isEmpty() ? "none" : String.join(" -> ", r.hops())));
        console.info("  streaming restart required by the notes: " + (plan.streamingRestart() ? "yes" : "no")
                + "; requirements: " + plan.requirements().toMap());
        for (Phase phase : Phase.values()) {
            for (PlanTask task : plan.tasks()) {
                if (task.phase() == phase) {
                    console.info("  " + phase.wireName() + ": " + task.command() + "  ["
                            + String.join(", ", task.releases()) + "]");
                }
            }
        }
        for (ManualItem item : plan.otherRequirements()) {
            console.info("  check: [" + String.join(", ", item.releases()) + "] " + item.text());
        }
        for (String warning : r.warnings()) {
            console.warn("warning: " + warning);
        }
    }
}
